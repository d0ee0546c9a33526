import { afterEach, describe, expect, it, vi } from 'vitest';
import { PacerClock } from './pacer-clock.js';

/** Resolves once every alarm of `clock` has woken. */
async function settled(clock: PacerClock): Promise<void> {
  for (let attempt = 0; attempt < 200 && clock.pending > 0; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('PacerClock', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('wakes alarms due in the same millisecond from one timer callback', async () => {
    let time = 1_000.2;
    const clock = new PacerClock(() => time);
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const woken: string[] = [];
    // None of them sees a microtask queued by an earlier one: they run in one synchronous call.
    let microtaskRan = false;
    clock.schedule(3.5, () => queueMicrotask(() => (microtaskRan = true)));
    for (const name of ['a', 'b', 'c']) {
      clock.schedule(3.5, () => woken.push(microtaskRan ? `${name} later` : name));
    }
    expect(setTimer).toHaveBeenCalledTimes(1);
    setTimer.mockRestore();
    time = 1_004;
    await settled(clock);
    expect(woken).toEqual(['a', 'b', 'c']);
  });

  it('never wakes an alarm before its time, arming the timer again when it fires early', async () => {
    let time = 0;
    const clock = new PacerClock(() => time);
    const woken: number[] = [];
    clock.schedule(2, () => woken.push(time));
    // The timer fires (after 2 real ms) while the clock still reads 1: too early.
    time = 1;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toEqual([]);
    time = 2;
    await settled(clock);
    expect(woken).toEqual([2]);
  });

  it('wakes alarms in the order they fall due, whatever the order they were set', async () => {
    let time = 0;
    const clock = new PacerClock(() => time);
    const woken: string[] = [];
    clock.schedule(30, () => woken.push('late'));
    clock.schedule(10, () => woken.push('early'));
    clock.schedule(20, () => woken.push('middle'));
    time = 100;
    await settled(clock);
    expect(woken).toEqual(['early', 'middle', 'late']);
  });

  it('drops a cancelled alarm, and the timer with the last one', async () => {
    let time = 0;
    const clock = new PacerClock(() => time);
    const clearTimer = vi.spyOn(globalThis, 'clearTimeout');
    const woken: string[] = [];
    const kept = clock.schedule(1, () => woken.push('kept'));
    const dropped = clock.schedule(1, () => woken.push('dropped'));
    clock.cancel(dropped);
    expect(clock.pending).toBe(1);
    clock.cancel(kept);
    expect(clock.pending).toBe(0);
    expect(clearTimer).toHaveBeenCalledTimes(1);
    time = 10;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toEqual([]);
  });
});
