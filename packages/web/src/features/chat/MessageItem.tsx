import type { ChatMessage } from '@botwire/client';
import type { ChatNotice, PendingMessage, ReplyError } from './chat-state.js';
import type { ReactNode } from 'react';
import type { MessageKey } from '../../i18n/catalogues.js';
import { useI18n } from '../../i18n/i18n-context.js';
import { CopyButton } from './CopyButton.js';
import { MarkdownReply } from './MarkdownReply.js';
import { chainParts } from './message-images.js';
import { MessageImages } from './MessageImages.js';
import { MessageTime } from './MessageTime.js';

type ReplyStatus = 'cancelled' | 'error' | 'interrupted';

/** Badge colours for replies that did not complete (text, never colour alone, says which). */
const STATUS_BADGE: Record<ReplyStatus, string> = {
  cancelled: 'bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100',
  error: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200',
  interrupted: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
};

/** What each badge means, for the tooltip and screen readers. */
const STATUS_EXPLANATION: Record<ReplyStatus, MessageKey> = {
  cancelled: 'message.explainCancelled',
  error: 'message.explainError',
  interrupted: 'message.explainInterrupted',
};

/** The badge's own word. */
const STATUS_WORD: Record<ReplyStatus, MessageKey> = {
  cancelled: 'message.badgeCancelled',
  error: 'message.badgeError',
  interrupted: 'message.badgeInterrupted',
};

const BUBBLE = 'max-w-[85%] min-w-0 rounded-lg px-3 py-2 break-words sm:max-w-[80%]';
const OWN_BUBBLE = `${BUBBLE} bg-indigo-600 text-white`;
const OTHER_BUBBLE = `${BUBBLE} bg-slate-100 text-slate-900 dark:bg-slate-800 dark:text-slate-100`;
const FOOTER = 'mt-1 flex min-h-6 flex-wrap items-center gap-2 text-xs';
/** A small text button in a bubble's footer; 44 px tall on a phone, compact from `sm`. */
const FOOTER_ACTION =
  'inline-flex min-h-11 items-center rounded px-2 font-medium underline-offset-2 hover:underline focus-visible:outline-2 sm:min-h-6';

function isReplyStatus(status: ChatMessage['status']): status is ReplyStatus {
  return status === 'cancelled' || status === 'error' || status === 'interrupted';
}

/** Props of {@link MessageItem}. */
export interface MessageItemProps {
  message: ChatMessage;
  /** The pipeline's name: replies are "from" it. */
  botName: string;
  /** Whether a user message was sent by the signed-in principal. */
  own: boolean;
  /** Why this reply failed, when the server said so. */
  replyError?: ReplyError | undefined;
  /** Sends the message this reply answered again (Retry after an error, or Regenerate). */
  onRegenerate?: (() => void) | undefined;
  /** Puts this message of ours back into the message box to edit and send again. */
  onEdit?: (() => void) | undefined;
  /** Figures of this reply (time to first chunk, duration…), when known. */
  figures?: ReactNode;
}

/**
 * One stored message as an `article` named by its sender ("Message from you", "Message from
 * Support bot"). A streaming reply is `aria-busy`, so screen readers read it once, finished,
 * instead of on every chunk. The footer (time, badge, copy) is always there at a fixed height,
 * so a badge or button appearing at the end of a reply does not move the list.
 */
