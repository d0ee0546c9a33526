import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n-context.js';

/** A bordered button for the actions next to an error (Retry, Back). */
export const ERROR_ACTION_CLASS =
  'rounded border border-slate-300 px-3 py-1.5 text-slate-900 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-900';

/**
 * What a screen shows instead of its content when loading it failed: the reason, announced as an
 * alert, and what the user can do about it (the `children`, usually a Retry button).
 */
export function ErrorPanel({ message, children }: { message: ReactNode; children?: ReactNode }) {
  return (
    <div
      role="alert"
      className="space-y-2 rounded-lg border border-red-300 p-4 text-sm text-red-800 dark:border-red-800 dark:text-red-200"
    >
      <p>{message}</p>
      {children !== undefined && <div className="flex flex-wrap gap-2">{children}</div>}
    </div>
  );
}

/** The Retry button of an {@link ErrorPanel}. */
export function RetryButton({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <button type="button" onClick={onRetry} className={ERROR_ACTION_CLASS}>
      {t('common.retry')}
    </button>
  );
}
