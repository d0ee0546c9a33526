import { BotwireError } from '../errors/botwire-error.js';

/** Node socket error codes that mean the database server cannot be reached right now. */
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * SQLSTATEs of a database that is going away, starting up or out of connections: class 08
 * (connection exception), 57P01-57P03 (shutdown, crash, cannot connect now), 53300 (too many
 * connections). Retrying later can succeed, unlike a constraint or syntax error.
 */
function isUnavailableState(state: string): boolean {
  return state.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(state);
}

/** SQLSTATEs of text PostgreSQL cannot store (a NUL character, which SQLite accepts). */
const UNSTORABLE_TEXT_STATES = new Set(['22021', '22P05']);

/**
 * `pg`'s own errors for a lost or unobtainable connection carry no code, only these messages
 * (pg and pg-pool 8.x).
 */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|Cannot use a pool after calling end)/;

function codeOf(error: object): string | undefined {
  const code: unknown = 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function isUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = codeOf(error);
  if (code !== undefined && (UNREACHABLE_SOCKET_CODES.has(code) || isUnavailableState(code)))
    return true;
  // A host name with several addresses fails with one AggregateError for all of them.
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return error instanceof Error && UNAVAILABLE_MESSAGES.test(error.message);
}

/**
 * Turns a failure of the PostgreSQL driver into what the rest of the server handles:
 * `DATABASE_UNAVAILABLE` when the database cannot be reached (retry later), `VALIDATION_FAILED`
 * for text PostgreSQL cannot store, and any other error unchanged (the caller's
 * `INTERNAL_ERROR` path, or its own handling of a constraint violation). The messages reach
 * clients, so they name neither the database nor its address; the driver's error is the
 * `cause`, and the pool logs where and why (`postgres-database.ts`).
 */
export function toDatabaseError(error: unknown): unknown {
  if (error instanceof BotwireError) return error;
  if (isUnavailable(error)) {
    return new BotwireError(
      'DATABASE_UNAVAILABLE',
      'The database cannot be reached right now; try again shortly.',
      { cause: error },
    );
  }
  const code = typeof error === 'object' && error !== null ? codeOf(error) : undefined;
  if (code !== undefined && UNSTORABLE_TEXT_STATES.has(code)) {
    return new BotwireError(
      'VALIDATION_FAILED',
      'The text contains a character the database cannot store (the NUL character, \\u0000); remove it and send again.',
      { cause: error },
    );
  }
  return error;
}

/** The driver's own words for why the database is unavailable (for logs and start-up errors). */
export function unavailableReason(error: BotwireError): string {
  const cause = error.cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return reason === '' ? 'connection failed' : reason;
}
