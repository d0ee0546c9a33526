import type { WidgetLimits } from '@botwire/protocol';
import { BotwireError } from '../errors/botwire-error.js';

const MINUTE_MS = 60_000;
/** Windows kept at most, so a flood of distinct visitors or addresses cannot grow memory forever. */
const MAX_WINDOWS = 100_000;

/** Counts events in the current fixed one-minute window of one key. */
interface Window {
  startedAt: number;
  count: number;
}

/**
 * Fixed one-minute windows per key: simple, O(1), and the Retry-After it reports is exact (when
 * the window ends). Keys are `<pipeline>|<visitor or address>`.
 */
export class MinuteWindows {
  readonly #windows = new Map<string, Window>();

  constructor(private readonly now: () => number) {}

  /**
   * Counts one event for `key` when fewer than `limit` happened this minute; otherwise returns
   * the whole seconds until the window ends (and counts nothing).
   */
  take(key: string, limit: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    let window = this.#windows.get(key);
    if (window === undefined || now - window.startedAt >= MINUTE_MS) {
      if (window === undefined && this.#windows.size >= MAX_WINDOWS) this.#prune(now);
      window = { startedAt: now, count: 0 };
      this.#windows.set(key, window);
    }
    if (window.count >= limit) {
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((window.startedAt + MINUTE_MS - now) / 1_000)),
      };
    }
    window.count += 1;
    return { ok: true };
  }

  /** Takes back one event counted for `key` (the thing it allowed did not happen). */
  giveBack(key: string): void {
    const window = this.#windows.get(key);
    if (window !== undefined && window.count > 0) window.count -= 1;
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) {
      if (now - window.startedAt >= MINUTE_MS) this.#windows.delete(key);
    }
    // Everything is current: drop the oldest entries (Map order is insertion order).
    for (const key of this.#windows.keys()) {
      if (this.#windows.size < MAX_WINDOWS) break;
      this.#windows.delete(key);
    }
  }
}

/**
 * The per-pipeline abuse limits of public widget visitors: messages per minute per visitor and
 * per IP address, new visitors per minute per address, image uploads per minute per visitor. Connection counts are checked by the
 * gateway against the live connections; conversation length by the widget service.
 */
export class VisitorLimiter {
  readonly #messagesByVisitor: MinuteWindows;
  readonly #messagesByAddress: MinuteWindows;
  readonly #newVisitorsByAddress: MinuteWindows;
  readonly #imagesByVisitor: MinuteWindows;

  constructor(options: { now?: () => number } = {}) {
    const now = options.now ?? Date.now;
    this.#messagesByVisitor = new MinuteWindows(now);
    this.#messagesByAddress = new MinuteWindows(now);
    this.#newVisitorsByAddress = new MinuteWindows(now);
    this.#imagesByVisitor = new MinuteWindows(now);
  }

  /** Counts an image upload of a visitor, or throws `VISITOR_RATE_LIMITED`. */
  admitImageUpload(options: {
    pipelineUuid: string;
    visitorId: string;
    limits: WidgetLimits;
  }): void {
    const { limits } = options;
    const result = this.#imagesByVisitor.take(
      `${options.pipelineUuid}|${options.visitorId}`,
      limits.image_uploads_per_minute_per_visitor,
    );
    if (!result.ok) {
      throw new BotwireError(
        'VISITOR_RATE_LIMITED',
        `You may send ${limits.image_uploads_per_minute_per_visitor} images per minute; try again in ${result.retryAfterSeconds} s.`,
        { retryAfterSeconds: result.retryAfterSeconds },
      );
    }
  }

  /** Counts a chat message, or throws `VISITOR_RATE_LIMITED` with the seconds to wait. */
  admitMessage(options: {
    pipelineUuid: string;
    visitorId: string;
    remoteAddress: string;
    limits: WidgetLimits;
  }): void {
    const { pipelineUuid, limits } = options;
    const visitorKey = `${pipelineUuid}|${options.visitorId}`;
    const byVisitor = this.#messagesByVisitor.take(
      visitorKey,
      limits.messages_per_minute_per_visitor,
    );
    if (!byVisitor.ok) {
      throw new BotwireError(
        'VISITOR_RATE_LIMITED',
        `You may send ${limits.messages_per_minute_per_visitor} messages per minute; try again in ${byVisitor.retryAfterSeconds} s.`,
        { retryAfterSeconds: byVisitor.retryAfterSeconds },
      );
    }
    const byAddress = this.#messagesByAddress.take(
      `${pipelineUuid}|${options.remoteAddress}`,
      limits.messages_per_minute_per_ip,
    );
    if (!byAddress.ok) {
      this.#messagesByVisitor.giveBack(visitorKey);
      throw new BotwireError(
        'VISITOR_RATE_LIMITED',
        `Your network address sent ${limits.messages_per_minute_per_ip} messages this minute, the most allowed; try again in ${byAddress.retryAfterSeconds} s.`,
        { retryAfterSeconds: byAddress.retryAfterSeconds },
      );
    }
  }

  /** Counts a new visitor token for an address, or throws `VISITOR_RATE_LIMITED`. */
  admitNewVisitor(options: {
    pipelineUuid: string;
    remoteAddress: string;
    limits: WidgetLimits;
  }): void {
    const result = this.#newVisitorsByAddress.take(
      `${options.pipelineUuid}|${options.remoteAddress}`,
      options.limits.new_visitors_per_minute_per_ip,
    );
    if (!result.ok) {
      throw new BotwireError(
        'VISITOR_RATE_LIMITED',
        `Too many new chats from your network address this minute; try again in ${result.retryAfterSeconds} s.`,
        { retryAfterSeconds: result.retryAfterSeconds },
      );
    }
  }
}
