import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { useAuth } from '../auth/auth-context.js';

/** Pushes a notice to every connection of one pipeline; it shows up as a toast in each chat. */
export function BroadcastForm({ pipelines }: { pipelines: Pipeline[] }) {
  const { handleUnauthorized } = useAuth();
  const [pipelineUuid, setPipelineUuid] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const { t } = useI18n();
  const target = pipelineUuid === '' ? pipelines[0]?.uuid : pipelineUuid;

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (target === undefined || message.trim() === '') return;
    setBusy(true);
    try {
      const result = await backend.broadcast(target, message.trim());
      toast.success(t('broadcast.sent', { count: result.sent }));
      setMessage('');
    } catch (error) {
      if (!handleUnauthorized(error))
        toast.error(t('broadcast.failed', { error: describeError(error) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void submit(event)}
      aria-labelledby="broadcast-title"
      className="space-y-3 rounded-lg border border-slate-200 p-4 dark:border-slate-800"
    >
      <h3 id="broadcast-title" className="font-semibold">
        {t('broadcast.title')}
      </h3>
      <p id="broadcast-help" className="text-sm text-slate-500 dark:text-slate-400">
        {t('broadcast.help')}
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <div className="flex flex-col gap-1">
          <label htmlFor="broadcast-pipeline" className="text-sm font-medium">
            {t('broadcast.pipeline')}
          </label>
          <select
            id="broadcast-pipeline"
            value={target ?? ''}
            onChange={(event) => setPipelineUuid(event.target.value)}
            className="h-9 rounded border border-slate-300 bg-transparent px-2 dark:border-slate-700"
          >
            {pipelines.map((pipeline) => (
              <option key={pipeline.uuid} value={pipeline.uuid}>
                {pipeline.name}
              </option>
            ))}
          </select>
        </div>
        <div className="flex min-w-48 flex-1 flex-col gap-1">
          <label htmlFor="broadcast-message" className="text-sm font-medium">
            {t('broadcast.notice')}
          </label>
          <input
            id="broadcast-message"
            value={message}
            maxLength={10_000}
            onChange={(event) => setMessage(event.target.value)}
            aria-describedby="broadcast-help"
            placeholder={t('broadcast.placeholder')}
            className="h-9 rounded border border-slate-300 bg-transparent px-3 dark:border-slate-700"
          />
        </div>
        <button
          type="submit"
          disabled={busy || target === undefined || message.trim() === ''}
          className="h-9 rounded bg-indigo-600 px-3 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50"
        >
          {busy ? t('broadcast.sending') : t('broadcast.send')}
        </button>
      </div>
    </form>
  );
}
