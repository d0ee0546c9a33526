import type { StateChange } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import { RECOVERY_MIN_DELAY_MS, recoveryDelay, shouldRecover } from './chat-recovery.js';

function closed(reason: StateChange['reason']): StateChange {
  return { previous: 'reconnecting', current: 'closed', reason };
}

describe('chat recovery', () => {
  it('connects again only after the SDK ran out of retries', () => {
    expect(shouldRecover(closed('retries-exhausted'))).toBe(true);
    expect(shouldRecover(closed('final-close-code'))).toBe(false);
    expect(shouldRecover(closed('disconnect-called'))).toBe(false);
    expect(
      shouldRecover({ previous: 'connected', current: 'reconnecting', reason: 'server-closed' }),
    ).toBe(false);
  });

  it('waits longer each round, up to 30 seconds, and never less than a second', () => {
    const top = () => 0.999_999;
    expect(recoveryDelay(0, top)).toBe(2_000);
    expect(recoveryDelay(1, top)).toBe(4_000);
    expect(recoveryDelay(3, top)).toBe(16_000);
    expect(recoveryDelay(10, top)).toBe(30_000);
    expect(recoveryDelay(0, () => 0)).toBe(RECOVERY_MIN_DELAY_MS);
  });
});
