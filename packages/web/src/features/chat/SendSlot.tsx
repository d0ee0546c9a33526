import { useI18n } from '../../i18n/i18n-context.js';

/**
 * Send and Stop share one slot of fixed size: swapping Send for Stop when a reply starts moves
 * nothing. Send submits the composer's form.
 */
export function SendSlot({
  streaming,
  canSend,
  onStop,
}: {
  streaming: boolean;
  canSend: boolean;
  onStop: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="h-11 w-[4.5rem] shrink-0">
      {streaming ? (
        <button
          key="stop"
          type="button"
          onClick={onStop}
          className="size-full rounded bg-red-600 text-sm font-medium text-white hover:bg-red-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
        >
          {t('composer.stop')}
        </button>
      ) : (
        <button
          key="send"
          type="submit"
          disabled={!canSend}
          className="size-full rounded bg-indigo-600 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50"
        >
          {t('composer.send')}
        </button>
      )}
    </div>
  );
}
