import type { ChatMessage, MessageChain } from '@botwire/client';

/**
 * The debug chat's pure state: the conversation's messages keyed by id, the user's own messages
 * that the server has not stored yet (keyed by their `client_id`), and notices shown between
 * messages (broadcasts, resets). Every change goes through {@link chatReducer}, so the rules
 * below are tested without a socket or a DOM.
 *
 * - A reply arrives many times under one id; each version replaces the previous one in place.
 * - A final version is never replaced by a late non-final one.
 * - Two replies have two ids, so one never overwrites the other.
 * - A user message leaves `pending` when the server's copy (same `client_id`) arrives.
 * - History from REST merges by id: no duplicates, the more complete version wins.
 * - A reset empties the conversation but keeps unsent messages: they belong to the next one.
 */
export interface ChatState {
  /** Stored messages, sorted by id (the server's ids grow with time). */
  messages: ChatMessage[];
  /** Sent but not yet acknowledged, oldest first. */
  pending: PendingMessage[];
  /** The id of our acknowledged message whose reply has not started yet (typing indicator). */
  awaitingReplyTo: number | undefined;
  /** Broadcasts and resets, in the order they happened. */
  notices: ChatNotice[];
  /** Why a reply failed, by reply id, from the server's `error` frame that ended it. */
  replyErrors: Readonly<Record<number, ReplyError>>;
}

/** The server's reason for a failed reply (`MODEL_UNREACHABLE` and its explanation). */
export interface ReplyError {
  code: string;
  message: string;
}

/**
 * Where an unacknowledged message is:
 * - `queued`: held by the console because there was no connection to hand it to; it goes out
 *   when the connection is back;
 * - `sending`: in the SDK's outbox, which sends it (again) on every reconnect until stored;
 * - `failed`: refused (e.g. `QUEUE_FULL`); kept so the text is not lost.
 */
export type PendingDelivery = 'queued' | 'sending' | 'failed';

/** A message the user sent that the server has not stored yet. */
export interface PendingMessage {
  clientId: string;
  /** What is sent: the text, after a mention of the bot when one was chosen. */
  chain: MessageChain;
  /** The chain as text, as the server will show it (`@Bot hello`). */
  text: string;
  /** When the user pressed Send (ISO-8601), for the timestamp. */
  timestamp: string;
  delivery: PendingDelivery;
  /** Why sending failed, once it did. */
  error?: string;
}

/** A line in the conversation that is not a message. */
export interface ChatNotice {
  id: string;
  kind: 'broadcast' | 'reset';
  text: string;
  timestamp: string;
  /** The newest message when it arrived, so it stays between the same messages; none: first. */
  afterMessageId: number | undefined;
}

export type ChatAction =
  /** A message from `onMessage` (or a `sendMessage` acknowledgement). */
  | { type: 'message'; message: ChatMessage }
  /** History loaded over REST, merged into what is on screen. */
  | { type: 'history'; messages: readonly ChatMessage[] }
  /** The user sent a message; shown at once as pending. `queued`: no connection to take it. */
  | {
      type: 'sent';
      clientId: string;
      chain: MessageChain;
      text: string;
      timestamp: string;
      queued: boolean;
    }
  /** A queued message was handed to the connection. */
  | { type: 'sending'; clientId: string }
  /** The connection gave up before the server stored it: hold it for the next connection. */
  | { type: 'requeue'; clientId: string }
  | { type: 'send-failed'; clientId: string; error: string }
  /** The user dropped a message that could not be sent. */
  | { type: 'discard'; clientId: string }
  /** Our message was stored and a reply to it is due. */
  | { type: 'awaiting-reply'; messageId: number }
  /** No reply is coming (an error frame, a cancel, a disconnect). */
  | { type: 'stop-waiting' }
  /** An admin's broadcast to everyone on the pipeline. */
  | { type: 'broadcast'; id: string; text: string; timestamp: string }
  /** The conversation was reset (here, in another tab, or by an admin). */
  | { type: 'conversation-reset'; id: string; text: string; timestamp: string }
  /** The server ended a reply with an error frame naming it. */
  | { type: 'reply-error'; replyId: number; error: ReplyError }
  /** Another conversation was opened: start from nothing. */
  | { type: 'clear' };

/** An empty conversation. */
export const initialChatState: ChatState = {
  messages: [],
  pending: [],
  awaitingReplyTo: undefined,
  notices: [],
  replyErrors: {},
};

