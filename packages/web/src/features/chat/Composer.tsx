import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ConnectionStatus } from './chat-state.js';

/**
 * The message box. Enter sends, Shift+Enter adds a line. While the connection is being
 * re-established messages still go into the SDK's outbox ("will send on reconnect"); once the
 * client gave up, sending waits for the Reconnect button.
 */
export function Composer({
  status,
  streaming,
  onSend,
  onStop,
}: {
  status: ConnectionStatus;
  streaming: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}) {
  const [text, setText] = useState('');
  const closed = status.kind === 'disconnected';
  const offline = status.kind !== 'connected';

  function submit(event?: FormEvent): void {
    event?.preventDefault();
    const message = text.trim();
    if (message === '' || closed) return;
    onSend(message);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  const hint = closed
    ? 'Disconnected: reconnect to send'
    : offline
      ? 'Offline: messages will send on reconnect'
      : undefined;

  return (
    <form onSubmit={submit} className="border-t border-slate-200 p-3 dark:border-slate-800">
      {hint !== undefined && (
        <p id="composer-hint" className="mb-2 text-xs text-amber-700 dark:text-amber-400">
          {hint}
        </p>
      )}
      <div className="flex items-end gap-2">
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          id="composer"
          rows={2}
          value={text}
          disabled={closed}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={hint ?? 'Message (Enter to send, Shift+Enter for a new line)'}
          aria-describedby={hint === undefined ? undefined : 'composer-hint'}
          className="min-h-10 flex-1 resize-y rounded border border-slate-300 bg-transparent px-3 py-2 disabled:opacity-60 dark:border-slate-700"
        />
        {streaming ? (
          <button
            type="button"
            onClick={onStop}
            className="rounded bg-red-600 px-3 py-2 text-sm font-medium text-white hover:bg-red-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
          >
            Stop
          </button>
        ) : null}
        <button
          type="submit"
          disabled={closed || text.trim() === ''}
          className="rounded bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:opacity-50"
        >
          Send
        </button>
      </div>
    </form>
  );
}
