import {
  CLOSE_CODES,
  encodeFrame,
  type ErrorCode,
  type ServerFrame,
  type SessionType,
} from '@botwire/protocol';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import type { StreamMode } from '../conversations/conversation-event.js';
import { closeReason } from './close-reason.js';
import type { Flushable, FlushScheduler } from './flush-scheduler.js';
import { encodeTextFrames } from './websocket-text-frames.js';

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
  /**
   * The TCP socket under `socket`, as the HTTP upgrade handed it over. Frames are written to it
   * directly, several per write.
   */
  transport: Duplex;
  /** Flushes the frames sent during a tick at its end. */
  flushScheduler: FlushScheduler;
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
 * Frames sent during one tick are collected and written together at its end (one system call
 * for any number of frames), in the order sent.
 */
export class Connection implements Flushable {
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
  /** Frames sent this tick and not yet written; undefined while idle, to keep idle connections small. */
  private pending: string[] | undefined;
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

  /**
   * Queues already-encoded text for the end of the tick; false when the connection is closing
   * or was just closed for being slow.
   */
  sendText(text: string): boolean {
    if (!this.isOpen) return false;
    // Judge by what the kernel would not take from earlier ticks: that backlog means the client
    // stopped reading. A reader that keeps up may still get one tick's frames beyond the limit,
    // while one that stopped reading is cut off at the limit plus one tick's frames.
    if (this.options.transport.writableLength > this.options.maxSendBufferBytes) {
      this.options.onSlowConsumer(this);
      this.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer: send buffer limit exceeded');
      return false;
    }
    if (this.pending === undefined) {
      this.pending = [text];
      this.options.flushScheduler.schedule(this);
    } else {
      this.pending.push(text);
    }
    return true;
  }

  /** Writes the frames queued this tick, all in one socket write. */
  flush(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    // ws may have started closing on its own (the client sent a close frame); nothing may follow
    // a close frame.
    if (this.socket.readyState !== this.socket.OPEN || this.options.transport.destroyed) return;
    this.options.transport.write(encodeTextFrames(pending));
  }

  send(frame: ServerFrame): boolean {
    return this.sendText(encodeFrame(frame));
  }

  sendError(
    code: ErrorCode,
    message: string,
    replyId?: number,
    retryAfterSeconds?: number,
  ): boolean {
    return this.send({
      type: 'error',
      code,
      message,
      ...(replyId === undefined ? {} : { reply_id: replyId }),
      ...(retryAfterSeconds === undefined ? {} : { retry_after_seconds: retryAfterSeconds }),
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
    // What was sent before the close goes out before the close frame.
    this.flush();
    this.closing = true;
    if (
      this.socket.readyState === this.socket.OPEN ||
      this.socket.readyState === this.socket.CONNECTING
    ) {
      this.socket.close(code, closeReason(reason));
    }
    const timer = setTimeout(() => this.socket.terminate(), 1_000);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }
}
