import { CLOSE_CODES, type ErrorCode, type ErrorFrame } from '@botwire/protocol';
import { BotwireClientError } from './client-error.js';

/** Close codes that mean the connection died without a close frame. */
export const TRANSPORT_CLOSE_CODES: ReadonlySet<number> = new Set([1005, 1006, 1015]);
/** What a final close code means when no error frame explained it. */
const FINAL_CLOSE_ERRORS: Readonly<Record<number, ErrorCode>> = {
  [CLOSE_CODES.BAD_REQUEST]: 'BAD_REQUEST',
  [CLOSE_CODES.UNAUTHENTICATED]: 'AUTH_FAILED',
  [CLOSE_CODES.FORBIDDEN]: 'FORBIDDEN',
  [CLOSE_CODES.PIPELINE_NOT_FOUND]: 'PIPELINE_NOT_FOUND',
};

/** The error an `error` frame reports, with the close code that followed it, if one did. */
export function errorFromFrame(
  frame: ErrorFrame,
  closeCode: number | undefined,
): BotwireClientError {
  return new BotwireClientError({ code: frame.code, message: frame.message, closeCode });
}

/** The error a final close code means when no error frame explained it. */
export function errorForCloseCode(code: number, reason: string): BotwireClientError {
  return new BotwireClientError({
    code: FINAL_CLOSE_ERRORS[code] ?? 'CONNECTION_CLOSED',
    message: reason === '' ? `The server closed the connection with ${code}.` : reason,
    closeCode: code,
  });
}
