import { describe, expect, it } from 'vitest';
import { ConversationEvent } from './conversation-event.js';
import { ReplayBuffer } from './replay-buffer.js';
import { ReplayMemory } from './replay-memory.js';

function reset(seq: number): ConversationEvent {
  return new ConversationEvent({ type: 'session_reset', timestamp: 't', seq });
}

/** A user message event whose text is `size` characters. */
function message(seq: number, size: number): ConversationEvent {
  const text = 'm'.repeat(size);
  return new ConversationEvent({
    type: 'user_message',
    seq,
    data: {
      id: seq,
      role: 'user',
      content: text,
      message_chain: [{ type: 'Plain', text }],
      timestamp: 't',
      is_final: true,
      status: 'complete',
      reply_to: null,
      connection_id: null,
      client_id: null,
      sender: null,
    },
  });
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

  it('evicts the oldest events when the bytes kept pass its budget', () => {
    const buffer = new ReplayBuffer(1000, { budgetBytes: 100_000 });
    for (let seq = 1; seq <= 20; seq += 1) buffer.push(message(seq, 10_000));
    expect(buffer.bytes).toBeLessThanOrEqual(100_000);
    expect(buffer.size).toBeGreaterThan(0);
    expect(buffer.size).toBeLessThan(20);
    expect(buffer.after(0).at(-1)?.seq).toBe(20);
    expect(buffer.oldestSeq).toBe(20 - buffer.size + 1);
  });

  it('counts at least the wire text of an event, twice over for two-byte strings', () => {
    const event = message(1, 10_000);
    // Content and chain text both appear in the wire text.
    expect(event.retainedBytes).toBeGreaterThanOrEqual(2 * 20_000);
  });
});

describe('ReplayMemory', () => {
  it('holds every buffer together under the process-wide budget, evicting the oldest first', () => {
    const memory = new ReplayMemory({ budgetBytes: 300_000 });
    const first = new ReplayBuffer(1000, { budgetBytes: 10_000_000, memory });
    const second = new ReplayBuffer(1000, { budgetBytes: 10_000_000, memory });
    for (let seq = 1; seq <= 5; seq += 1) first.push(message(seq, 10_000));
    for (let seq = 1; seq <= 20; seq += 1) second.push(message(seq, 10_000));
    expect(memory.bytes).toBeLessThanOrEqual(300_000);
    expect(memory.bytes).toBe(first.bytes + second.bytes);
    // The first buffer's events were the oldest of all: they went first.
    expect(first.size).toBe(0);
    expect(second.after(0).at(-1)?.seq).toBe(20);
  });

  it('gives the bytes of a closed buffer back', () => {
    const memory = new ReplayMemory({ budgetBytes: 1_000_000 });
    const buffer = new ReplayBuffer(1000, { budgetBytes: 1_000_000, memory });
    for (let seq = 1; seq <= 5; seq += 1) buffer.push(message(seq, 10_000));
    expect(memory.bytes).toBeGreaterThan(0);
    buffer.clear();
    expect(memory.bytes).toBe(0);
    // Entries of released events do not pile up in the process-wide queue.
    for (let round = 0; round < 50; round += 1) {
      for (let seq = 1; seq <= 100; seq += 1) buffer.push(reset(seq));
      buffer.clear();
    }
    expect(memory.queued).toBeLessThan(300);
  });
});
