import type { WebSocketConstructor, WebSocketLike } from '@botwire/client';

/** Which way a frame went, or a socket event (opened with its URL, closed with its code). */
export type FrameDirection = 'in' | 'out' | 'open' | 'close';

/** One line of the frame inspector. */
export interface FrameEntry {
  /** Increasing from 1 for the lifetime of the log. */
  id: number;
  direction: FrameDirection;
  /** The frame's `type` (`response`, `send_message`…), or `open`/`close` for socket events. */
  type: string;
  /** The conversation seq the frame carries, when it carries one. */
  seq: number | undefined;
  /** `data.is_final` of a `response` frame. */
  isFinal: boolean | undefined;
  /** UTF-8 bytes on the wire (0 for socket events). */
  size: number;
  /** `Date.now()` when the console saw it. */
  time: number;
  /** The frame as sent or received; for `open` the URL, for `close` the code and reason. */
  text: string;
  /** The parsed frame, when the text is JSON. */
  parsed: unknown;
}

/** Entries kept at most; older ones are dropped first (a long bench stream sends thousands). */
export const FRAME_LOG_LIMIT = 2_000;

type Listener = () => void;

const encoder = new TextEncoder();

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** Builds an entry from a frame's text; pure, so the parsing rules are unit-tested. */
export function describeFrame(
  id: number,
  direction: 'in' | 'out',
  text: string,
  time: number,
): FrameEntry {
  const parsed = parse(text);
  const type = field(parsed, 'type');
  const seq = field(parsed, 'seq');
  const isFinal = field(field(parsed, 'data'), 'is_final');
  return {
    id,
    direction,
    type: typeof type === 'string' ? type : '(not JSON)',
    seq: typeof seq === 'number' ? seq : undefined,
    isFinal: type === 'response' && typeof isFinal === 'boolean' ? isFinal : undefined,
    size: encoder.encode(text).length,
    time,
    text,
    parsed,
  };
}

/**
 * Every frame in and out of one chat's sockets, for the frame inspector. The SDK takes a
 * `WebSocket` class as an option; {@link tappedWebSocket} gives it one that records each frame
 * here and otherwise behaves exactly like the browser's. Paused, the log keeps counting what it
 * skipped but stores nothing, so the view stays still while a reply streams.
 */
export class FrameLog {
  private entries: FrameEntry[] = [];
  private nextId = 1;
  private listeners = new Set<Listener>();
  private frameListeners = new Set<(entry: FrameEntry) => void>();
  private pausedFlag = false;
  private skippedCount = 0;
  private versionNumber = 0;

  constructor(
    private readonly limit = FRAME_LOG_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** The entries, oldest first (a new array after every change, for React). */
  get snapshot(): readonly FrameEntry[] {
    return this.entries;
  }

  /** Grows with every change: the snapshot React compares (useSyncExternalStore). */
  get version(): number {
    return this.versionNumber;
  }

  get paused(): boolean {
    return this.pausedFlag;
  }

  /** Frames not stored while paused. */
  get skipped(): number {
    return this.skippedCount;
  }

  /** Records a frame's text; every frame also goes to {@link onFrame} listeners, paused or not. */
  record(direction: 'in' | 'out', text: string): void {
    const entry = describeFrame(this.nextId, direction, text, this.now());
    this.nextId += 1;
    for (const listener of this.frameListeners) listener(entry);
    this.store(entry);
  }

  /** Records a socket event: opened (with its URL, which shows `last_seq` on a resume) or closed. */
  recordEvent(direction: 'open' | 'close', text: string): void {
    const entry: FrameEntry = {
      id: this.nextId,
      direction,
      type: direction,
      seq: undefined,
      isFinal: undefined,
      size: 0,
      time: this.now(),
      text,
      parsed: undefined,
    };
    this.nextId += 1;
    this.store(entry);
  }

  setPaused(paused: boolean): void {
    if (paused === this.pausedFlag) return;
    this.pausedFlag = paused;
    if (!paused) this.skippedCount = 0;
    this.emit();
  }

  clear(): void {
    this.entries = [];
    this.skippedCount = 0;
    this.emit();
  }

  /** Calls `listener` after every change; returns the unsubscribe function (for useSyncExternalStore). */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Calls `listener` with every frame as it passes, before the SDK sees an inbound one. */
  onFrame(listener: (entry: FrameEntry) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  private store(entry: FrameEntry): void {
    if (this.pausedFlag) {
      this.skippedCount += 1;
      this.emit();
      return;
    }
    const kept = this.entries.length >= this.limit ? this.entries.slice(1) : this.entries.slice();
    kept.push(entry);
    this.entries = kept;
    this.emit();
  }

  private emit(): void {
    this.versionNumber += 1;
    for (const listener of this.listeners) listener();
  }
}

type Handler<TEvent> = ((event: TEvent) => void) | null;

/**
 * A `WebSocket` class for the SDK's `WebSocket` option that records every frame in `log`. It
 * wraps the real class (`base`, the browser's by default): frames and events pass through
 * unchanged, so the SDK behaves as without it.
 */
export function tappedWebSocket(
  log: FrameLog,
  base: WebSocketConstructor = globalThis.WebSocket,
): WebSocketConstructor {
  return class TappedWebSocket implements WebSocketLike {
    private readonly socket: WebSocketLike;
    onopen: Handler<unknown> = null;
    onmessage: Handler<{ data: unknown }> = null;
    onclose: Handler<{ code: number; reason: string }> = null;
    onerror: Handler<unknown> = null;

    constructor(url: string) {
      this.socket = new base(url);
      this.socket.onopen = (event) => {
        log.recordEvent('open', url);
        this.onopen?.(event);
      };
      this.socket.onmessage = (event) => {
        if (typeof event.data === 'string') log.record('in', event.data);
        this.onmessage?.(event);
      };
      this.socket.onclose = (event) => {
        log.recordEvent('close', `${event.code}${event.reason === '' ? '' : ` ${event.reason}`}`);
        this.onclose?.(event);
      };
      this.socket.onerror = (event) => this.onerror?.(event);
    }

    get readyState(): number {
      return this.socket.readyState;
    }

    send(data: string): void {
      log.record('out', data);
      this.socket.send(data);
    }

    close(code?: number, reason?: string): void {
      this.socket.close(code, reason);
    }
  };
}
