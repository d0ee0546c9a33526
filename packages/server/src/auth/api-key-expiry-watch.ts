import { BACKGROUND_TIMERS, type BackgroundTimers } from '../timing/background-timers.js';

/** Timer functions, so tests can drive the watch with fake time. */
export type ExpiryTimers = BackgroundTimers;

/** A key the watch waits on. */
export interface WatchedApiKey {
  /** The principal id of the key, `key:<id>`. */
  principalId: string;
  name: string;
  /** ISO-8601 UTC. */
  expiresAt: string;
}

/** Options for {@link ApiKeyExpiryWatch}. */
export interface ApiKeyExpiryWatchOptions {
  /** The clock expiry is judged by: the auth service's. */
  now: () => Date;
  /** Called once per watched key, when its expiry has passed. */
  onExpired: (key: WatchedApiKey) => void;
  timers?: ExpiryTimers;
}

/**
 * setTimeout fires at once for delays past 2^31-1 ms (about 24.8 days), and keys may last a
 * year: longer waits are made of steps of at most this, each re-checking the clock.
 */
export const MAX_EXPIRY_TIMER_DELAY_MS = 24 * 60 * 60 * 1_000;

/**
 * Tells when API keys in use expire, so the connections opened with them can be closed at that
 * moment. One timer for the whole process, armed for the earliest expiry: the number of timers
 * does not grow with keys or connections, and a key is watched at most once (the entries are
 * bounded by the keys in the database, and leave the watch when they expire or are revoked).
 */
export class ApiKeyExpiryWatch {
  readonly #options: ApiKeyExpiryWatchOptions;
  readonly #timers: ExpiryTimers;
  readonly #keys = new Map<string, { key: WatchedApiKey; at: number }>();
  #timer: unknown;
  #armedFor = Number.POSITIVE_INFINITY;
  #closed = false;

  constructor(options: ApiKeyExpiryWatchOptions) {
    this.#options = options;
    this.#timers = options.timers ?? BACKGROUND_TIMERS;
  }

  /** How many keys are being waited on. */
  get size(): number {
    return this.#keys.size;
  }

  /** Whether a timer is armed (at most one ever is). */
  get armed(): boolean {
    return this.#timer !== undefined;
  }

  /** Waits for `key` to expire; watching it again only updates it. */
  watch(key: WatchedApiKey): void {
    if (this.#closed) return;
    const at = Date.parse(key.expiresAt);
    if (Number.isNaN(at)) return;
    this.#keys.set(key.principalId, { key, at });
    if (at < this.#armedFor) this.#arm();
  }

  /** Stops waiting for this key (it was revoked or deleted). */
  forget(principalId: string): void {
    this.#keys.delete(principalId);
    if (this.#keys.size === 0) this.#disarm();
  }

  /** Stops the timer for good; later `watch` calls are ignored. */
  close(): void {
    this.#closed = true;
    this.#keys.clear();
    this.#disarm();
  }

  #fire(): void {
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    const now = this.#options.now().getTime();
    const expired: WatchedApiKey[] = [];
    for (const [principalId, entry] of this.#keys) {
      if (entry.at <= now) {
        this.#keys.delete(principalId);
        expired.push(entry.key);
      }
    }
    this.#arm();
    for (const key of expired) this.#options.onExpired(key);
  }

  #arm(): void {
    this.#disarm();
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.#keys.values()) earliest = Math.min(earliest, entry.at);
    if (earliest === Number.POSITIVE_INFINITY) return;
    const delay = Math.min(
      Math.max(earliest - this.#options.now().getTime(), 0),
      MAX_EXPIRY_TIMER_DELAY_MS,
    );
    this.#armedFor = earliest;
    this.#timer = this.#timers.set(() => this.#fire(), delay);
  }

  #disarm(): void {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
  }
}
