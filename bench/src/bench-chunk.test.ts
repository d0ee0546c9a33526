import { describe, expect, it } from 'vitest';
import { benchChunk, benchChunkIndex } from './bench-chunk.js';

describe('benchChunk', () => {
  it('pads the index label with dots', () => {
    expect(benchChunk(7, 6)).toBe('7:....');
  });

  it('cuts a label longer than the chunk', () => {
    expect(benchChunk(1999, 4)).toBe('1999');
  });
});

describe('benchChunkIndex', () => {
  it('reads the leading digits', () => {
    expect(benchChunkIndex('17:....')).toBe(17);
    expect(benchChunkIndex('1999')).toBe(1999);
    expect(benchChunkIndex(benchChunk(123, 16))).toBe(123);
  });

  it('is undefined for text without a leading number', () => {
    expect(benchChunkIndex('')).toBeUndefined();
    expect(benchChunkIndex(':12')).toBeUndefined();
  });
});
