import type { ChatMessage } from '@botwire/client';
import { useRef, type ReactNode } from 'react';
import { lastReply, streamingReply, type ChatState } from './chat-state.js';
import { timeline } from './timeline.js';
import { MessageItem, NoticeItem, PendingItem } from './MessageItem.js';
import { useStickToBottom } from './useStickToBottom.js';
import { useI18n } from '../../i18n/i18n-context.js';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  state: ChatState;
  typing: boolean;
  botName: string;
  /** Whether a user message is the signed-in principal's own. */
  isOwn: (message: ChatMessage) => boolean;
  /** Whether the connection is up (pending messages say "sending" rather than "pending"). */
  online: boolean;
  onDiscard: (clientId: string) => void;
  /** Shown instead of the empty state when the history failed to load. */
  historyError?: string | undefined;
  onRetryHistory?: () => void;
  /** Whether this is a group conversation (the empty state's hint differs). */
  group?: boolean;
  /** Sends the message a reply answered again (offered on the last reply and failed ones). */
  onRegenerate?: ((reply: ChatMessage) => void) | undefined;
  /** Puts one of our messages back into the message box (offered on our newest message). */
  onEdit?: ((message: ChatMessage) => void) | undefined;
  /** The figures shown under a reply (time to first chunk, duration…). */
  figuresOf?: ((reply: ChatMessage) => ReactNode) | undefined;
}

/**
 * The conversation, as a `log`: screen readers announce new messages politely (additions only;
 * a streaming reply is `aria-busy`, so it is read once when done). The typing indicator lives in
 * a slot of fixed height at the end, so it appearing and disappearing never moves the list.
 */
export function MessageList({
  state,
  typing,
  botName,
  isOwn,
  online,
  onDiscard,
  historyError,
  onRetryHistory,
  group = false,
  onRegenerate,
  onEdit,
  figuresOf,
}: MessageListProps) {
  const newestReply = lastReply(state);
  let newestOwnId: number | undefined;
  for (const message of state.messages) {
    if (message.role === 'user' && isOwn(message)) newestOwnId = message.id;
  }
  const scrollRef = useRef<HTMLDivElement>(null);
  const entries = timeline(state);
  // The streaming reply, not the last message: a message sent meanwhile sorts after it while
  // the reply keeps growing above.
  const growing = streamingReply(state);
  const { onScroll, hasUnseen, jumpToLatest } = useStickToBottom(
    scrollRef,
    `${entries.length}:${state.pending.length}:${growing?.id}:${growing?.content.length}:${typing}`,
  );
  const empty = entries.length === 0 && state.pending.length === 0;
  const { t } = useI18n();

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        onScroll={onScroll}
        role="log"
        aria-label={t('chat.log')}
        aria-live="polite"
        aria-relevant="additions"
        tabIndex={0}
        className="h-full space-y-3 overflow-y-auto overscroll-contain p-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 sm:p-4"
      >
        {empty && historyError !== undefined && (
          <div role="alert" className="mx-auto mt-8 max-w-sm text-center text-sm">
            <p className="font-medium text-red-700 dark:text-red-300">{t('chat.historyFailed')}</p>
            <p className="mt-1 text-slate-600 dark:text-slate-400">{historyError}</p>
            {onRetryHistory !== undefined && (
              <button
                type="button"
                onClick={onRetryHistory}
                className="mt-3 rounded border border-slate-300 px-3 py-1 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-700 dark:hover:bg-slate-800"
              >
                {t('chat.tryAgain')}
              </button>
            )}
          </div>
        )}
        {empty && historyError === undefined && !typing && (
          <div className="mx-auto mt-8 max-w-sm text-center text-sm text-slate-500 dark:text-slate-400">
            <p className="text-base font-medium text-slate-700 dark:text-slate-200">
              {t('chat.emptyTitle')}
            </p>
            <p className="mt-1">
              {group ? t('chat.emptyGroup') : t('chat.emptyPerson', { name: botName })}
            </p>
          </div>
        )}
        {entries.map((entry) =>
          entry.kind === 'notice' ? (
            <NoticeItem key={`notice-${entry.notice.id}`} notice={entry.notice} />
          ) : (
            <MessageItem
              key={entry.message.id}
              message={entry.message}
              botName={botName}
              own={isOwn(entry.message)}
              replyError={state.replyErrors[entry.message.id]}
              onRegenerate={
                onRegenerate !== undefined &&
                entry.message.role === 'assistant' &&
                entry.message.reply_to !== null &&
                (entry.message === newestReply || entry.message.status === 'error')
                  ? () => onRegenerate(entry.message)
                  : undefined
              }
              onEdit={
                onEdit !== undefined && entry.message.id === newestOwnId
                  ? () => onEdit(entry.message)
                  : undefined
              }
              figures={entry.message.role === 'assistant' ? figuresOf?.(entry.message) : undefined}
            />
          ),
        )}
        {state.pending.map((entry) => (
          <PendingItem key={entry.clientId} entry={entry} online={online} onDiscard={onDiscard} />
        ))}
        <div className="h-6 text-sm text-slate-500 italic dark:text-slate-400">
          {typing && (
            <p role="status">
              <span aria-hidden="true" className="animate-pulse">
                ●●●
              </span>{' '}
              {t('chat.typing', { name: botName })}
            </p>
          )}
        </div>
      </div>
      {hasUnseen && (
        <button
          type="button"
          onClick={jumpToLatest}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-slate-900/85 px-3 py-1 text-xs text-white shadow hover:bg-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:bg-slate-100/90 dark:text-slate-900"
        >
          {t('chat.newMessagesBelow')} ↓
        </button>
      )}
    </div>
  );
}
