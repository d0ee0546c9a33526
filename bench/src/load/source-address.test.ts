import { describe, expect, it } from 'vitest';
import { sourceAddress } from './source-address.js';

describe('sourceAddress', () => {
  it('cycles through 127.0.0.1..N', () => {
    expect([0, 1, 2, 3].map((index) => sourceAddress(index, 3))).toEqual([
      '127.0.0.1',
      '127.0.0.2',
      '127.0.0.3',
      '127.0.0.1',
    ]);
  });

  it('keeps to one valid address for silly counts', () => {
    expect(sourceAddress(5, 0)).toBe('127.0.0.1');
    expect(sourceAddress(300, 1000)).toBe('127.0.0.47');
  });
});