/** Applies one {@link ChatAction}; returns `state` itself when nothing changed. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'message':
      return merge(state, [action.message]);
    case 'history':
      return merge(state, action.messages);
    case 'sent': {
      if (state.pending.some((entry) => entry.clientId === action.clientId)) return state;
      const entry: PendingMessage = {
        clientId: action.clientId,
        chain: action.chain,
        text: action.text,
        timestamp: action.timestamp,
        delivery: action.queued ? 'queued' : 'sending',
      };
      return { ...state, pending: [...state.pending, entry] };
    }
    case 'sending':
      return updatePending(state, action.clientId, { delivery: 'sending', error: undefined });
    case 'requeue':
      return updatePending(state, action.clientId, { delivery: 'queued', error: undefined });
    case 'send-failed':
      return updatePending(state, action.clientId, { delivery: 'failed', error: action.error });
    case 'discard': {
      const pending = state.pending.filter((entry) => entry.clientId !== action.clientId);
      return pending.length === state.pending.length ? state : { ...state, pending };
    }
    case 'awaiting-reply': {
      const alreadyAnswered = state.messages.some(
        (message) => message.role === 'assistant' && message.reply_to === action.messageId,
      );
      return alreadyAnswered ? state : { ...state, awaitingReplyTo: action.messageId };
    }
    case 'stop-waiting':
      return state.awaitingReplyTo === undefined ? state : { ...state, awaitingReplyTo: undefined };
    case 'broadcast':
      if (state.notices.some((notice) => notice.id === action.id)) return state;
      return { ...state, notices: [...state.notices, notice(state, 'broadcast', action)] };
    case 'conversation-reset':
      // One notice however many times the reset is reported (our REST call, then its frame).
      return {
        messages: [],
        pending: state.pending,
        awaitingReplyTo: undefined,
        notices: [notice(initialChatState, 'reset', action)],
        replyErrors: {},
      };
    case 'reply-error':
      return {
        ...state,
        awaitingReplyTo: undefined,
        replyErrors: { ...state.replyErrors, [action.replyId]: action.error },
      };
    case 'clear':
      return initialChatState;
  }
}

function merge(state: ChatState, incoming: readonly ChatMessage[]): ChatState {
  let { messages } = state;
  for (const message of incoming) messages = upsert(messages, message);
  const pending = dropAcknowledged(state.pending, incoming);
  const awaitingReplyTo = answered(state.awaitingReplyTo, incoming);
  if (
    messages === state.messages &&
    pending === state.pending &&
    awaitingReplyTo === state.awaitingReplyTo
  ) {
    return state;
  }
  return { ...state, messages, pending, awaitingReplyTo };
}

function notice(
  state: ChatState,
  kind: ChatNotice['kind'],
  action: { id: string; text: string; timestamp: string },
): ChatNotice {
  const last = state.messages[state.messages.length - 1];
  return {
    id: action.id,
    kind,
    text: action.text,
    timestamp: action.timestamp,
    afterMessageId: last?.id,
  };
}

function updatePending(
  state: ChatState,
  clientId: string,
  change: Pick<PendingMessage, 'delivery' | 'error'>,
): ChatState {
  if (!state.pending.some((entry) => entry.clientId === clientId)) return state;
  return {
    ...state,
    pending: state.pending.map((entry) => {
      if (entry.clientId !== clientId) return entry;
      const next: PendingMessage = { ...entry, delivery: change.delivery };
      if (change.error === undefined) delete next.error;
      else next.error = change.error;
      return next;
    }),
  };
}

/** Inserts or replaces `incoming` by id, keeping the list sorted by id. */
function upsert(messages: ChatMessage[], incoming: ChatMessage): ChatMessage[] {
  const index = messages.findIndex((message) => message.id === incoming.id);
  if (index === -1) {
    const next = [...messages, incoming];
    // Almost always appended at the end; sort only when it arrived out of order.
    const previous = messages[messages.length - 1];
    if (previous !== undefined && previous.id > incoming.id) next.sort((a, b) => a.id - b.id);
    return next;
  }
  const current = messages[index];
  if (current === undefined || !isNewer(incoming, current)) return messages;
  const next = [...messages];
  next[index] = incoming;
  return next;
}

/** Whether `incoming` should replace `current` (same id). */
function isNewer(incoming: ChatMessage, current: ChatMessage): boolean {
  if (current.is_final) return incoming.is_final && incoming !== current; // final only by final
  if (incoming.is_final) return true;
  // Both in progress: after a resync the live copy may hold only the text received since, while
  // the history holds more; keep whichever has more text (a growing reply never shrinks).
  return incoming.content.length >= current.content.length && incoming !== current;
}

function dropAcknowledged(
  pending: PendingMessage[],
  messages: readonly ChatMessage[],
): PendingMessage[] {
  if (pending.length === 0) return pending;
  const acknowledged = new Set<string>();
  for (const message of messages) {
    if (message.role === 'user' && typeof message.client_id === 'string') {
      acknowledged.add(message.client_id);
    }
  }
  if (acknowledged.size === 0) return pending;
  const next = pending.filter((entry) => !acknowledged.has(entry.clientId));
  return next.length === pending.length ? pending : next;
}

function answered(
  awaitingReplyTo: number | undefined,
  messages: readonly ChatMessage[],
): number | undefined {
  if (awaitingReplyTo === undefined) return undefined;
  const replied = messages.some(
    (message) => message.role === 'assistant' && message.reply_to === awaitingReplyTo,
  );
  return replied ? undefined : awaitingReplyTo;
}

/** The reply currently streaming, if any (the newest one). */
export function streamingReply(state: ChatState): ChatMessage | undefined {
  for (let index = state.messages.length - 1; index >= 0; index -= 1) {
    const message = state.messages[index];
    if (message?.role === 'assistant' && !message.is_final) return message;
  }
  return undefined;
}

/** Whether to show "bot is typing": a reply is due but no text has arrived yet. */
export function isTyping(state: ChatState): boolean {
  if (state.awaitingReplyTo !== undefined) return true;
  const reply = streamingReply(state);
  return reply !== undefined && reply.content === '';
}

/** The newest user message of ours that a reply answers or is due for, to send it again. */
export function lastUserMessage(state: ChatState): ChatMessage | undefined {
  for (let index = state.messages.length - 1; index >= 0; index -= 1) {
    const message = state.messages[index];
    if (message?.role === 'user') return message;
  }
  return undefined;
}

/** The newest reply, if it is the last message of the conversation (regenerate applies to it). */
export function lastReply(state: ChatState): ChatMessage | undefined {
  const last = state.messages[state.messages.length - 1];
  return last?.role === 'assistant' ? last : undefined;
}
