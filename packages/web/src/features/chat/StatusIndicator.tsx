import { describeStatus, type ConnectionStatus } from './chat-state.js';

const DOT = {
  green: 'bg-green-500',
  amber: 'bg-amber-500',
  red: 'bg-red-500',
} as const;

/** A coloured dot plus its text (never colour alone), announced politely when it changes. */
export function StatusIndicator({
  status,
  onReconnect,
}: {
  status: ConnectionStatus;
  onReconnect: () => void;
}) {
  const { tone, label } = describeStatus(status);
  return (
    <div className="flex items-center gap-2 text-sm">
      <span role="status" aria-live="polite" className="flex items-center gap-2">
        <span aria-hidden="true" className={`inline-block size-2.5 rounded-full ${DOT[tone]}`} />
        <span>
          <span className="sr-only">Connection: </span>
          {label}
        </span>
      </span>
      {status.kind === 'disconnected' && (
        <button
          type="button"
          onClick={onReconnect}
          className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          Reconnect
        </button>
      )}
    </div>
  );
}
