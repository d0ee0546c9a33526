import { useI18n } from '../../i18n/i18n-context.js';
import { describeGroupTriggers, type GroupTriggers } from './group-triggers.js';

/**
 * The line above the composer in a group conversation: who sees the messages and when the bot
 * answers, from the pipeline's own trigger rules (so "why no reply?" is answered before asked).
 */
export function GroupHint({ triggers, botName }: { triggers: GroupTriggers; botName: string }) {
  const { t } = useI18n();
  return (
    <p
      id="group-hint"
      className="flex items-start gap-2 border-t border-slate-200 bg-sky-50 px-3 py-1.5 text-xs text-sky-900 sm:px-4 dark:border-slate-800 dark:bg-sky-950/60 dark:text-sky-100"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 16 16"
        className="mt-0.5 size-3.5 shrink-0"
        fill="currentColor"
      >
        <path d="M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13ZM0 8a8 8 0 1 1 16 0A8 8 0 0 1 0 8Zm7.25-3.25a.75.75 0 1 1 1.5 0 .75.75 0 0 1-1.5 0ZM7.25 7h1.5v4.5h-1.5V7Z" />
      </svg>
      <span>
        <span className="font-medium">{t('group.hintTitle')}</span>{' '}
        {describeGroupTriggers(triggers, botName, t)}
      </span>
    </p>
  );
}
