import type { ChatMessage, ConnectedFrame, SessionType } from '@botwire/protocol';
import type { BotwireClientError } from './client-error.js';
import type { StateChange } from './connection-state.js';

/** What `WebSocketClient.onDisconnected` listeners get. */
export interface DisconnectEvent {
  /** The close code (1006 when the connection died without one). */
  code: number;
  reason: string;
  /** Whether the client retries; false once it gave up or was told to stop. */
  willReconnect: boolean;
}

/** A notice pushed by an admin through the broadcast endpoint. Not stored, not replayed. */
export interface BroadcastEvent {
  message: string;
  timestamp: string;
}

/** What `WebSocketClient.onResync` listeners get. */
export interface ResyncEvent {
  /** The seq the client continues from; reload the history over REST to fill the gap. */
  lastSeq: number;
  /** The server's explanation. */
  reason: string;
}

/** What `WebSocketClient.onSessionReset` listeners get. */
export interface SessionResetEvent {
  timestamp: string;
}

/** Options of `WebSocketClient.sendMessage`. */
export interface SendMessageOptions {
  /**
   * The idempotency key. Pass one you stored to resend a message across page loads without it
   * being stored twice; a random UUID by default.
   */
  clientId?: string;
}

/**
 * Where `autoResync` reloads a conversation's history from: a `BackendClient` fits (only its
 * `getHistory` is used).
 */
export interface HistorySource {
  getHistory(
    uuid: string,
    sessionType: SessionType,
    options?: { session?: string },
  ): Promise<{ messages: ChatMessage[]; last_seq: number; has_more: boolean }>;
}

/** What `history` listeners get: the conversation reloaded after `resync_required`. */
export interface HistoryEvent {
  /** The newest messages of the conversation, oldest first, as the server stored them. */
  messages: ChatMessage[];
  /** Whether older messages exist (page back with `BackendClient.getHistory`). */
  hasMore: boolean;
}

/** Every event of a `WebSocketClient` and what its listeners get; see `WebSocketClient.on`. */
export interface ClientEventMap {
  /** A message of the conversation, whole, each time it changes; see `onMessage`. */
  message: ChatMessage;
  broadcast: BroadcastEvent;
  connected: ConnectedFrame;
  disconnected: DisconnectEvent;
  error: BotwireClientError;
  stateChange: StateChange;
  sessionReset: SessionResetEvent;
  resync: ResyncEvent;
  /** With `autoResync`: the history reloaded after a `resync`. */
  history: HistoryEvent;
}
