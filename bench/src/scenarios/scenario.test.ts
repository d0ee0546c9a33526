import { describe, expect, it } from 'vitest';
import { perNodeNote, sessionNames } from './scenario.js';

describe('perNodeNote', () => {
  it('names each node by its position', () => {
    expect(perNodeNote('CPU', ['1 s', '2 s', '3 s'])).toEqual([
      'CPU: node 1 1 s, node 2 2 s, node 3 3 s',
    ]);
  });

  it('says nothing for a single process, whose figure is the total already', () => {
    expect(perNodeNote('CPU', ['1 s'])).toEqual([]);
  });
});

describe('sessionNames', () => {
  it('numbers sessions from the first index', () => {
    expect(sessionNames('idle', 3, 5)).toEqual(['idle-5', 'idle-6', 'idle-7']);
  });
});
