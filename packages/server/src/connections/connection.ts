import {
  CLOSE_CODES,
  encodeFrame,
  type ErrorCode,
  type ServerFrame,
  type SessionType,
} from '@botwire/protocol';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { StreamMode } from '../conversations/conversation-event.js';

/** Where a connection belongs: its pipeline and conversation. */
export interface ConnectionPlacement {
  pipelineUuid: string;
  sessionType: SessionType;
  /** The conversation key shown to clients (`session`). */
  session: string;
  /** The internal conversation key, unique across pipelines and principals. */
  conversationKey: string;
}

/** Options for {@link Connection}. */
export interface ConnectionOptions {
  id: string;
  socket: WebSocket;
  placement: ConnectionPlacement;
  principal: Principal;
  /** SHA-256 of the token the connection authenticated with, to close it when that is revoked. */
  credentialHash: string;
  remoteAddress: string;
  streamMode: StreamMode;
  maxSendBufferBytes: number;
  /** Called when the send buffer passes the limit; the connection is closed right after. */
  onSlowConsumer: (connection: Connection) => void;
  now?: () => number;
}

/**
 * One live WebSocket of an authenticated client. Sending never blocks: a client that stops
 * reading is closed once its unsent bytes pass the limit, so it cannot hold memory hostage.
 */
export class Connection {
  readonly id: string;
  readonly socket: WebSocket;
  readonly placement: ConnectionPlacement;
  readonly principal: Principal;
  readonly credentialHash: string;
  readonly remoteAddress: string;
  readonly streamMode: StreamMode;
  readonly createdAt: number;
  /** Last time anything arrived from the client (frame or pong). */
  lastSeenAt: number;
  /** Last time the client sent a frame. */
  lastActiveAt: number;
  private closing = false;
  private readonly now: () => number;

  constructor(private readonly options: ConnectionOptions) {
    this.id = options.id;
    this.socket = options.socket;
    this.placement = options.placement;
    this.principal = options.principal;
    this.credentialHash = options.credentialHash;
    this.remoteAddress = options.remoteAddress;
    this.streamMode = options.streamMode;
    this.now = options.now ?? Date.now;
    this.createdAt = this.now();
    this.lastSeenAt = this.createdAt;
    this.lastActiveAt = this.createdAt;
  }

  get isOpen(): boolean {
    return !this.closing && this.socket.readyState === this.socket.OPEN;
  }

  /** Sends already-encoded text; false when the connection is closing or was just closed for being slow. */
  sendText(text: string): boolean {
    if (!this.isOpen) return false;
    // Judge by what is already queued: a reader that keeps up may still receive one frame
    // larger than the limit, while one that stopped reading is cut off at limit plus one frame.
    if (this.socket.bufferedAmount > this.options.maxSendBufferBytes) {
      this.options.onSlowConsumer(this);
      this.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer: send buffer limit exceeded');
      return false;
    }
    this.socket.send(text);
    return true;
  }

  send(frame: ServerFrame): boolean {
    return this.sendText(encodeFrame(frame));
  }

  sendError(code: ErrorCode, message: string, replyId?: number): boolean {
    return this.send({
      type: 'error',
      code,
      message,
      ...(replyId === undefined ? {} : { reply_id: replyId }),
    });
  }

  markSeen(active: boolean): void {
    const now = this.now();
    this.lastSeenAt = now;
    if (active) this.lastActiveAt = now;
  }

  /**
   * Closes with `code`; a peer that does not finish the closing handshake within a second is
   * cut off, since a stuck peer is exactly what some of these closes are about.
   */
  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    if (
      this.socket.readyState === this.socket.OPEN ||
      this.socket.readyState === this.socket.CONNECTING
    ) {
      this.socket.close(code, reason.slice(0, 120));
    }
    const timer = setTimeout(() => this.socket.terminate(), 1_000);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }
}
