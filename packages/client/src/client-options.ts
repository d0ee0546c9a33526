import { SHAPE_FRAME_VALIDATOR, type FrameValidator } from '@botwire/protocol';
import type { BackoffOptions } from './backoff.js';
import type { HistorySource } from './client-events.js';
import type { StreamMode } from './reply-assembler.js';

/**
 * A socket event handler. Written as a method so it is compared bivariantly: the DOM's and the
 * `ws` package's handlers take their own, richer event classes, and both must be accepted as
 * long as the event carries the fields the client reads.
 */
type SocketHandler<TEvent> = { bivarianceHack(event: TEvent): void }['bivarianceHack'];

/**
 * The part of the standard (browser) WebSocket API the client uses. The browser's `WebSocket`,
 * Node 22's global one and the `ws` package's class all fit.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: SocketHandler<unknown> | null;
  onmessage: SocketHandler<{ data: unknown }> | null;
  onclose: SocketHandler<{ code: number; reason: string }> | null;
  onerror: SocketHandler<unknown> | null;
}

/** A WebSocket class, such as `globalThis.WebSocket` or `import WebSocket from 'ws'`. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of {@link WebSocketClient}. Every one is optional; defaults are in {@link DEFAULT_CLIENT_OPTIONS}. */
export interface WebSocketClientOptions {
  /**
   * The server's http(s) base URL, e.g. `https://chat.example.com` (a path prefix is kept). The
   * WebSocket URL is derived from it (`ws://` or `wss://`).
   * @default the page's `location.origin` in a browser; required elsewhere
   */
  baseUrl?: string;
  /**
   * An API key or session token, sent as the `authenticate` first frame (which browsers can do,
   * unlike setting a header). Without one, a browser relies on the `botwire_session` cookie set
   * by signing in on the same site.
   * @default undefined
   */
  token?: string;
  /**
   * Called before every connection attempt (the first and each reconnect) for the credential to
   * authenticate with, so an expiring session token can be refreshed; it wins over `token`. A
   * rejection counts as a failed attempt and is retried like a dropped connection.
   * @default undefined
   */
  getToken?: () => string | Promise<string>;
  /**
   * The named conversation to join (1-64 characters of `A-Z a-z 0-9 . _ : -`).
   * @default undefined (the server's `default` conversation)
   */
  session?: string;
  /**
   * How reply chunks carry text: `delta` sends only what was added (linear traffic),
   * `cumulative` the whole text each time. Messages handed to the app are whole either way.
   * @default 'delta'
   */
  streamMode?: StreamMode;
  /**
   * The WebSocket implementation, for runtimes without a global one (Node 20: pass the `ws`
   * package's default export).
   * @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor;
  /**
   * How long the client keeps retrying a lost connection, in milliseconds from the moment it was
   * lost (or from `connect()`), before it gives up with state `closed` and reason
   * `retries-exhausted`. `Infinity` never gives up; `0` never reconnects. Messages waiting in the
   * outbox are kept when it gives up, so a later `connect()` still delivers them.
   * @default 120000
   */
  reconnectWindowMs?: number;
  /**
   * An additional cap: retries in a row, without a healthy connection in between, before the
   * client gives up. `0` never reconnects.
   * @default Infinity
   */
  maxReconnectAttempts?: number;
  /**
   * Delays between retries (full jitter, capped at `maxDelayMs`); missing fields take their
   * defaults.
   * @default { initialDelayMs: 500, maxDelayMs: 10000, multiplier: 2 }
   */
  backoff?: Partial<BackoffOptions>;
  /**
   * How long a connection must stay up before it counts as healthy: the retry counter and the
   * reconnect window start afresh. A server that accepts and then closes at once therefore
   * still exhausts the window.
   * @default 10000
   */
  healthyAfterMs?: number;
  /**
   * How often to send an application-level `ping` while connected.
   * @default the server's `heartbeat_interval_ms` from its `connected` frame
   */
  heartbeatIntervalMs?: number;
  /**
   * How long after a ping a frame (the `pong` or any other) must arrive; otherwise the
   * connection counts as dead and is replaced (reason `heartbeat-timeout`).
   * @default 10000
   */
  heartbeatTimeoutMs?: number;
  /**
   * The most messages waiting for an acknowledgement; `sendMessage` beyond it rejects with
   * `OUTBOX_FULL`.
   * @default 100
   */
  outboxLimit?: number;
  /**
   * After `resync_required` (the server no longer had every missed event), reload the
   * conversation's history through this REST client (a `BackendClient`) and report it as a
   * `history` event. Without it the app reloads the history itself on `resync`.
   * @default undefined
   */
  autoResync?: HistorySource;
  /**
   * How frames are checked. The default, `SHAPE_FRAME_VALIDATOR`, checks each server frame's
   * type and field types without zod (a small browser bundle); pass `SCHEMA_FRAME_VALIDATOR`
   * from `@botwire/protocol` to decode every frame with the full zod schemas.
   * @default SHAPE_FRAME_VALIDATOR
   */
  frameValidator?: FrameValidator;
  /**
   * Source of randomness for backoff jitter, a number in [0, 1). For tests.
   * @default Math.random
   */
  random?: () => number;
}

