import { describe, expect, it } from 'vitest';
import { canUsePipeline, describePrincipal, isAdmin, type Principal } from './principal.js';

const scoped: Principal = {
  id: 'key:1',
  name: 'ci',
  kind: 'api_key',
  role: 'member',
  pipelines: ['a', 'b'],
};
const everything: Principal = {
  id: 'user:1',
  name: 'admin',
  kind: 'user',
  role: 'admin',
  pipelines: null,
};

describe('principal helpers', () => {
  it('limits scoped principals to their pipelines; null means all', () => {
    expect(canUsePipeline(scoped, 'a')).toBe(true);
    expect(canUsePipeline(scoped, 'c')).toBe(false);
    expect(canUsePipeline(everything, 'c')).toBe(true);
    expect(canUsePipeline({ ...scoped, pipelines: [] }, 'a')).toBe(false);
  });

  it('knows admins and names principals for messages', () => {
    expect(isAdmin(everything)).toBe(true);
    expect(isAdmin(scoped)).toBe(false);
    expect(describePrincipal(scoped)).toBe('API key "ci"');
    expect(describePrincipal(everything)).toBe('user "admin"');
  });
});
