import type { Duplex } from 'node:stream';
import { encodeFrame, type ErrorCode } from '@botwire/protocol';
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
