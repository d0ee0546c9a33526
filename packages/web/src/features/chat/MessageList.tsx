import type { ChatMessage } from '@botwire/client';
import { useEffect, useRef } from 'react';
import Markdown from 'react-markdown';
import type { PendingMessage } from './chat-state.js';

const STATUS_BADGE: Partial<Record<ChatMessage['status'], { text: string; className: string }>> = {
  cancelled: {
    text: 'cancelled',
    className: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100',
  },
  error: { text: 'error', className: 'bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100' },
  interrupted: {
    text: 'interrupted',
    className: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100',
  },
};

/**
 * The conversation. Replies render as Markdown (react-markdown without raw HTML, so a reply
 * cannot inject markup); a streaming reply re-renders in place as it grows.
 */
export function MessageList({
  messages,
  pending,
  typing,
}: {
  messages: readonly ChatMessage[];
  pending: readonly PendingMessage[];
  typing: boolean;
}) {
  const endRef = useRef<HTMLDivElement>(null);
  const last = messages[messages.length - 1];
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, last?.content, pending.length, typing]);

  return (
    <div
      role="log"
      aria-label="Conversation"
      aria-live="polite"
      aria-relevant="additions"
      tabIndex={0}
      className="flex-1 space-y-3 overflow-y-auto p-4 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      {messages.length === 0 && pending.length === 0 && !typing && (
        <p className="text-center text-sm text-slate-500">No messages yet. Say hello.</p>
      )}
      {messages.map((message) => (
        <MessageBubble key={message.id} message={message} />
      ))}
      {pending.map((entry) => (
        <div key={entry.clientId} className="flex justify-end">
          <div className="max-w-[80%] rounded-lg bg-indigo-600/60 px-3 py-2 whitespace-pre-wrap text-white">
            {entry.text}
            <p className="mt-1 text-xs opacity-90">
              {entry.error === undefined ? 'sending…' : `not sent: ${entry.error}`}
            </p>
          </div>
        </div>
      ))}
      {typing && (
        <p role="status" className="text-sm text-slate-500 italic">
          <span aria-hidden="true" className="animate-pulse">
            ●●●
          </span>{' '}
          Bot is typing…
        </p>
      )}
      <div ref={endRef} />
    </div>
  );
}

function MessageBubble({ message }: { message: ChatMessage }) {
  if (message.role === 'user') {
    return (
      <div className="flex justify-end">
        <div className="max-w-[80%] rounded-lg bg-indigo-600 px-3 py-2 whitespace-pre-wrap text-white">
          <span className="sr-only">{message.sender?.name ?? 'You'}: </span>
          {message.content}
        </div>
      </div>
    );
  }
  const badge = STATUS_BADGE[message.status];
  return (
    <div className="flex justify-start">
      <div
        className="max-w-[80%] rounded-lg bg-slate-100 px-3 py-2 dark:bg-slate-800"
        aria-busy={!message.is_final}
      >
        <span className="sr-only">Bot: </span>
        <div className="markdown">
          <Markdown>{message.content}</Markdown>
        </div>
        {!message.is_final && (
          <span aria-hidden="true" className="ml-0.5 inline-block animate-pulse">
            ▍
          </span>
        )}
        {badge !== undefined && (
          <span className={`mt-1 inline-block rounded px-1.5 py-0.5 text-xs ${badge.className}`}>
            {badge.text}
          </span>
        )}
      </div>
    </div>
  );
}
