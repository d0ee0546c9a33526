import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password-hasher.js';

describe('password hasher', () => {
  it('writes a self-describing scrypt hash with a random salt', async () => {
    const first = await hashPassword('correct horse battery');
    const second = await hashPassword('correct horse battery');
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('correct horse battery');
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
    await expect(verifyPassword('', hash)).resolves.toBe(false);
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    const hash = await hashPassword('caf\u00e9-password');
    await expect(verifyPassword('cafe\u0301-password', hash)).resolves.toBe(true);
  });

  it('returns false, never throws, on malformed or hostile hashes', async () => {
    const good = await hashPassword('password123');
    const [, , , , salt, key] = good.split('$');
    const malformed = [
      '',
      'plain',
      'scrypt$16384$8$1$',
      `bcrypt$16384$8$1$${salt}$${key}`,
      `scrypt$16383$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$1$8$1$${salt}$${key}`,
      `scrypt$1073741824$8$1$${salt}$${key}`, // absurd cost from a tampered row
      `scrypt$16384$8$1$${salt}$${key}$extra`,
      `scrypt$16384$8$1$${salt}$!!!`,
      `scrypt$16384$8$1$${salt}$AAAA`, // key too short
      `scrypt$-16384$8$1$${salt}$${key}`,
      `scrypt$16384$8$1$$${key}`,
    ];
    for (const hash of malformed) {
      await expect(verifyPassword('password123', hash), hash).resolves.toBe(false);
    }
  });
});