/** Every option with a value, after defaults are applied. */
export interface ResolvedClientOptions {
  baseUrl: string | undefined;
  token: string | undefined;
  getToken: (() => string | Promise<string>) | undefined;
  session: string | undefined;
  streamMode: StreamMode;
  WebSocket: WebSocketConstructor | undefined;
  reconnectWindowMs: number;
  maxReconnectAttempts: number;
  backoff: BackoffOptions;
  healthyAfterMs: number;
  heartbeatIntervalMs: number | undefined;
  heartbeatTimeoutMs: number;
  outboxLimit: number;
  autoResync: HistorySource | undefined;
  frameValidator: FrameValidator;
  random: () => number;
}

/** The defaults of {@link WebSocketClientOptions}, in one place. */
export const DEFAULT_CLIENT_OPTIONS = Object.freeze({
  streamMode: 'delta',
  reconnectWindowMs: 120_000,
  maxReconnectAttempts: Infinity,
  backoff: Object.freeze({ initialDelayMs: 500, maxDelayMs: 10_000, multiplier: 2 }),
  healthyAfterMs: 10_000,
  heartbeatTimeoutMs: 10_000,
  outboxLimit: 100,
  frameValidator: SHAPE_FRAME_VALIDATOR,
  random: Math.random,
} as const);

/** Applies {@link DEFAULT_CLIENT_OPTIONS} to what the caller gave. */
export function resolveClientOptions(options: WebSocketClientOptions): ResolvedClientOptions {
  const defaults = DEFAULT_CLIENT_OPTIONS;
  return {
    baseUrl: options.baseUrl,
    token: options.token,
    getToken: options.getToken,
    session: options.session,
    streamMode: options.streamMode ?? defaults.streamMode,
    WebSocket: options.WebSocket,
    reconnectWindowMs: options.reconnectWindowMs ?? defaults.reconnectWindowMs,
    maxReconnectAttempts: options.maxReconnectAttempts ?? defaults.maxReconnectAttempts,
    backoff: { ...defaults.backoff, ...definedFields(options.backoff ?? {}) },
    healthyAfterMs: options.healthyAfterMs ?? defaults.healthyAfterMs,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? defaults.heartbeatTimeoutMs,
    outboxLimit: options.outboxLimit ?? defaults.outboxLimit,
    autoResync: options.autoResync,
    frameValidator: options.frameValidator ?? defaults.frameValidator,
    random: options.random ?? defaults.random,
  };
}

/** `{a: undefined}` spread over defaults would erase them; keep only the fields given. */
function definedFields<TObject extends object>(object: TObject): Partial<TObject> {
  return Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined),
  ) as Partial<TObject>;
}

/** The WebSocket class to use: the option, else the runtime's global one. */
export function resolveWebSocketConstructor(
  option: WebSocketConstructor | undefined,
): WebSocketConstructor | undefined {
  return option ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
}
