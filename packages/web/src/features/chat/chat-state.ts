import type { ChatMessage, ConnectionState, StateChange } from '@botwire/client';

/**
 * The debug chat's pure state: the conversation's messages keyed by id, plus the user's own
 * messages that the server has not acknowledged yet (keyed by their `client_id`). Every change
 * goes through {@link chatReducer}, so the rules below are tested without a socket or a DOM.
 *
 * - A reply arrives many times under one id; each version replaces the previous one in place.
 * - A final version is never replaced by a late non-final one.
 * - Two replies have two ids, so one never overwrites the other.
 * - A user message leaves `pending` when the server's copy (same `client_id`) arrives.
 * - History from REST merges by id: no duplicates, the more complete version wins.
 */
export interface ChatState {
  /** Stored messages, sorted by id (the server's ids grow with time). */
  messages: ChatMessage[];
  /** Sent but not yet acknowledged, oldest first. */
  pending: PendingMessage[];
  /** The id of our acknowledged message whose reply has not started yet (typing indicator). */
  awaitingReplyTo: number | undefined;
}

/** A message the user sent that the server has not stored yet. */
export interface PendingMessage {
  clientId: string;
  text: string;
  /** Why sending failed, once it did. */
  error?: string;
}

export type ChatAction =
  /** A message from `onMessage` (or a `sendMessage` acknowledgement). */
  | { type: 'message'; message: ChatMessage }
  /** History loaded over REST, merged into what is on screen. */
  | { type: 'history'; messages: readonly ChatMessage[] }
  /** The user sent a message; shown at once, greyed until acknowledged. */
  | { type: 'sent'; clientId: string; text: string }
  /** Our message was stored and a reply to it is due. */
  | { type: 'awaiting-reply'; messageId: number }
  /** No reply is coming (an error frame, a cancel, a disconnect). */
  | { type: 'stop-waiting' }
  | { type: 'send-failed'; clientId: string; error: string }
  /** The conversation was reset, or another conversation was opened. */
  | { type: 'reset' };

export const initialChatState: ChatState = {
  messages: [],
  pending: [],
  awaitingReplyTo: undefined,
};

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'message': {
      const messages = upsert(state.messages, action.message);
      return {
        messages,
        pending: dropAcknowledged(state.pending, [action.message]),
        awaitingReplyTo: answered(state.awaitingReplyTo, [action.message]),
      };
    }
    case 'history': {
      let { messages } = state;
      for (const message of action.messages) messages = upsert(messages, message);
      return {
        messages,
        pending: dropAcknowledged(state.pending, action.messages),
        awaitingReplyTo: answered(state.awaitingReplyTo, action.messages),
      };
    }
    case 'sent':
      return {
        ...state,
        pending: [...state.pending, { clientId: action.clientId, text: action.text }],
      };
    case 'awaiting-reply': {
      const alreadyAnswered = state.messages.some(
        (message) => message.role === 'assistant' && message.reply_to === action.messageId,
      );
      return alreadyAnswered ? state : { ...state, awaitingReplyTo: action.messageId };
    }
    case 'stop-waiting':
      return state.awaitingReplyTo === undefined ? state : { ...state, awaitingReplyTo: undefined };
    case 'send-failed':
      return {
        ...state,
        pending: state.pending.map((entry) =>
          entry.clientId === action.clientId ? { ...entry, error: action.error } : entry,
        ),
      };
    case 'reset':
      return initialChatState;
  }
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
  if (current.is_final) return incoming.is_final; // final is replaced only by final
  if (incoming.is_final) return true;
  // Both in progress: after a resync the live copy may hold only the text received since, while
  // the history holds more; keep whichever has more text (a growing reply never shrinks).
  return incoming.content.length >= current.content.length;
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

// ---- Connection status ---------------------------------------------------------------------

/** What the status indicator shows. */
export type ConnectionStatus =
  | { kind: 'connecting' }
  | { kind: 'connected' }
  | { kind: 'reconnecting'; attempt: number; maxAttempts: number }
  | { kind: 'disconnected'; reason: string | undefined };

export const initialConnectionStatus: ConnectionStatus = { kind: 'connecting' };

/** Maps a state change of the SDK's `WebSocketClient` to the indicator's model. */
export function statusFromStateChange(change: StateChange, maxAttempts = 5): ConnectionStatus {
  return statusFromState(change.current, change, maxAttempts);
}

function statusFromState(
  state: ConnectionState,
  change: StateChange,
  defaultMaxAttempts: number,
): ConnectionStatus {
  switch (state) {
    case 'idle':
    case 'connecting':
      return { kind: 'connecting' };
    case 'connected':
      return { kind: 'connected' };
    case 'reconnecting':
      return {
        kind: 'reconnecting',
        attempt: change.attempt ?? 1,
        maxAttempts: change.maxAttempts ?? defaultMaxAttempts,
      };
    case 'closed':
      return { kind: 'disconnected', reason: change.error?.message };
  }
}

/** The indicator's colour and its text. */
export function describeStatus(status: ConnectionStatus): {
  tone: 'green' | 'amber' | 'red';
  label: string;
} {
  switch (status.kind) {
    case 'connecting':
      return { tone: 'amber', label: 'connecting' };
    case 'connected':
      return { tone: 'green', label: 'connected' };
    case 'reconnecting':
      return {
        tone: 'amber',
        label: `reconnecting (attempt ${status.attempt} of ${status.maxAttempts})`,
      };
    case 'disconnected':
      return { tone: 'red', label: 'disconnected' };
  }
}
