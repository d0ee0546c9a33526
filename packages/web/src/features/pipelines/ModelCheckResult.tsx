import { useI18n } from '../../i18n/i18n-context.js';
import type { Localizer } from '../../i18n/localizer.js';
import type { ModelCheckData } from './pipeline-types.js';

/** Where a "Check model" run of one pipeline stands. */
export type ModelCheckOutcome =
  | { kind: 'running' }
  /** The server ran the check; `result.ok` says whether the model answered. */
  | { kind: 'answered'; result: ModelCheckData }
  /** The check itself could not run (network, rights, deleted pipeline). */
  | { kind: 'failed'; message: string };

/** Replies longer than this are cut: bench answers with kilobytes of filler. */
const REPLY_PREVIEW_LENGTH = 160;

function preview(reply: string, { t }: Localizer): string {
  return reply.length > REPLY_PREVIEW_LENGTH
    ? t('check.truncated', {
        text: reply.slice(0, REPLY_PREVIEW_LENGTH),
        characters: t('common.characters', { count: reply.length }),
      })
    : reply;
}

/**
 * The outcome of a model check, shown under the pipeline's row: whether the model answered, how
 * fast, which model and what it said, or the error code and the server's explanation.
 */
export function ModelCheckResult({ outcome }: { outcome: ModelCheckOutcome }) {
  const localizer = useI18n();
  const { t } = localizer;
  switch (outcome.kind) {
    case 'running':
      return <p className="text-slate-600 dark:text-slate-300">{t('check.running')}</p>;
    case 'failed':
      return (
        <p className="text-red-700 dark:text-red-300">
          <span className="font-medium">{t('check.couldNotRun')}</span> {outcome.message}
        </p>
      );
    case 'answered': {
      const { result } = outcome;
      const facts = [
        t('check.runner', { runner: result.runner }),
        ...(result.model === null ? [] : [t('check.model', { model: result.model })]),
        t('check.milliseconds', { value: localizer.format.number(result.latency_ms) }),
      ].join(' · ');
      return result.ok ? (
        <div className="space-y-1 text-green-800 dark:text-green-300">
          <p>
            <span className="font-medium">{t('check.answered')}</span> ({facts})
          </p>
          {result.reply !== null && (
            <p className="break-words text-slate-700 dark:text-slate-300">
              {t('check.reply')}{' '}
              <q className="font-mono text-xs">{preview(result.reply, localizer)}</q>
            </p>
          )}
        </div>
      ) : (
        <div className="space-y-1 text-red-800 dark:text-red-300">
          <p>
            <span className="font-medium">{t('check.notAnswered')}</span> ({facts})
          </p>
          {result.error !== null && (
            <p className="break-words">
              <code className="font-mono text-xs">{result.error.code}</code>: {result.error.message}
            </p>
          )}
        </div>
      );
    }
  }
}
