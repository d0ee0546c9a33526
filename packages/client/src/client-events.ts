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