export function MessageItem({
  message,
  botName,
  own,
  replyError,
  onRegenerate,
  onEdit,
  figures,
}: MessageItemProps) {
  const { t } = useI18n();
  const { text, images } = chainParts(message);
  if (message.role === 'user') {
    const sender = own ? t('message.you') : (message.sender?.name ?? t('message.someone'));
    return (
      <article
        role="article"
        aria-label={own ? t('message.fromYou') : t('message.from', { name: sender })}
        className={`flex ${own ? 'justify-end' : 'justify-start'}`}
      >
        <div className={own ? OWN_BUBBLE : OTHER_BUBBLE}>
          {!own && <p className="mb-0.5 text-xs font-medium opacity-80">{sender}</p>}
          {text !== '' && <p className="whitespace-pre-wrap">{text}</p>}
          <MessageImages images={images} />
          <div
            className={`${FOOTER} justify-end ${own ? 'text-indigo-100' : 'text-slate-600 dark:text-slate-300'}`}
          >
            <MessageTime timestamp={message.timestamp} />
            {onEdit !== undefined && (
              <button
                type="button"
                onClick={onEdit}
                className={`${FOOTER_ACTION} ${own ? 'focus-visible:outline-white' : 'focus-visible:outline-indigo-600'}`}
              >
                {t('message.editResend')}
              </button>
            )}
            {text !== '' && <CopyButton text={text} tone={own ? 'inverse' : 'normal'} />}
          </div>
        </div>
      </article>
    );
  }
  const streaming = !message.is_final;
  const badge = isReplyStatus(message.status) ? message.status : undefined;
  return (
    <article
      role="article"
      aria-label={t('message.from', { name: botName })}
      aria-busy={streaming}
      className="flex justify-start"
    >
      <div className={OTHER_BUBBLE}>
        {message.content !== '' && <MarkdownReply text={message.content} />}
        <MessageImages images={images} />
        {badge === 'error' && (
          <div role="alert" className="text-sm text-red-800 dark:text-red-200">
            <p className="font-medium">
              {replyError === undefined
                ? t('message.replyFailed')
                : t('message.replyFailedCode', { code: replyError.code })}
            </p>
            {replyError !== undefined && replyError.message !== '' && (
              <p className="mt-0.5 break-words">{replyError.message}</p>
            )}
          </div>
        )}
        {figures}
        <div className={`${FOOTER} text-slate-600 dark:text-slate-300`}>
          <MessageTime timestamp={message.timestamp} />
          {streaming && (
            <span className="italic">
              <span aria-hidden="true" className="animate-pulse">
                ▍
              </span>{' '}
              {t('message.streaming')}
            </span>
          )}
          {badge !== undefined && (
            <span
              title={t(STATUS_EXPLANATION[badge])}
              className={`rounded px-1.5 py-0.5 font-medium ${STATUS_BADGE[badge]}`}
            >
              {t(STATUS_WORD[badge])}
            </span>
          )}
          <span className="ml-auto flex items-center gap-1">
            {!streaming && onRegenerate !== undefined && (
              <button
                type="button"
                onClick={onRegenerate}
                className={`${FOOTER_ACTION} text-indigo-700 focus-visible:outline-indigo-600 dark:text-indigo-300`}
              >
                {badge === 'error' || badge === 'interrupted'
                  ? t('message.retry')
                  : t('message.regenerate')}
              </button>
            )}
            {!streaming && message.content !== '' && <CopyButton text={message.content} />}
          </span>
        </div>
      </div>
    </article>
  );
}

/**
 * A message of ours the server has not stored yet: greyed, with a marker that says what will
 * happen to it ("pending — will send on reconnect") and, if it was refused, why, and a way to
 * drop it.
 */
export function PendingItem({
  entry,
  online,
  onDiscard,
}: {
  entry: PendingMessage;
  /** Whether the connection is up (then a `sending` message is on its way now). */
  online: boolean;
  onDiscard: (clientId: string) => void;
}) {
  const { t } = useI18n();
  const { text, images } = chainParts({ content: entry.text, message_chain: entry.chain });
  const failed = entry.delivery === 'failed';
  const marker = failed
    ? t('message.notSent', { error: entry.error ?? t('message.refused') })
    : entry.delivery === 'sending' && online
      ? t('message.sending')
      : t('message.pending');
  return (
    <article role="article" aria-label={t('message.fromYou')} className="flex justify-end">
      <div
        className={`${BUBBLE} border-2 border-dashed text-white ${
          failed ? 'border-red-300 bg-red-800' : 'border-indigo-300 bg-indigo-800'
        }`}
      >
        {text !== '' && <p className="whitespace-pre-wrap">{text}</p>}
        <MessageImages images={images} />
        <div className={`${FOOTER} justify-end text-indigo-50`}>
          <MessageTime timestamp={entry.timestamp} />
          <span className="font-medium">{marker}</span>
          {failed && (
            <button
              type="button"
              onClick={() => onDiscard(entry.clientId)}
              className="inline-flex min-h-11 items-center rounded px-1.5 underline hover:bg-white/10 focus-visible:outline-2 focus-visible:outline-white sm:min-h-6"
            >
              {t('message.discard')}
            </button>
          )}
        </div>
      </div>
    </article>
  );
}

/** A broadcast or reset, between the messages; a `note`, not a message of the conversation. */
export function NoticeItem({ notice }: { notice: ChatNotice }) {
  const broadcast = notice.kind === 'broadcast';
  const { t } = useI18n();
  return (
    <div
      role="note"
      aria-label={broadcast ? t('notice.broadcast') : t('notice.reset')}
      className={`mx-auto flex max-w-[90%] flex-wrap items-baseline justify-center gap-x-2 rounded-md border px-3 py-1.5 text-center text-sm ${
        broadcast
          ? 'border-sky-200 bg-sky-50 text-sky-900 dark:border-sky-900 dark:bg-sky-950 dark:text-sky-100'
          : 'border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-800/60 dark:text-slate-200'
      }`}
    >
      <span>
        {broadcast && <strong className="font-semibold">{t('notice.broadcastPrefix')}</strong>}
        {notice.text}
      </span>
      <span className="text-xs opacity-75">
        <MessageTime timestamp={notice.timestamp} />
      </span>
    </div>
  );
}
