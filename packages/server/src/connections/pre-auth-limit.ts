import type { Duplex } from 'node:stream';

/** Bytes past the limit still read while the refusal's close handshake runs, before cutting off. */
const CLOSING_SLACK_BYTES = 65_536;

/** Options for {@link PreAuthLimit}. */
export interface PreAuthLimitOptions {
  /** The TCP socket under the WebSocket. */
  transport: Duplex;
  /** Bytes the client may send before it is authenticated. */
  limit: number;
  /** Bytes already received with the upgrade request. */
  initialBytes: number;
  /** Called once when the client passes the limit: refuse the connection. */
  onExceeded: () => void;
  /** Called when the client keeps sending during the refusal: cut it off. */
  onFlood: () => void;
}

/**
 * Bounds what an unauthenticated client can make the server buffer. `ws` takes one `maxPayload`
 * for every socket of a server and buffers a frame whole before handing it over, so a socket
 * could park an unfinished frame of that size before sending any credentials. This counts the
 * raw bytes as they arrive on the TCP socket instead (O(1) per read), so an unauthenticated
 * socket holds at most `limit` plus one read, and is refused the moment it sends more.
 */
export class PreAuthLimit {
  private received: number;
  private watching = true;
  exceeded = false;

  constructor(private readonly options: PreAuthLimitOptions) {
    this.received = options.initialBytes;
    options.transport.on('data', this.onData);
    if (this.received > options.limit) queueMicrotask(() => this.onData(Buffer.alloc(0)));
  }

  /** The client is authenticated: stop counting. */
  stop(): void {
    if (!this.watching) return;
    this.watching = false;
    this.options.transport.off('data', this.onData);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (!this.watching) return;
    this.received += chunk.length;
    if (this.received <= this.options.limit) return;
    if (!this.exceeded) {
      this.exceeded = true;
      this.options.onExceeded();
    }
    if (this.received > this.options.limit + CLOSING_SLACK_BYTES) {
      this.stop();
      this.options.onFlood();
    }
  };
}
