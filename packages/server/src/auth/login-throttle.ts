import { BotwireError } from '../errors/botwire-error.js';

/**
 * The sign-in throttle's policy (documented in docs/websocket.md, "Login throttling"). Failures
 * count per (username, address) pair: an attacker guessing a user's password from one address
 * slows down only that pair, so the user signs in from anywhere else as usual. A looser limit per
 * address stops one address from spraying guesses over many usernames.
 */
export const LOGIN_THROTTLE_POLICY = {
  /** Failures of one username from one address before any wait. */
  freeFailures: 5,
  /** The first wait; each further failure doubles it. */
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  /** A pair quiet for this long starts over. */
  forgetAfterMs: 60 * 60_000,
  /** Failures from one address, whatever the username, within one window. */
  failuresPerAddress: 50,
  addressWindowMs: 15 * 60_000,
  /** Records kept per kind; the oldest are forgotten first, so memory stays bounded. */
  maxEntries: 10_000,
} as const;

/** Options for {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Milliseconds since the epoch; tests pass a clock they move. */
  now?: () => number;
  maxEntries?: number;
}

interface PairRecord {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

interface AddressRecord {
  failures: number;
  windowStart: number;
}

/** What {@link LoginThrottle.recordFailure} started, to log it once rather than per request. */
export interface ThrottleStart {
  scope: 'account' | 'address';
  retryAfterSeconds: number;
}

function pairKey(username: string, address: string): string {
  return `${address}\u0000${username}`;
}

/** Puts `key` last in insertion order (most recent) and drops the oldest past `limit`. */
function remember<TValue>(map: Map<string, TValue>, key: string, value: TValue, limit: number) {
  map.delete(key);
  map.set(key, value);
  while (map.size > limit) {
    const oldest = map.keys().next();
    if (oldest.done === true) break;
    map.delete(oldest.value);
  }
}

/** Per-(account, address) backoff and a per-address limit for failed sign-ins; in memory. */
export class LoginThrottle {
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #pairs = new Map<string, PairRecord>();
  readonly #addresses = new Map<string, AddressRecord>();

  constructor(options: LoginThrottleOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? LOGIN_THROTTLE_POLICY.maxEntries;
  }

  /** Records held, for tests of the memory bound. */
  get size(): number {
    return this.#pairs.size + this.#addresses.size;
  }

  /** Throws `LOGIN_THROTTLED` (with `retryAfterSeconds`) while this sign-in must wait. */
  check(username: string, address: string): void {
    const now = this.#now();
    const addressWait = this.#addressWaitMs(address, now);
    if (addressWait > 0) {
      throw new BotwireError(
        'LOGIN_THROTTLED',
        `Too many failed sign-ins from this address; try again in ${seconds(addressWait)} s.`,
        { retryAfterSeconds: seconds(addressWait) },
      );
    }
    const pair = this.#livePair(username, address, now);
    const wait = pair === undefined ? 0 : pair.blockedUntil - now;
    if (wait > 0) {
      throw new BotwireError(
        'LOGIN_THROTTLED',
        `Too many failed sign-ins for this user from this address; try again in ${seconds(wait)} s.`,
        { retryAfterSeconds: seconds(wait) },
      );
    }
  }

  /**
   * Checks, then counts the attempt as failed until {@link recordSuccess} says otherwise. Counting
   * before the password is verified keeps concurrent guesses from all passing one check.
   * Returns the wait this attempt started, if any, so it is logged once.
   */
  admit(username: string, address: string): ThrottleStart | undefined {
    this.check(username, address);
    return this.recordFailure(username, address);
  }

  /** Counts a failed sign-in; returns the wait it started, if it started one. */
  recordFailure(username: string, address: string): ThrottleStart | undefined {
    const now = this.#now();
    const policy = LOGIN_THROTTLE_POLICY;
    let started: ThrottleStart | undefined;

    const previous = this.#livePair(username, address, now);
    const failures = (previous?.failures ?? 0) + 1;
    let blockedUntil = 0;
    if (failures >= policy.freeFailures) {
      const exponent = Math.min(failures - policy.freeFailures, 30);
      const delay = Math.min(policy.baseDelayMs * 2 ** exponent, policy.maxDelayMs);
      blockedUntil = now + delay;
      started = { scope: 'account', retryAfterSeconds: seconds(delay) };
    }
    remember(
      this.#pairs,
      pairKey(username, address),
      { failures, lastFailureAt: now, blockedUntil },
      this.#maxEntries,
    );

    const window = this.#addresses.get(address);
    const current =
      window === undefined || now - window.windowStart >= policy.addressWindowMs
        ? { failures: 0, windowStart: now }
        : window;
    const record = { failures: current.failures + 1, windowStart: current.windowStart };
    remember(this.#addresses, address, record, this.#maxEntries);
    if (record.failures === policy.failuresPerAddress) {
      started = {
        scope: 'address',
        retryAfterSeconds: seconds(record.windowStart + policy.addressWindowMs - now),
      };
    }
    return started;
  }

  /** A successful sign-in ends the pair's streak (the address's count stays). */
  recordSuccess(username: string, address: string): void {
    this.#pairs.delete(pairKey(username, address));
  }

  #livePair(username: string, address: string, now: number): PairRecord | undefined {
    const key = pairKey(username, address);
    const pair = this.#pairs.get(key);
    if (pair !== undefined && now - pair.lastFailureAt >= LOGIN_THROTTLE_POLICY.forgetAfterMs) {
      this.#pairs.delete(key);
      return undefined;
    }
    return pair;
  }

  #addressWaitMs(address: string, now: number): number {
    const record = this.#addresses.get(address);
    if (record === undefined || record.failures < LOGIN_THROTTLE_POLICY.failuresPerAddress) {
      return 0;
    }
    return record.windowStart + LOGIN_THROTTLE_POLICY.addressWindowMs - now;
  }
}

function seconds(milliseconds: number): number {
  return Math.max(1, Math.ceil(milliseconds / 1_000));
}
