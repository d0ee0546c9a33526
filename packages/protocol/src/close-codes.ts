/**
 * WebSocket close codes Botwire uses. 1000-1011 are the standard ones; 4000-4999 are Botwire's.
 * A client must not reconnect after a code for which {@link isRetryableCloseCode} is false:
 * retrying cannot succeed until the user changes something (credentials, pipeline, request).
 */
export const CLOSE_CODES = {
  /** The client said `disconnect`, or closed itself. */
  NORMAL: 1000,
  /** The server is shutting down or restarting: reconnect. */
  GOING_AWAY: 1001,
  /** A frame was larger than the hard limit. */
  MESSAGE_TOO_BIG: 1009,
  /** The server hit an unexpected error: reconnect with backoff. */
  INTERNAL_ERROR: 1011,
  /** The connect request was malformed (for example `session_type=foo`). Do not retry. */
  BAD_REQUEST: 4000,
  /** No valid credentials, or the authenticate frame was missing, late or wrong. Do not retry. */
  UNAUTHENTICATED: 4001,
  /** The credentials may not use this pipeline, or the Origin is not allowed. Do not retry. */
  FORBIDDEN: 4003,
  /** The pipeline does not exist (or was deleted). Do not retry. */
  PIPELINE_NOT_FOUND: 4004,
  /** The client's send buffer passed the limit because it stopped reading: reconnect. */
  SLOW_CONSUMER: 4008,
  /** Nothing was heard from the client within the heartbeat timeout: reconnect. */
  HEARTBEAT_TIMEOUT: 4009,
  /** Too many connections in total or for these credentials: reconnect later, with backoff. */
  CONNECTION_LIMIT: 4029,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];

const FINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CLOSE_CODES.NORMAL,
  CLOSE_CODES.BAD_REQUEST,
  CLOSE_CODES.UNAUTHENTICATED,
  CLOSE_CODES.FORBIDDEN,
  CLOSE_CODES.PIPELINE_NOT_FOUND,
]);

/** Whether a client may reconnect after the server closed with `code`. */
export function isRetryableCloseCode(code: number): boolean {
  return !FINAL_CLOSE_CODES.has(code);
}
