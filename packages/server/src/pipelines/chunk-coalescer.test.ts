import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChunkCoalescer } from './chunk-coalescer.js';

describe('ChunkCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first delta at once and joins the rest within the window', () => {
    const sent: string[] = [];
    const coalescer = new ChunkCoalescer({ windowMs: 50, emit: (text) => sent.push(text) });
    coalescer.push('Hel');
    expect(sent).toEqual(['Hel']);
    coalescer.push('lo');
    coalescer.push(', wor');
    vi.advanceTimersByTime(49);
    expect(sent).toEqual(['Hel']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['Hel', 'lo, wor']);
    coalescer.push('ld');
    coalescer.flush();
    expect(sent).toEqual(['Hel', 'lo, wor', 'ld']);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(3);
  });

  it('sends every delta with a zero window and skips empty ones', () => {
    const sent: string[] = [];
    const coalescer = new ChunkCoalescer({ windowMs: 0, emit: (text) => sent.push(text) });
    for (const text of ['a', '', 'b', 'c']) coalescer.push(text);
    expect(sent).toEqual(['a', 'b', 'c']);
  });
});
