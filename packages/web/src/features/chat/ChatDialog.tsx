import type { SessionType } from '@botwire/client';
import { useEffect, useRef, useState } from 'react';
import type { Pipeline } from '../../lib/backend.js';
import { useAuth } from '../auth/auth-context.js';
import { isTyping, streamingReply } from './chat-state.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { SessionSwitch } from './SessionSwitch.js';
import { StatusIndicator } from './StatusIndicator.js';
import { useChatConnection } from './useChatConnection.js';

/**
 * The debug chat of one pipeline, in a modal `<dialog>` (focus stays inside, Escape closes).
 */
export function ChatDialog({ pipeline, onClose }: { pipeline: Pipeline; onClose: () => void }) {
  const { handleUnauthorized } = useAuth();
  const [sessionType, setSessionType] = useState<SessionType>('person');
  const chat = useChatConnection(pipeline.uuid, sessionType, handleUnauthorized);
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    document.getElementById('composer')?.focus();
  }, []);

  const reply = streamingReply(chat.state);

  return (
    <dialog
      ref={dialogRef}
      onClose={onClose}
      aria-labelledby="chat-title"
      className="m-auto hidden h-[85vh] w-[min(48rem,95vw)] flex-col open:flex rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/40 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-100"
    >
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
        <h2 id="chat-title" className="mr-auto font-semibold">
          Debug chat: {pipeline.name}
        </h2>
        <SessionSwitch value={sessionType} onChange={setSessionType} />
        <StatusIndicator status={chat.status} onReconnect={chat.reconnect} />
        <button
          type="button"
          onClick={() => dialogRef.current?.close()}
          aria-label="Close debug chat"
          className="rounded px-2 py-1 text-lg leading-none hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-slate-800"
        >
          ×
        </button>
      </header>
      {chat.historyLoading && chat.state.messages.length === 0 ? (
        <p role="status" className="flex-1 p-4 text-sm text-slate-500">
          Loading history…
        </p>
      ) : (
        <MessageList
          messages={chat.state.messages}
          pending={chat.state.pending}
          typing={isTyping(chat.state)}
        />
      )}
      <Composer
        status={chat.status}
        streaming={reply !== undefined}
        onSend={chat.send}
        onStop={chat.stop}
      />
    </dialog>
  );
}
