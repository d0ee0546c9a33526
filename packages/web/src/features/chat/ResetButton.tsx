import { useI18n } from '../../i18n/i18n-context.js';
import type { SessionType } from '@botwire/client';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';

/**
 * "Reset conversation", behind a confirmation: it deletes the history and the bot's memory for
 * everyone in the conversation and cannot be undone.
 */
export function ResetButton({
  sessionType,
  onReset,
}: {
  sessionType: SessionType;
  onReset: () => Promise<void>;
}) {
  const { t } = useI18n();
  return (
    <ConfirmDialog
      trigger={
        <button
          type="button"
          aria-label={t('reset.label')}
          title={t('reset.label')}
          className="inline-flex min-h-11 items-center gap-1 rounded border border-slate-300 px-3 sm:min-h-7 sm:px-2 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          <span aria-hidden="true">↺</span>
          <span>{t('reset.button')}</span>
        </button>
      }
      title={t('reset.title')}
      description={t(
        sessionType === 'group' ? 'reset.descriptionGroup' : 'reset.descriptionPerson',
      )}
      confirmLabel={t('reset.button')}
      onConfirm={onReset}
    />
  );
}
