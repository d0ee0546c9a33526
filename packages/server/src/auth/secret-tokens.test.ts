import { describe, expect, it } from 'vitest';
import { generatePassword, generateToken, hashToken, isTokenOf } from './secret-tokens.js';

describe('secret tokens', () => {
  it('makes prefixed tokens of 32 random bytes in base64url', () => {
    const key = generateToken('bw_key');
    const session = generateToken('bw_session');
    expect(key).toMatch(/^bw_key_[A-Za-z0-9_-]{43}$/);
    expect(session).toMatch(/^bw_session_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice('bw_key_'.length), 'base64url')).toHaveLength(32);
    expect(generateToken('bw_key')).not.toBe(key);
  });

  it('recognises its own token shapes only', () => {
    const key = generateToken('bw_key');
    expect(isTokenOf('bw_key', key)).toBe(true);
    expect(isTokenOf('bw_session', key)).toBe(false);
    expect(isTokenOf('bw_key', `${key}x`)).toBe(false);
    expect(isTokenOf('bw_key', `bw_key_${'!'.repeat(43)}`)).toBe(false);
    expect(isTokenOf('bw_key', '')).toBe(false);
  });

  it('hashes tokens to stable sha256 hex', () => {
    expect(hashToken('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(hashToken('abc')).toBe(hashToken('abc'));
  });

  it('generates long, readable, distinct passwords', () => {
    const passwords = new Set(Array.from({ length: 50 }, () => generatePassword()));
    expect(passwords.size).toBe(50);
    for (const password of passwords) {
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(password).toMatch(/^[2-9a-z]{6}(-[2-9a-z]{6}){3}$/);
      expect(password).not.toMatch(/[01ilo]/);
    }
  });
});
