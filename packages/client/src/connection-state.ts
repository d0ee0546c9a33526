import type { BotwireClientError } from './client-error.js';

/**
 * Where a {@link WebSocketClient} is:
 *
 * - `idle`: created, `connect()` not called yet;
 * - `connecting`: the first connection is being opened (until the server's `connected` frame);
 * - `connected`: the server sent `connected`; messages go out at once;
 * - `reconnecting`: the connection was lost (or the first one failed) and the client is waiting
 *   out a backoff delay or opening the next socket; messages wait in the outbox;
 * - `closed`: for good, until `connect()` is called again (see the change's `reason`).
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/**
 * Why the state changed. An app can react to the cause (show "signed out" for
 * `final-close-code` with `AUTH_FAILED`, "offline" for `transport-error`), not only to the state.
 */
export const STATE_REASONS = {
  /** `connect()` was called. */
  CONNECT_CALLED: 'connect-called',
  /** The server sent `connected`: authenticated and joined to the conversation. */
  OPENED: 'opened',
  /** The server closed the socket with a retryable code (`closeCode` says which). */
  SERVER_CLOSED: 'server-closed',
  /** The socket ended without a close frame (1006/1005: network, proxy, refused upgrade). */
  TRANSPORT_ERROR: 'transport-error',
  /** Nothing arrived within `heartbeatTimeoutMs` of a ping: the client dropped the socket. */
  HEARTBEAT_TIMEOUT: 'heartbeat-timeout',
  /** `getToken` failed (threw or rejected); the attempt is retried like a dropped connection. */
  TOKEN_UNAVAILABLE: 'token-unavailable',
  /**
   * The connection stayed lost for `reconnectWindowMs` (or `maxReconnectAttempts` retries
   * failed); the client gave up, keeping unsent messages for the next `connect()`.
   */
  RETRIES_EXHAUSTED: 'retries-exhausted',
  /**
   * The server closed with a code after which retrying cannot help (1000, 4000 bad request,
   * 4001 unauthenticated, 4003 forbidden, 4004 unknown pipeline); `error` carries the cause.
   */
  FINAL_CLOSE_CODE: 'final-close-code',
  /** `disconnect()` was called. */
  DISCONNECT_CALLED: 'disconnect-called',
} as const;

/** One of {@link STATE_REASONS}. */
export type StateReason = (typeof STATE_REASONS)[keyof typeof STATE_REASONS];

/**
 * One state change. Entering `reconnecting` happens once per scheduled retry (so
 * `reconnecting` → `reconnecting` is reported when a retry fails), with the retry's `attempt`
 * (1-based), `maxAttempts` and `delayMs` before the socket is opened.
 */
export interface StateChange {
  previous: ConnectionState;
  current: ConnectionState;
  reason: StateReason;
  /** The close code of the socket that ended, when one did. */
  closeCode?: number;
  /** The retry this change schedules (`reconnecting`) or the last one made (`retries-exhausted`). */
  attempt?: number;
  maxAttempts?: number;
  /** How long the client waits before opening the next socket. */
  delayMs?: number;
  /** Why the client stopped, for `final-close-code` and `retries-exhausted`. */
  error?: BotwireClientError;
}
