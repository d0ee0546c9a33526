import { ERROR_CATALOGUE, type ErrorCode } from '@botwire/protocol';

/**
 * The one error class of the server. Its `code` comes from the protocol's error catalogue, so
 * the same stable code reaches REST clients (`error` field), WebSocket clients (`error` frames)
 * and logs.
 */
export class BotwireError extends Error {
  override readonly name = 'BotwireError';
  readonly code: ErrorCode;
  /** When to try again, in whole seconds; REST answers carry it as `Retry-After`. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message ?? ERROR_CATALOGUE[code].message, options);
    this.code = code;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  /** The HTTP status for this code. */
  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  /** The negative number of the REST envelope's `code`. */
  get number(): number {
    return ERROR_CATALOGUE[this.code].number;
  }
}

/** Turns anything thrown into a {@link BotwireError}; unknown errors become `INTERNAL_ERROR`. */
export function toBotwireError(error: unknown): BotwireError {
  if (error instanceof BotwireError) return error;
  return new BotwireError('INTERNAL_ERROR', undefined, { cause: error });
}
