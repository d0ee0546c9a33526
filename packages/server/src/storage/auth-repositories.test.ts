import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS, damagedJson, useTemporaryStores } from './temporary-store.test-support.js';

describe.each(STORE_DIALECTS)('on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  describe('KyselyUserRepository', () => {
    it('creates, finds, lists, re-keys and deletes users', async () => {
      const { store } = await temporaryStores.open();
      expect(await store.users.count()).toBe(0);
      const admin = await store.users.create({
        username: 'root',
        passwordHash: 'h1',
        role: 'admin',
      });
      expect(admin).toEqual({
        id: admin.id,
        username: 'root',
        role: 'admin',
        created_at: admin.created_at,
      });
      expect(admin).not.toHaveProperty('passwordHash');
      const member = await store.users.create({
        username: 'bob',
        passwordHash: 'h2',
        role: 'member',
      });
      expect(await store.users.count()).toBe(2);

      await expect(
        store.users.create({ username: 'root', passwordHash: 'x', role: 'member' }),
      ).rejects.toThrow(/unique/i);

      expect(await store.users.findByUsername('root')).toEqual({ ...admin, passwordHash: 'h1' });
      expect(await store.users.findByUsername('nobody')).toBeUndefined();
      expect(await store.users.findById(member.id)).toEqual({ ...member, passwordHash: 'h2' });
      expect(await store.users.list()).toEqual([admin, member]);

      await store.users.updatePassword(member.id, 'h3');
      expect((await store.users.findById(member.id))?.passwordHash).toBe('h3');

      expect(await store.users.delete(member.id)).toBe(true);
      expect(await store.users.delete(member.id)).toBe(false);
      expect(await store.users.findById(member.id)).toBeUndefined();
      expect(await store.users.count()).toBe(1);
    });

    it('reads an unknown role as member, never admin', async () => {
      const { store, db } = await temporaryStores.open();
      const user = await store.users.create({ username: 'x', passwordHash: 'h', role: 'admin' });
      await db.updateTable('users').set({ role: 'superuser' }).where('id', '=', user.id).execute();
      expect((await store.users.findById(user.id))?.role).toBe('member');
    });
  });

  describe('KyselySessionRepository', () => {
    const now = '2026-11-24T12:00:00.000Z';
    const earlier = '2026-11-24T11:00:00.000Z';
    const later = '2026-11-24T13:00:00.000Z';

    it('finds the user of an unexpired session only', async () => {
      const { store } = await temporaryStores.open();
      const user = await store.users.create({
        username: 'alice',
        passwordHash: 'h',
        role: 'member',
      });
      await store.sessions.create({ tokenHash: 'live', userId: user.id, expiresAt: later });
      await store.sessions.create({ tokenHash: 'dead', userId: user.id, expiresAt: earlier });
      await store.sessions.create({ tokenHash: 'edge', userId: user.id, expiresAt: now });

      expect(await store.sessions.findUser('live', now)).toEqual({ ...user, passwordHash: 'h' });
      expect(await store.sessions.findUser('dead', now)).toBeUndefined();
      expect(await store.sessions.findUser('edge', now)).toBeUndefined();
      expect(await store.sessions.findUser('unknown', now)).toBeUndefined();

      expect(await store.sessions.deleteExpired(now)).toBe(2);
      expect(await store.sessions.deleteExpired(now)).toBe(0);
      expect(await store.sessions.findUser('live', now)).toBeDefined();

      await store.sessions.delete('live');
      expect(await store.sessions.findUser('live', now)).toBeUndefined();
    });

    it('deletes sessions per user, and with the user', async () => {
      const { store, db } = await temporaryStores.open();
      const alice = await store.users.create({
        username: 'alice',
        passwordHash: 'h',
        role: 'member',
      });
      const bob = await store.users.create({ username: 'bob', passwordHash: 'h', role: 'member' });
      await store.sessions.create({ tokenHash: 'a1', userId: alice.id, expiresAt: later });
      await store.sessions.create({ tokenHash: 'a2', userId: alice.id, expiresAt: later });
      await store.sessions.create({ tokenHash: 'b1', userId: bob.id, expiresAt: later });

      await store.sessions.deleteForUser(alice.id);
      expect(await store.sessions.findUser('a1', now)).toBeUndefined();
      expect(await store.sessions.findUser('a2', now)).toBeUndefined();
      expect((await store.sessions.findUser('b1', now))?.username).toBe('bob');

      await store.users.delete(bob.id);
      const left = await db.selectFrom('sessions').select('token_hash').execute();
      expect(left).toEqual([]);
    });
  });

  describe('KyselyApiKeyRepository', () => {
    const newKey = {
      name: 'ci',
      prefix: 'bw_abc',
      keyHash: 'hash-1',
      role: 'member',
      pipelines: ['p-1', 'p-2'],
      createdBy: 'root',
      expiresAt: null,
    } as const;

    it('creates, lists, finds, touches and revokes keys', async () => {
      const { store } = await temporaryStores.open();
      const key = await store.apiKeys.create({ ...newKey, pipelines: [...newKey.pipelines] });
      expect(key).toEqual({
        id: key.id,
        name: 'ci',
        prefix: 'bw_abc',
        role: 'member',
        pipelines: ['p-1', 'p-2'],
        created_at: key.created_at,
        last_used_at: null,
        revoked_at: null,
        expires_at: null,
      });
      const open = await store.apiKeys.create({
        ...newKey,
        keyHash: 'hash-2',
        role: 'admin',
        pipelines: null,
      });
      expect(open.pipelines).toBeNull();
      await expect(store.apiKeys.create({ ...newKey, pipelines: null })).rejects.toThrow(/unique/i);

      expect(await store.apiKeys.list()).toEqual([key, open]);
      expect(await store.apiKeys.findActiveByHash('hash-1')).toEqual(key);
      expect(await store.apiKeys.findActiveByHash('hash-3')).toBeUndefined();

      await store.apiKeys.touchLastUsed(key.id, '2026-11-24T12:00:00.000Z');
      expect((await store.apiKeys.findActiveByHash('hash-1'))?.last_used_at).toBe(
        '2026-11-24T12:00:00.000Z',
      );

      expect(await store.apiKeys.revoke(key.id)).toBe(true);
      expect(await store.apiKeys.revoke(key.id)).toBe(false);
      expect(await store.apiKeys.revoke(9999)).toBe(false);
      expect(await store.apiKeys.findActiveByHash('hash-1')).toBeUndefined();
      expect(await store.apiKeys.findActiveByHash('hash-2')).toEqual(open);
      const listed = await store.apiKeys.list();
      expect(listed[0]?.revoked_at).toEqual(expect.any(String));
      expect(listed[1]?.revoked_at).toBeNull();
    });

    it('stores an expiry and gives it back as the same ISO instant', async () => {
      const { store, db } = await temporaryStores.open();
      const expiresAt = '2027-01-31T08:30:00.000Z';
      const key = await store.apiKeys.create({ ...newKey, pipelines: null, expiresAt });
      expect(key.expires_at).toBe(expiresAt);
      expect(await store.apiKeys.findActiveByHash('hash-1')).toEqual(key);
      expect((await store.apiKeys.list())[0]?.expires_at).toBe(expiresAt);
      const row = await db
        .selectFrom('api_keys')
        .select('expires_at')
        .where('id', '=', key.id)
        .executeTakeFirstOrThrow();
      expect(row.expires_at).toBe(expiresAt);
    });

    it('reads a corrupt pipeline list as no pipelines, never all', async () => {
      const { store, db } = await temporaryStores.open();
      const key = await store.apiKeys.create({ ...newKey, pipelines: ['p-1'] });
      await db
        .updateTable('api_keys')
        .set({ pipelines: damagedJson(dialect, 'garbage') })
        .where('id', '=', key.id)
        .execute();
      expect((await store.apiKeys.findActiveByHash('hash-1'))?.pipelines).toEqual([]);
    });
  });
});
