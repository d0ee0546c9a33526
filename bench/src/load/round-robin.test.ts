import { describe, expect, it } from 'vitest';
import { endpointFor, roundRobin } from './round-robin.js';

describe('roundRobin', () => {
  it('takes the items in turn and starts again after the last', () => {
    const picked = Array.from({ length: 7 }, (_unused, index) =>
      roundRobin(['a', 'b', 'c'], index),
    );
    expect(picked).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('spreads any contiguous range of indexes evenly (a worker gets one such share)', () => {
    const counts = new Map<string, number>();
    for (let index = 5_000; index < 5_000 + 3_000; index += 1) {
      const node = roundRobin(['n1', 'n2', 'n3'], index);
      counts.set(node, (counts.get(node) ?? 0) + 1);
    }
    expect([...counts.values()]).toEqual([1_000, 1_000, 1_000]);
  });

  it('always answers the only item of a single node', () => {
    expect(roundRobin(['only'], 41)).toBe('only');
  });

  it('refuses an empty list instead of answering undefined', () => {
    expect(() => roundRobin([], 0)).toThrow(/no items/);
  });
});

describe('endpointFor', () => {
  it('keeps the dialect and headers and picks the node by the connection index', () => {
    const spec = {
      dialect: 'ws' as const,
      urls: ['ws://127.0.0.1:1/x?a=b', 'ws://127.0.0.1:2/x?a=b'],
      headers: { authorization: 'Bearer k' },
    };
    expect(endpointFor(spec, 3)).toEqual({
      dialect: 'ws',
      url: 'ws://127.0.0.1:2/x?a=b',
      headers: { authorization: 'Bearer k' },
    });
  });
});
