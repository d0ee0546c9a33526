import { describe, expect, it } from 'vitest';
import { EarlyFrames } from './early-frames.js';

describe('EarlyFrames', () => {
  it('keeps frames up to its byte limit, then drops the rest and asks to refuse once', () => {
    let overflows = 0;
    const early = new EarlyFrames({ maxBytes: 1_000, onOverflow: () => (overflows += 1) });
    for (let index = 0; index < 10; index += 1) early.listener(Buffer.alloc(300), false);
    expect(early.count).toBe(3);
    expect(early.overflowed).toBe(true);
    expect(overflows).toBe(1);
  });
});
