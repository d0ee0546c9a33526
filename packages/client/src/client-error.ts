import type { ErrorCode } from '@botwire/protocol';

/** Codes the client itself raises, next to the server's catalogue codes. */
export const CLIENT_ERROR_CODES = [
  /** The request never got an HTTP answer (DNS, refused connection, CORS, offline). */
  'NETWORK_ERROR',
  /** The server answered something that is not a Botwire envelope of the expected shape. */
  'BAD_RESPONSE',
  /** `sendMessage` found the outbox at `outboxLimit` unacknowledged messages. */
  'OUTBOX_FULL',
  /** The connection ended for good (retries exhausted, final close, or `disconnect()`). */
  'CONNECTION_CLOSED',
  /** The call needs a connection and there is none (`connect()` was not called, or it closed). */
  'NOT_CONNECTED',
  /** The `getToken` option threw or rejected; the connection attempt is retried. */
  'TOKEN_UNAVAILABLE',
  /** No WebSocket implementation: pass one as the `WebSocket` option (e.g. the `ws` package). */
  'NO_WEBSOCKET',
] as const;

/** A code the client raises itself. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** Every code a {@link BotwireClientError} can carry: the server's catalogue plus the client's. */
export type BotwireClientErrorCode = ErrorCode | ClientErrorCode;

/** What {@link BotwireClientError} is built from. */
export interface BotwireClientErrorOptions {
  code: BotwireClientErrorCode;
  message: string;
  /** The HTTP status of a failed REST call. */
  status?: number;
  /** The WebSocket close code that ended the connection, when one did. */
  closeCode?: number;
  cause?: unknown;
}

/**
 * The one error type of the SDK. `code` is stable and meant for branching: a server code from
 * the catalogue (`AUTH_FAILED`, `PIPELINE_NOT_FOUND`, `QUEUE_FULL`...) or a client code
 * ({@link ClientErrorCode}); `message` is for people.
 *
 * @example
 * ```ts
 * try {
 *   await backend.getPipeline(uuid);
 * } catch (error) {
 *   if (error instanceof BotwireClientError && error.code === 'PIPELINE_NOT_FOUND') showNotFound();
 *   else throw error;
 * }
 * ```
 */
export class BotwireClientError extends Error {
  override readonly name = 'BotwireClientError';
  readonly code: BotwireClientErrorCode;
  readonly status: number | undefined;
  readonly closeCode: number | undefined;

  constructor(options: BotwireClientErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.status = options.status;
    this.closeCode = options.closeCode;
  }
}
