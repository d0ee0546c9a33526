import type { ClientFrame, ConnectedFrame, ServerFrame } from '@botwire/protocol';
import type { WebSocketConstructor, WebSocketLike } from './client-options.js';

type Handler<TEvent> = ((event: TEvent) => void) | null;

/**
 * An in-memory WebSocket with the browser API the client uses, driven by the test: it never
 * opens, answers or closes by itself. Helpers play the server's part: `open()`, `push(frame)`,
 * `serverClose(code)`, `drop()` (a connection that dies without a close frame).
 */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  onopen: Handler<unknown> = null;
  onmessage: Handler<{ data: unknown }> = null;
  onclose: Handler<{ code: number; reason: string }> = null;
  onerror: Handler<unknown> = null;
  /** Every text the client sent, in order. */
  readonly sent: string[] = [];
  /** The code and reason the client closed with, if it closed. */
  closedByClient: { code: number | undefined; reason: string | undefined } | undefined;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error(`send in readyState ${this.readyState}`);
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    if (this.readyState >= 2) return;
    this.closedByClient = { code, reason };
    this.readyState = 3;
    // Like a browser: the close event comes later, after the caller moved on.
    queueMicrotask(() => this.onclose?.({ code: code ?? 1005, reason: reason ?? '' }));
  }

  /** The frames the client sent, decoded. */
  sentFrames(): ClientFrame[] {
    return this.sent.map((text) => JSON.parse(text) as ClientFrame);
  }

  /** The query parameters of the connect URL. */
  get query(): URLSearchParams {
    return new URL(this.url).searchParams;
  }

  /** The server accepted the upgrade. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The server sent `frame` (or raw text). */
  push(frame: ServerFrame | string): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  /** Opens and sends a `connected` frame. */
  accept(overrides: Partial<ConnectedFrame> = {}): void {
    this.open();
    this.push(connectedFrame(overrides));
  }

  /** The server closed with `code`. */
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The connection died without a close frame (network, refused upgrade). */
  drop(): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code: 1006, reason: '' });
  }
}

/** A WebSocket class whose instances the test can reach, newest last. */
export interface FakeWebSocketServer {
  WebSocket: WebSocketConstructor;
  sockets: FakeWebSocket[];
  /** The newest socket; throws when none was opened. */
  latest(): FakeWebSocket;
}

export function createFakeWebSocketServer(): FakeWebSocketServer {
  const sockets: FakeWebSocket[] = [];
  class RecordedWebSocket extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return {
    WebSocket: RecordedWebSocket,
    sockets,
    latest() {
      const socket = sockets.at(-1);
      if (socket === undefined) throw new Error('no socket was opened');
      return socket;
    },
  };
}

/** A `connected` frame with plausible values. */
export function connectedFrame(overrides: Partial<ConnectedFrame> = {}): ConnectedFrame {
  return {
    type: 'connected',
    connection_id: 'connection-1',
    pipeline_uuid: 'pipeline-1',
    session_type: 'person',
    session: 'default',
    heartbeat_interval_ms: 30_000,
    last_seq: 0,
    protocol_version: 1,
    timestamp: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A `user_message` frame (an acknowledgement) for `text`. */
export function userMessageFrame(options: {
  seq: number;
  id: number;
  text: string;
  clientId?: string | null;
}): ServerFrame {
  return {
    type: 'user_message',
    seq: options.seq,
    data: {
      id: options.id,
      role: 'user',
      content: options.text,
      message_chain: [{ type: 'Plain', text: options.text }],
      timestamp: '2026-01-01T00:00:00.000Z',
      is_final: true,
      status: 'complete',
      reply_to: null,
      connection_id: 'connection-1',
      client_id: options.clientId ?? null,
      sender: { id: 'static:1', name: 'static key 1' },
    },
  };
}

/** A `response` chunk of reply `id`; final when `status` is not `streaming`. */
export function responseFrame(options: {
  seq: number;
  id: number;
  content: string;
  delta: string;
  status?: 'streaming' | 'complete' | 'cancelled' | 'error' | 'interrupted';
  replyTo?: number;
}): ServerFrame {
  const status = options.status ?? 'streaming';
  const isFinal = status !== 'streaming';
  return {
    type: 'response',
    seq: options.seq,
    data: {
      id: options.id,
      role: 'assistant',
      content: options.content,
      delta: options.delta,
      message_chain:
        isFinal && options.content !== '' ? [{ type: 'Plain', text: options.content }] : [],
      timestamp: '2026-01-01T00:00:00.000Z',
      is_final: isFinal,
      status,
      reply_to: options.replyTo ?? 1,
    },
  };
}
