import { describe, expect, it } from 'vitest';
import { addUsages, parseCpuTicks, parseRssBytes } from './process-usage.js';

describe('parseCpuTicks', () => {
  it('adds utime and stime, even when the command name has spaces and parentheses', () => {
    const stat =
      '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 1000 0 0 0 213 17 0 0 20 0 11 0 100 0 0';
    expect(parseCpuTicks(stat)).toBe(230);
  });
});

describe('parseRssBytes', () => {
  it('reads VmRSS in kB', () => {
    expect(parseRssBytes('Name:\tnode\nVmHWM:\t  900 kB\nVmRSS:\t   512 kB\n')).toBe(524_288);
  });
});

describe('addUsages', () => {
  it("adds the nodes' CPU time and memory and keeps each node's own", () => {
    const first = { cpuMicroseconds: 10_000, rssBytes: 1_000 };
    const second = { cpuMicroseconds: 30_000, rssBytes: 500 };
    expect(addUsages([first, second])).toEqual({
      cpuMicroseconds: 40_000,
      rssBytes: 1_500,
      perProcess: [first, second],
    });
  });

  it('is zero for no processes', () => {
    expect(addUsages([])).toEqual({ cpuMicroseconds: 0, rssBytes: 0, perProcess: [] });
  });
});
