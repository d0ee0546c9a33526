import type { ClientFrameInput } from './client-frames.js';
import type { ErrorCode } from './error-codes.js';
import { err, ok, type Result } from './result.js';
import type { ServerFrame } from './server-frames.js';

/** Why a frame could not be decoded; `code` is from the error catalogue. */
export interface DecodeError {
  code: Extract<
    ErrorCode,
    'BAD_JSON' | 'BAD_FRAME' | 'UNKNOWN_FRAME_TYPE' | 'UNSUPPORTED_COMPONENT'
  >;
  message: string;
}

/** Parses JSON without throwing. Every JSON text Botwire reads goes through here. */
export function parseJson(text: string): Result<unknown, DecodeError> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable';
    return err({ code: 'BAD_JSON', message: `The frame is not valid JSON (${reason}).` });
  }
}

/** Encodes a frame for the wire. */
export function encodeFrame(frame: ServerFrame | ClientFrameInput): string {
  return JSON.stringify(frame);
}
