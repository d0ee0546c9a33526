import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/catalogues.js';
import { principalKindCounts, principalKindLabel } from './principal-kind.js';

describe('principal kinds', () => {
  it('labels each kind the server reports', () => {
    expect(principalKindLabel('visitor')).toBe('connections.kind.visitor');
    expect(principalKindLabel('api_key')).toBe('connections.kind.api_key');
    expect(en[principalKindLabel('visitor') ?? 'connections.title']).toBe('visitor');
    expect(principalKindLabel('robot')).toBeUndefined();
  });

  it('counts known kinds in order with zeros, then unknown ones', () => {
    expect(principalKindCounts({ visitor: 2, robot: 1, user: 1 })).toEqual([
      { kind: 'user', count: 1 },
      { kind: 'api_key', count: 0 },
      { kind: 'static_key', count: 0 },
      { kind: 'visitor', count: 2 },
      { kind: 'robot', count: 1 },
    ]);
  });
});
