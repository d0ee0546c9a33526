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
  const whose =
    sessionType === 'group'
      ? 'the group conversation, for everyone in it'
      : 'your person conversation, in every tab';
  return (
    <ConfirmDialog
      trigger={
        <button
          type="button"
          aria-label="Reset conversation"
          title="Reset conversation"
          className="inline-flex min-h-11 items-center gap-1 rounded border border-slate-300 px-3 sm:min-h-7 sm:px-2 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800"
        >
          <span aria-hidden="true">↺</span>
          <span>Reset</span>
        </button>
      }
      title="Reset this conversation?"
      description={`This deletes the messages and the bot’s memory of ${whose}. It cannot be undone.`}
      confirmLabel="Reset"
      onConfirm={onReset}
    />
  );
}
