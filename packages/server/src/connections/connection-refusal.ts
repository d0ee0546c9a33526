import type { Duplex } from 'node:stream';
import { CLOSE_CODES, encodeFrame, type ErrorCode } from '@botwire/protocol';
import { BotwireError } from '../errors/botwire-error.js';
import type { WebSocket } from 'ws';
import { closeReason } from './close-reason.js';

/** A refusal of a connection: the error frame to send, then the close code. */
export class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
  }
}

/** Errors thrown while setting up a connection that refuse it with their own code. */
const REFUSAL_CLOSE_CODES: Partial<Record<ErrorCode, number>> = {
  CONVERSATION_LIMIT: CLOSE_CODES.CONNECTION_LIMIT,
  API_KEY_EXPIRED: CLOSE_CODES.UNAUTHENTICATED,
  // Redis (cluster mode) or the database is out of reach: the conversation cannot be joined now;
  // retrying can help.
  CLUSTER_UNAVAILABLE: CLOSE_CODES.INTERNAL_ERROR,
  DATABASE_UNAVAILABLE: CLOSE_CODES.INTERNAL_ERROR,
};

/**
 * The refusal an error thrown while joining a connection to its conversation stands for: its own
 * code and the close code that tells the client whether retrying helps; undefined for an error
 * that is not one of those (unexpected: the caller logs it).
 */
export function refusalFor(error: unknown): Refusal | undefined {
  if (!(error instanceof BotwireError)) return undefined;
  const closeCode = REFUSAL_CLOSE_CODES[error.code];
  return closeCode === undefined ? undefined : new Refusal(error.code, error.message, closeCode);
}

/**
 * Sends the refusal's error frame and closes with its code; a peer that does not finish the
 * closing handshake within a second is cut off. Never throws: should `ws` refuse the close, the
 * socket is cut off at once rather than left open.
 */
export function refuse(websocket: WebSocket, refusal: Refusal): void {
  if (websocket.readyState !== websocket.OPEN) return;
  try {
    websocket.send(encodeFrame({ type: 'error', code: refusal.code, message: refusal.message }));
    websocket.close(refusal.closeCode, closeReason(refusal.message));
  } catch {
    websocket.terminate();
    return;
  }
  const timer = setTimeout(() => websocket.terminate(), 1_000);
  timer.unref();
  websocket.once('close', () => clearTimeout(timer));
}

/** Answers an upgrade request with a bare HTTP status, before any WebSocket exists. */
export function rejectUpgrade(
  socket: Duplex,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${extra}Content-Length: 0\r\n\r\n`,
  );
}
