import { describe, expect, it } from 'vitest';
import { ConversationEvent } from './conversation-event.js';
import { ReplayBuffer } from './replay-buffer.js';

function reset(seq: number): ConversationEvent {
  return new ConversationEvent({ type: 'session_reset', timestamp: 't', seq });
}

describe('ReplayBuffer', () => {
  it('keeps the newest events up to its capacity, oldest first', () => {
    const buffer = new ReplayBuffer(3);
    expect(buffer.oldestSeq).toBeUndefined();
    for (let seq = 1; seq <= 5; seq += 1) buffer.push(reset(seq));
    expect(buffer.oldestSeq).toBe(3);
    expect(buffer.after(0).map((event) => event.seq)).toEqual([3, 4, 5]);
    expect(buffer.after(4).map((event) => event.seq)).toEqual([5]);
    expect(buffer.after(5)).toEqual([]);
  });

  it('finds the newest matching event and forgets everything on clear', () => {
    const buffer = new ReplayBuffer(4);
    for (let seq = 1; seq <= 6; seq += 1) buffer.push(reset(seq));
    expect(buffer.findLast((event) => event.seq % 2 === 1)?.seq).toBe(5);
    expect(buffer.findLast((event) => event.seq === 1)).toBeUndefined();
    buffer.clear();
    expect(buffer.oldestSeq).toBeUndefined();
    expect(buffer.after(0)).toEqual([]);
  });

  it('allocates as events arrive, not its whole capacity up front', () => {
    const buffer = new ReplayBuffer(1000);
    expect(buffer.size).toBe(0);
    for (let seq = 1; seq <= 3; seq += 1) buffer.push(reset(seq));
    expect(buffer.size).toBe(3);
    for (let seq = 4; seq <= 2500; seq += 1) buffer.push(reset(seq));
    expect(buffer.size).toBe(1000);
    expect(buffer.oldestSeq).toBe(1501);
    expect(buffer.after(2498).map((event) => event.seq)).toEqual([2499, 2500]);
  });

  it('keeps one idle conversation well under a kilobyte of slots', () => {
    // 10 000 idle buffers with the default window: 10 000 x 1000 preallocated slots would be
    // about 80 MB; growing on demand they hold next to nothing.
    const before = process.memoryUsage().heapUsed;
    const buffers = Array.from({ length: 10_000 }, () => new ReplayBuffer(1000));
    const grown = process.memoryUsage().heapUsed - before;
    expect(buffers.length).toBe(10_000);
    expect(grown / buffers.length).toBeLessThan(1024);
  });
});
