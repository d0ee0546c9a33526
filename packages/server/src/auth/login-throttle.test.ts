import { describe, expect, it } from 'vitest';
import { BotwireError } from '../errors/botwire-error.js';
import { LOGIN_THROTTLE_POLICY, LoginThrottle } from './login-throttle.js';

const ATTACKER = '203.0.113.7';
const OWNER = '198.51.100.20';

/** A throttle on a clock the test moves by hand. */
function throttleWithClock(options: { maxEntries?: number } = {}) {
  let now = 1_000_000;
  const throttle = new LoginThrottle({ now: () => now, ...options });
  return {
    throttle,
    advance: (milliseconds: number) => {
      now += milliseconds;
    },
  };
}

function refusal(run: () => void): BotwireError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof BotwireError) return error;
    throw error;
  }
}

function failTimes(throttle: LoginThrottle, username: string, address: string, times: number) {
  for (let attempt = 0; attempt < times; attempt += 1) throttle.admit(username, address);
}

describe('LoginThrottle', () => {
  it('lets the first failures through, then makes one account from one address wait, doubling', () => {
    const { throttle, advance } = throttleWithClock();
    failTimes(throttle, 'admin', ATTACKER, LOGIN_THROTTLE_POLICY.freeFailures);

    const first = refusal(() => throttle.check('admin', ATTACKER));
    expect(first?.code).toBe('LOGIN_THROTTLED');
    expect(first?.retryAfterSeconds).toBe(1);
    advance(999);
    expect(refusal(() => throttle.check('admin', ATTACKER))?.retryAfterSeconds).toBe(1);
    advance(1);
    expect(refusal(() => throttle.check('admin', ATTACKER))).toBeUndefined();

    throttle.recordFailure('admin', ATTACKER);
    expect(refusal(() => throttle.check('admin', ATTACKER))?.retryAfterSeconds).toBe(2);
    advance(2_000);
    throttle.recordFailure('admin', ATTACKER);
    expect(refusal(() => throttle.check('admin', ATTACKER))?.retryAfterSeconds).toBe(4);
  });

  it('counts attempts when they are admitted, so concurrent guesses cannot all pass one check', () => {
    const { throttle } = throttleWithClock();
    const outcomes = Array.from({ length: 20 }, () =>
      refusal(() => throttle.admit('admin', ATTACKER)),
    );
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(
      LOGIN_THROTTLE_POLICY.freeFailures,
    );
  });

  it('caps the wait at the maximum delay', () => {
    const { throttle, advance } = throttleWithClock();
    for (let attempt = 0; attempt < 40; attempt += 1) {
      throttle.recordFailure('admin', ATTACKER);
      advance(LOGIN_THROTTLE_POLICY.maxDelayMs);
    }
    throttle.recordFailure('admin', ATTACKER);
    expect(refusal(() => throttle.check('admin', ATTACKER))?.retryAfterSeconds).toBe(
      LOGIN_THROTTLE_POLICY.maxDelayMs / 1_000,
    );
  });

  it('does not lock the real user out: the same account from another address is unaffected', () => {
    const { throttle } = throttleWithClock();
    failTimes(throttle, 'admin', ATTACKER, LOGIN_THROTTLE_POLICY.freeFailures);
    for (let attempt = 0; attempt < 3; attempt += 1) throttle.recordFailure('admin', ATTACKER);
    expect(refusal(() => throttle.check('admin', ATTACKER))?.code).toBe('LOGIN_THROTTLED');
    expect(refusal(() => throttle.check('admin', OWNER))).toBeUndefined();
  });

  it('limits one address over all usernames, more loosely', () => {
    const { throttle, advance } = throttleWithClock();
    // Spraying: a few guesses at many accounts, never enough to throttle any one of them.
    const perAccount = LOGIN_THROTTLE_POLICY.freeFailures - 1;
    let failures = 0;
    for (let account = 0; failures < LOGIN_THROTTLE_POLICY.failuresPerAddress; account += 1) {
      for (let guess = 0; guess < perAccount; guess += 1) {
        if (failures === LOGIN_THROTTLE_POLICY.failuresPerAddress) break;
        throttle.admit(`user-${account}`, ATTACKER);
        failures += 1;
      }
    }
    const refused = refusal(() => throttle.check('someone-new', ATTACKER));
    expect(refused?.code).toBe('LOGIN_THROTTLED');
    expect(refused?.retryAfterSeconds).toBe(LOGIN_THROTTLE_POLICY.addressWindowMs / 1_000);
    // Another address is not affected, and the address is served again after its window.
    expect(refusal(() => throttle.check('someone-new', OWNER))).toBeUndefined();
    advance(LOGIN_THROTTLE_POLICY.addressWindowMs);
    expect(refusal(() => throttle.check('someone-new', ATTACKER))).toBeUndefined();
  });

  it('forgets an account after a success, and after a quiet period', () => {
    const { throttle, advance } = throttleWithClock();
    failTimes(throttle, 'admin', OWNER, LOGIN_THROTTLE_POLICY.freeFailures - 1);
    throttle.recordSuccess('admin', OWNER);
    failTimes(throttle, 'admin', OWNER, LOGIN_THROTTLE_POLICY.freeFailures - 1);
    expect(refusal(() => throttle.check('admin', OWNER))).toBeUndefined();

    throttle.recordFailure('admin', OWNER);
    expect(refusal(() => throttle.check('admin', OWNER))?.code).toBe('LOGIN_THROTTLED');
    advance(LOGIN_THROTTLE_POLICY.forgetAfterMs);
    throttle.recordFailure('admin', OWNER);
    // The earlier streak was forgotten: one failure after a quiet period is free again.
    expect(refusal(() => throttle.check('admin', OWNER))).toBeUndefined();
  });

  it('keeps at most maxEntries records, forgetting the oldest', () => {
    const { throttle } = throttleWithClock({ maxEntries: 10 });
    for (let account = 0; account < 1_000; account += 1) {
      throttle.recordFailure(
        `user-${account}`,
        `10.0.${Math.floor(account / 250)}.${account % 250}`,
      );
    }
    expect(throttle.size).toBeLessThanOrEqual(20);
  });
});
