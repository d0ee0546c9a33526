import { describe, expect, it } from 'vitest';
import { renderBar } from './progress-bar.js';

describe('renderBar', () => {
  it('fills in proportion and clamps', () => {
    expect(renderBar(0, 10)).toBe(`[${'.'.repeat(30)}]   0%`);
    expect(renderBar(5, 10)).toBe(`[${'#'.repeat(15)}${'.'.repeat(15)}]  50%`);
    expect(renderBar(20, 10)).toBe(`[${'#'.repeat(30)}] 100%`);
    expect(renderBar(0, 0)).toBe(`[${'#'.repeat(30)}] 100%`);
  });
});
