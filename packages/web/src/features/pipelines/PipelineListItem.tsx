import { useState } from 'react';
import { toast } from 'sonner';
import { Link } from 'wouter';
import { returnFocusLater } from '../../lib/return-focus.js';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { backend, describeError, type Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { ModelCheckResult, type ModelCheckOutcome } from './ModelCheckResult.js';

/** Props of {@link PipelineListItem}. */
export interface PipelineListItemProps {
  pipeline: Pipeline;
  /** Whether to offer the admin actions (edit, check, delete). */
  admin: boolean;
  /** Called after the pipeline was deleted, to refresh the list. */
  onDeleted: (pipeline: Pipeline) => void;
}

const SECONDARY_BUTTON =
  'rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-60 dark:border-slate-700 dark:hover:bg-slate-900';

/** The model a pipeline uses, for the summary line; echo and bench use none. */
function modelOf(pipeline: Pipeline): string | undefined {
  const runner = pipeline.runner;
  return runner.type === 'openai-compatible' || runner.type === 'anthropic'
    ? runner.settings.model
    : undefined;
}

/**
 * One pipeline in the list: its name and runner, the debug chat link, and for admins edit,
 * model check (result shown under the row) and delete after a confirmation.
 */
export function PipelineListItem({ pipeline, admin, onDeleted }: PipelineListItemProps) {
  const { handleUnauthorized } = useAuth();
  const [check, setCheck] = useState<ModelCheckOutcome | undefined>();
  const model = modelOf(pipeline);
  const { t } = useI18n();
  const name = pipeline.name;

  async function runCheck(): Promise<void> {
    setCheck({ kind: 'running' });
    try {
      setCheck({ kind: 'answered', result: await backend.checkPipeline(pipeline.uuid) });
    } catch (error) {
      if (handleUnauthorized(error)) return;
      setCheck({ kind: 'failed', message: describeError(error) });
    }
  }

  async function remove(): Promise<void> {
    try {
      await backend.deletePipeline(pipeline.uuid);
      toast.success(t('pipelines.deleted', { name }));
      onDeleted(pipeline);
    } catch (error) {
      // Handled here so the dialog closes; the toast says what went wrong.
      if (!handleUnauthorized(error)) {
        toast.error(t('pipelines.deleteFailed', { name, error: describeError(error) }));
      }
    }
  }

  return (
    <li className="space-y-3 p-4">
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1 basis-56">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            <span className="break-words">{pipeline.name}</span>
            {pipeline.is_default && (
              <span className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs text-indigo-800 dark:bg-indigo-900 dark:text-indigo-100">
                {t('pipelines.default')}
              </span>
            )}
          </p>
          <p className="text-sm break-words text-slate-500 dark:text-slate-400">
            {t('pipelines.runner')} <span className="font-mono">{pipeline.runner.type}</span>
            {model !== undefined && (
              <>
                {' '}
                · {t('pipelines.model')} <span className="font-mono">{model}</span>
              </>
            )}
            {pipeline.description !== '' && <> · {pipeline.description}</>}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link
            href={`/pipelines/${pipeline.uuid}/chat`}
            id={`open-chat-${pipeline.uuid}`}
            onClick={() => returnFocusLater(`open-chat-${pipeline.uuid}`)}
            aria-label={t('pipelines.openChatFor', { name })}
            className="inline-flex min-h-11 items-center rounded bg-indigo-600 px-3 py-1.5 sm:min-h-0 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            {t('pipelines.openChat')}
          </Link>
          <Link
            href={`/pipelines/${pipeline.uuid}/conversations`}
            aria-label={t('pipelines.conversationsOf', { name })}
            className="inline-flex min-h-11 items-center rounded border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:min-h-0 dark:border-slate-700 dark:hover:bg-slate-900"
          >
            {t('pipelines.conversations')}
          </Link>
          {admin && (
            <>
              <Link
                href={`/pipelines/${pipeline.uuid}/edit`}
                aria-label={t('pipelines.editNamed', { name })}
                className={SECONDARY_BUTTON}
              >
                {t('common.edit')}
              </Link>
              <button
                type="button"
                onClick={() => void runCheck()}
                disabled={check?.kind === 'running'}
                aria-label={t('pipelines.checkModelOf', { name })}
                className={SECONDARY_BUTTON}
              >
                {check?.kind === 'running' ? t('pipelines.checking') : t('pipelines.checkModel')}
              </button>
              <ConfirmDialog
                trigger={
                  <button
                    type="button"
                    aria-label={t('pipelines.deleteNamed', { name })}
                    className="rounded border border-red-300 px-3 py-1.5 text-sm text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950"
                  >
                    {t('common.delete')}
                  </button>
                }
                title={t('pipelines.deleteTitle', { name })}
                description={
                  <>
                    {t('pipelines.deleteDescription')}
                    {pipeline.is_default && ` ${t('pipelines.deleteDefault')}`}
                  </>
                }
                confirmLabel={t('pipelines.deleteConfirm')}
                onConfirm={remove}
              />
            </>
          )}
        </div>
      </div>
      {check !== undefined && (
        <div
          role="status"
          aria-label={t('pipelines.modelCheckOf', { name })}
          className="rounded border border-slate-200 bg-slate-50 p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
        >
          <ModelCheckResult outcome={check} />
        </div>
      )}
    </li>
  );
}
