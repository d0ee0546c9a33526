import { useI18n } from '../../i18n/i18n-context.js';
import { describeStatus, type ConnectionStatus } from './connection-status.js';

const DOT = {
  green: 'bg-green-500',
  amber: 'bg-amber-500',
  red: 'bg-red-500',
} as const;

/**
 * A coloured dot plus its text (never colour alone), announced politely when it changes. The
 * status region holds only "Connection: <state>", so tests and screen readers read it alike;
 * why it disconnected is in the tooltip and the toast.
 */
export function StatusIndicator({
  status,
  onReconnect,
  retrying = false,
}: {
  status: ConnectionStatus;
  onReconnect: () => void;
  /** The console will connect again by itself (after the SDK gave up on a long outage). */
  retrying?: boolean;
}) {
  const { t } = useI18n();
  const { tone, label } = describeStatus(status, t);
  const reason = status.kind === 'disconnected' ? status.reason : undefined;
  return (
    <div className="flex items-center gap-2 text-sm">
      <span role="status" aria-live="polite" title={reason} className="flex items-center gap-1.5">
        <span
          aria-hidden="true"
          className={`inline-block size-2.5 shrink-0 rounded-full ${DOT[tone]} ${
            tone === 'amber' ? 'animate-pulse' : ''
          }`}
        />
        <span className="whitespace-nowrap">
          <span className="sr-only">{t('status.connection')}</span>
          {label}
        </span>
      </span>
      {status.kind === 'disconnected' && retrying && (
        <span className="text-xs text-slate-600 dark:text-slate-300">{t('status.tryingSoon')}</span>
      )}
      {status.kind === 'disconnected' && (
        <button
          type="button"
          onClick={onReconnect}
          className="min-h-11 rounded border border-slate-300 px-3 text-xs hover:bg-slate-100 sm:min-h-7 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          {t('status.reconnect')}
        </button>
      )}
    </div>
  );
}
