import { CLOSE_CODES, isRetryableCloseCode, type ErrorFrame } from '@botwire/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { BotwireClientError } from './client-error.js';
import { TRANSPORT_CLOSE_CODES, errorForCloseCode, errorFromFrame } from './close-errors.js';
import { STATE_REASONS, type StateReason } from './connection-state.js';

/** How a socket ended, as the client sees it. */
export interface SocketEnd {
  code: number;
  reason: string;
  /** The state reason of the retry, should there be one. */
  cause: StateReason;
}

/** How a socket that closed ended: a transport error without a close frame, else a server close. */
export function socketEndOfClose(event: { code: number; reason: string }): SocketEnd {
  return {
    code: event.code,
    reason: event.reason,
    cause: TRANSPORT_CLOSE_CODES.has(event.code)
      ? STATE_REASONS.TRANSPORT_ERROR
      : STATE_REASONS.SERVER_CLOSED,
  };
}

/** What the client does once a socket ended: stop for good, or retry after `delayMs`. */
export type ReconnectDecision =
  | {
      action: 'stop';
      reason: typeof STATE_REASONS.FINAL_CLOSE_CODE | typeof STATE_REASONS.RETRIES_EXHAUSTED;
      /** What a pending `connect()` and unacknowledged sends reject with. */
      error: BotwireClientError;
    }
  | { action: 'retry'; delayMs: number };

/** The options {@link decideReconnect} reads. */
export interface ReconnectPolicyOptions {
  reconnectWindowMs: number;
  maxReconnectAttempts: number;
  backoff: BackoffOptions;
  random: () => number;
}

/** Where the retries stand since the last healthy connection. */
export interface RetryProgress {
  /** Retries made since the last healthy connection. */
  attempt: number;
  /** Milliseconds since the connection was lost (or `connect()` was called). */
  elapsedMs: number;
}

/**
 * Decides what follows a socket's end. A close code that retrying cannot fix stops at once, with
 * the refusal's error (the `error` frame that came before `connected`) or else what the code
 * means; a lost connection is retried until `reconnectWindowMs` have passed since it was lost
 * (or `maxReconnectAttempts` retries were made), so an outage of a minute or a rolling restart
 * does not end a chat; each retry waits a full-jitter backoff delay capped at `maxDelayMs`, from
 * the widest window after a 4029 (the server says it is full).
 */
export function decideReconnect(
  end: SocketEnd,
  refusal: ErrorFrame | undefined,
  progress: RetryProgress,
  options: ReconnectPolicyOptions,
): ReconnectDecision {
  const { attempt, elapsedMs } = progress;
  if (!isRetryableCloseCode(end.code)) {
    const error =
      refusal === undefined
        ? errorForCloseCode(end.code, end.reason)
        : errorFromFrame(refusal, end.code);
    return { action: 'stop', reason: STATE_REASONS.FINAL_CLOSE_CODE, error };
  }
  if (attempt >= options.maxReconnectAttempts || elapsedMs >= options.reconnectWindowMs) {
    const why = refusal === undefined ? end.reason : refusal.message;
    const error = new BotwireClientError({
      code: 'CONNECTION_CLOSED',
      message: `Gave up after ${attempt} reconnect attempts in ${Math.round(elapsedMs / 1000)} s; the last connection ended with ${end.code}${why === '' ? '' : ` (${why})`}. Call connect() to try again; unsent messages are kept.`,
      closeCode: end.code,
    });
    return { action: 'stop', reason: STATE_REASONS.RETRIES_EXHAUSTED, error };
  }
  const { backoff } = options;
  const delayMs = backoffDelay({
    ...(end.code === CLOSE_CODES.CONNECTION_LIMIT
      ? { ...backoff, initialDelayMs: backoff.maxDelayMs }
      : backoff),
    attempt,
    random: options.random,
  });
  return { action: 'retry', delayMs };
}
