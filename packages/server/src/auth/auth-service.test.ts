import { Writable } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { configSchema, type ConfigInput } from '../config/config.js';
import { BotwireError } from '../errors/botwire-error.js';
import { createLogger } from '../logging/logger.js';
import type { Store } from '../storage/store.js';
import { useTemporaryStores } from '../storage/temporary-store.test-support.js';
import { AuthService } from './auth-service.js';
import type { Principal } from './principal.js';
import { hashToken } from './secret-tokens.js';

const PIPELINE_A = '11111111-1111-4111-8111-111111111111';
const PIPELINE_B = '22222222-2222-4222-8222-222222222222';
const PIPELINE_C = '33333333-3333-4333-8333-333333333333';
const STATIC_KEY = 'static-automation-key-0123456789';

const admin: Principal = {
  id: 'user:1',
  name: 'admin',
  kind: 'user',
  role: 'admin',
  pipelines: null,
};

const temporaryStores = useTemporaryStores();
let store: Store;
let logLines: string[];
let clock: Date;

beforeEach(async () => {
  ({ store } = await temporaryStores.open());
  logLines = [];
  clock = new Date('2030-01-01T00:00:00.000Z');
});

/** Timers run by hand against `clock`, so expiry is tested without waiting. */
class ManualTimers {
  readonly pending = new Map<number, { callback: () => void; at: number }>();
  #next = 1;

  set = (callback: () => void, delayMs: number): number => {
    const handle = this.#next++;
    this.pending.set(handle, { callback, at: clock.getTime() + delayMs });
    return handle;
  };

  clear = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };

  /** Moves the clock on and runs the timers that came due, in order. */
  advance(ms: number): void {
    clock = new Date(clock.getTime() + ms);
    for (let round = 0; round < 100; round += 1) {
      const due = [...this.pending].find(([, timer]) => timer.at <= clock.getTime());
      if (due === undefined) return;
      this.pending.delete(due[0]);
      due[1].callback();
    }
  }
}

function createService(
  auth: ConfigInput['auth'] = {},
  expiryTimers: ManualTimers = new ManualTimers(),
): AuthService {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  return new AuthService({
    store,
    config: configSchema.parse({ auth }).auth,
    logger: createLogger({ level: 'trace', destination }),
    now: () => clock,
    expiryTimers,
  });
}

async function expectBotwireError(
  promise: Promise<unknown>,
  code: BotwireError['code'],
  message?: string | RegExp,
): Promise<BotwireError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BotwireError);
  const botwireError = error as BotwireError;
  expect(botwireError.code).toBe(code);
  if (message !== undefined) expect(botwireError.message).toMatch(message);
  return botwireError;
}

function catchSync(action: () => void): BotwireError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(BotwireError);
    return error as BotwireError;
  }
  throw new Error('expected a BotwireError');
}

describe('ensureAdmin', () => {
  it('creates the admin with a generated password, returned but never logged', async () => {
    const service = createService({ adminUsername: 'root' });
    const result = await service.ensureAdmin();
    expect(result.created).toBe(true);
    expect(result.username).toBe('root');
    expect(result.generatedPassword).toMatch(/^.{20,}$/);
    const password = result.generatedPassword ?? '';
    expect(logLines.join('')).not.toContain(password);
    const login = await service.login('root', password);
    expect(login.user).toMatchObject({ username: 'root', role: 'admin' });
    expect(login.user).not.toHaveProperty('passwordHash');
  });

  it('uses the configured password and does not overwrite it on later starts', async () => {
    const first = createService({ adminPassword: 'first-password' });
    expect(await first.ensureAdmin()).toEqual({ created: true, username: 'admin' });

    const second = createService({ adminPassword: 'second-password' });
    expect(await second.ensureAdmin()).toEqual({ created: false, username: 'admin' });
    await expect(second.login('admin', 'first-password')).resolves.toBeDefined();
    await expectBotwireError(second.login('admin', 'second-password'), 'AUTH_FAILED');
    expect(await store.users.count()).toBe(1);
  });
});

describe('isCredentialStillValid', () => {
  it('holds for live credentials and not after logout, revocation or expiry', async () => {
    const service = createService({ adminPassword: 'admin-password', sessionTtlHours: 1 });
    await service.ensureAdmin();
    const login = await service.login('admin', 'admin-password');
    const user = await service.authenticate(login.token);
    if (user === undefined) throw new Error('no principal');
    expect(await service.isCredentialStillValid(user, hashToken(login.token))).toBe(true);
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    expect(await service.isCredentialStillValid(user, hashToken(login.token))).toBe(false);

    const { api_key: apiKey, key } = await service.createApiKey(admin, { name: 'k' });
    const keyPrincipal = await service.authenticate(key);
    if (keyPrincipal === undefined) throw new Error('no principal');
    expect(await service.isCredentialStillValid(keyPrincipal, hashToken(key))).toBe(true);
    // Another principal's id with this hash does not pass.
    expect(
      await service.isCredentialStillValid({ ...keyPrincipal, id: 'key:999' }, hashToken(key)),
    ).toBe(false);
    await service.revokeApiKey(apiKey.id);
    expect(await service.isCredentialStillValid(keyPrincipal, hashToken(key))).toBe(false);

    const staticService = createService({ apiKeys: [STATIC_KEY] });
    const staticPrincipal = await staticService.authenticate(STATIC_KEY);
    if (staticPrincipal === undefined) throw new Error('no principal');
    expect(await staticService.isCredentialStillValid(staticPrincipal, 'whatever')).toBe(true);
  });
});

describe('login and sessions', () => {
  it('opens a session whose token authenticates as the user', async () => {
    const service = createService({ adminPassword: 'admin-password', sessionTtlHours: 2 });
    await service.ensureAdmin();
    const login = await service.login('admin', 'admin-password');
    expect(login.token).toMatch(/^bw_session_[A-Za-z0-9_-]{43}$/);
    expect(login.expires_at).toBe('2030-01-01T02:00:00.000Z');
    const principal = await service.authenticate(login.token);
    expect(principal).toEqual({
      id: `user:${login.user.id}`,
      name: 'admin',
      kind: 'user',
      role: 'admin',
      pipelines: null,
    });
    // Only the hash is stored.
    expect(await store.sessions.findUser(login.token, clock.toISOString())).toBeUndefined();
    expect(
      await store.sessions.findUser(hashToken(login.token), clock.toISOString()),
    ).toBeDefined();
  });

  it('logs failed sign-ins with the remote address and throttles them per address', async () => {
    const service = createService({ adminPassword: 'admin-password' });
    await service.ensureAdmin();
    const attacker = { remoteAddress: '203.0.113.7' };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expectBotwireError(service.login('admin', 'wrong-guess', attacker), 'AUTH_FAILED');
    }
    const failed = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const failures = failed.filter((line) => line.msg === 'login failed');
    expect(failures).toHaveLength(5);
    expect(failures.every((line) => line.remoteAddress === '203.0.113.7')).toBe(true);

    // Even the right password waits from that address; the owner elsewhere is not locked out.
    const throttled = await expectBotwireError(
      service.login('admin', 'admin-password', attacker),
      'LOGIN_THROTTLED',
    );
    expect(throttled.retryAfterSeconds).toBe(1);
    await expect(
      service.login('admin', 'admin-password', { remoteAddress: '198.51.100.20' }),
    ).resolves.toBeDefined();
    // On the injected clock, the wait passes and the right password works from there too.
    clock = new Date(clock.getTime() + 1_000);
    await expect(service.login('admin', 'admin-password', attacker)).resolves.toBeDefined();
  });

  it('rejects a wrong password and an unknown user with the same message', async () => {
    const service = createService({ adminPassword: 'admin-password' });
    await service.ensureAdmin();
    const wrong = await expectBotwireError(service.login('admin', 'nope-nope'), 'AUTH_FAILED');
    const unknown = await expectBotwireError(
      service.login('ghost', 'admin-password'),
      'AUTH_FAILED',
    );
    expect(wrong.message).toBe('Unknown username or wrong password.');
    expect(unknown.message).toBe(wrong.message);
    await expectBotwireError(service.login('admin', 'x'.repeat(5_000)), 'AUTH_FAILED');
    expect(logLines.join('')).not.toContain('nope-nope');
  });

  it('stops accepting a session after it expires, using the clock option', async () => {
    const service = createService({ adminPassword: 'admin-password', sessionTtlHours: 1 });
    await service.ensureAdmin();
    const { token } = await service.login('admin', 'admin-password');
    clock = new Date('2030-01-01T00:59:59.000Z');
    expect(await service.authenticate(token)).toBeDefined();
    clock = new Date('2030-01-01T01:00:00.000Z');
    expect(await service.authenticate(token)).toBeUndefined();
    expect(await service.deleteExpiredSessions()).toBe(1);
  });

  it('ends a session on logout and ignores unknown tokens', async () => {
    const service = createService({ adminPassword: 'admin-password' });
    await service.ensureAdmin();
    const { token } = await service.login('admin', 'admin-password');
    await service.logout('garbage');
    expect(await service.authenticate(token)).toBeDefined();
    await service.logout(token);
    expect(await service.authenticate(token)).toBeUndefined();
  });
});

describe('API keys', () => {
  it('creates a key shown once, authenticates with it and stops after revocation', async () => {
    const service = createService();
    const created = await service.createApiKey(admin, { name: ' ci bot ', role: 'member' });
    expect(created.key).toMatch(/^bw_key_[A-Za-z0-9_-]{43}$/);
    expect(created.api_key).toMatchObject({
      name: 'ci bot',
      prefix: created.key.slice(0, 12),
      role: 'member',
      pipelines: null,
      revoked_at: null,
      last_used_at: null,
    });
    expect(JSON.stringify(await service.listApiKeys())).not.toContain(created.key);
    expect(logLines.join('')).not.toContain(created.key);

    const principal = await service.authenticate(created.key);
    expect(principal).toEqual({
      id: `key:${created.api_key.id}`,
      name: 'ci bot',
      kind: 'api_key',
      role: 'member',
      pipelines: null,
    });
    await vi.waitFor(async () => {
      const [listed] = await service.listApiKeys();
      expect(listed?.last_used_at).toBe(clock.toISOString());
    });

    await service.revokeApiKey(created.api_key.id);
    expect(await service.authenticate(created.key)).toBeUndefined();
    await expectBotwireError(
      service.revokeApiKey(created.api_key.id),
      'NOT_FOUND',
      `No active API key has id ${created.api_key.id}.`,
    );
    await expectBotwireError(service.revokeApiKey(999), 'NOT_FOUND');
  });

  it('validates the body', async () => {
    const service = createService();
    const error = await expectBotwireError(
      service.createApiKey(admin, { name: '', pipelines: ['not-a-uuid'] }),
      'VALIDATION_FAILED',
    );
    expect(error.message).toContain('name:');
    expect(error.message).toContain('pipelines.0:');
  });

  it('scopes a key to its pipelines and authorize refuses the others', async () => {
    const service = createService();
    const { key } = await service.createApiKey(admin, {
      name: 'scoped',
      pipelines: [PIPELINE_A, PIPELINE_B],
    });
    const principal = await service.authenticate(key);
    expect(principal?.pipelines).toEqual([PIPELINE_A, PIPELINE_B]);
    if (!principal) throw new Error('unreachable');

    expect(() => service.authorize(principal, 'chat', PIPELINE_A)).not.toThrow();
    expect(() => service.authorize(principal, 'chat')).not.toThrow();
    const forbidden = catchSync(() => service.authorize(principal, 'chat', PIPELINE_C));
    expect(forbidden.code).toBe('FORBIDDEN');
    expect(forbidden.message).toBe(
      `API key "scoped" may only use pipelines ${PIPELINE_A}, ${PIPELINE_B}.`,
    );
    const notAdmin = catchSync(() => service.authorize(principal, 'admin'));
    expect(notAdmin.code).toBe('FORBIDDEN');
    expect(notAdmin.message).toContain('admin role');
  });

  it('does not let a key creator grant more than it has', async () => {
    const service = createService();
    const member: Principal = { ...admin, role: 'member', pipelines: [PIPELINE_A] };
    await expectBotwireError(
      service.createApiKey(member, { name: 'x', role: 'admin', pipelines: [PIPELINE_A] }),
      'FORBIDDEN',
    );
    await expectBotwireError(service.createApiKey(member, { name: 'x' }), 'FORBIDDEN');
    await expectBotwireError(
      service.createApiKey(member, { name: 'x', pipelines: [PIPELINE_B] }),
      'FORBIDDEN',
      PIPELINE_B,
    );
    await expect(
      service.createApiKey(member, { name: 'x', pipelines: [PIPELINE_A] }),
    ).resolves.toBeDefined();
  });
});

describe('API key expiry', () => {
  const DAY_MS = 24 * 60 * 60 * 1_000;

  function inFromNow(ms: number): string {
    return new Date(clock.getTime() + ms).toISOString();
  }

  it('accepts an expiry in the future, at most 366 days away, normalised to UTC', async () => {
    const service = createService();
    const created = await service.createApiKey(admin, {
      name: 'month',
      expires_at: '2030-01-31T09:00:00+08:00',
    });
    expect(created.api_key.expires_at).toBe('2030-01-31T01:00:00.000Z');
    expect(created.api_key.expired).toBe(false);
    const never = await service.createApiKey(admin, { name: 'never' });
    expect(never.api_key).toMatchObject({ expires_at: null, expired: false });
    const longest = await service.createApiKey(admin, {
      name: 'year',
      expires_at: inFromNow(366 * DAY_MS),
    });
    expect(longest.api_key.expires_at).toBe(inFromNow(366 * DAY_MS));
  });

  it.each([
    ['in the past', () => inFromNow(-1_000), 'expires_at: expires_at must be in the future'],
    ['now', () => inFromNow(0), 'expires_at must be in the future'],
    ['too far', () => inFromNow(366 * DAY_MS + 1_000), 'at most 366 days away'],
    ['without a time zone', () => '2030-02-01T00:00:00', 'ISO-8601 timestamp with a time zone'],
    ['not a date', () => 'next week', 'ISO-8601 timestamp with a time zone'],
  ])('refuses an expiry %s with VALIDATION_FAILED', async (_name, expiresAt, message) => {
    const service = createService();
    const error = await expectBotwireError(
      service.createApiKey(admin, { name: 'x', expires_at: expiresAt() }),
      'VALIDATION_FAILED',
      message,
    );
    // One reason per problem: a malformed date is not also "in the past".
    expect(error.message.match(/expires_at/g)?.length).toBeLessThanOrEqual(2);
    expect(await service.listApiKeys()).toEqual([]);
  });

  it('authenticates until the expiry, then refuses with API_KEY_EXPIRED and lists it as expired', async () => {
    const timers = new ManualTimers();
    const service = createService({}, timers);
    const { key, api_key: apiKey } = await service.createApiKey(admin, {
      name: 'short',
      expires_at: inFromNow(60_000),
    });
    expect((await service.authenticate(key))?.id).toBe(`key:${apiKey.id}`);
    timers.advance(59_999);
    expect(await service.authenticate(key)).toBeDefined();
    timers.advance(1);
    await expectBotwireError(
      service.authenticate(key),
      'API_KEY_EXPIRED',
      `API key "short" expired at ${apiKey.expires_at ?? ''}. Create a new key`,
    );
    const [listed] = await service.listApiKeys();
    expect(listed).toMatchObject({ id: apiKey.id, expired: true, revoked_at: null });
    // An unknown key is still just unknown.
    expect(await service.authenticate('bw_key_' + 'x'.repeat(43))).toBeUndefined();
  });

  it('tells the revocation listeners when a key in use expires, with one timer for all keys', async () => {
    const timers = new ManualTimers();
    const service = createService({}, timers);
    const revocations: unknown[] = [];
    service.onRevoked((revocation) => revocations.push(revocation));
    const later = await service.createApiKey(admin, {
      name: 'later',
      expires_at: inFromNow(120_000),
    });
    const sooner = await service.createApiKey(admin, {
      name: 'sooner',
      expires_at: inFromNow(60_000),
    });
    const revoked = await service.createApiKey(admin, {
      name: 'revoked',
      expires_at: inFromNow(30_000),
    });
    const forever = await service.createApiKey(admin, { name: 'forever' });
    for (const created of [later, sooner, revoked, forever])
      await service.authenticate(created.key);
    // Keys never used here are not waited on; the used ones share one timer.
    expect(timers.pending.size).toBe(1);
    await service.revokeApiKey(revoked.api_key.id);
    expect(revocations).toEqual([{ principalId: `key:${revoked.api_key.id}` }]);
    revocations.length = 0;

    timers.advance(59_000);
    expect(revocations).toEqual([]);
    timers.advance(1_000);
    expect(revocations).toEqual([
      {
        principalId: `key:${sooner.api_key.id}`,
        error: {
          code: 'API_KEY_EXPIRED',
          message: expect.stringContaining('API key "sooner" expired at') as unknown,
        },
      },
    ]);
    expect(timers.pending.size).toBe(1);
    timers.advance(60_000);
    expect(revocations).toHaveLength(2);
    expect(revocations[1]).toMatchObject({ principalId: `key:${later.api_key.id}` });
    expect(timers.pending.size).toBe(0);
    expect(logLines.join('')).toContain('API key expired; closing its connections');
  });

  it('stops waiting when closed', async () => {
    const timers = new ManualTimers();
    const service = createService({}, timers);
    const { key } = await service.createApiKey(admin, { name: 'x', expires_at: inFromNow(1_000) });
    await service.authenticate(key);
    expect(timers.pending.size).toBe(1);
    service.close();
    expect(timers.pending.size).toBe(0);
  });
});

describe('authenticate', () => {
  it('accepts a static key from the config as an admin', async () => {
    const service = createService({ apiKeys: ['another-static-key-xxxxxx', STATIC_KEY] });
    const principal = await service.authenticate(STATIC_KEY);
    const short = hashToken(STATIC_KEY).slice(0, 8);
    expect(principal).toEqual({
      id: `static:${short}`,
      name: `static key ${short}`,
      kind: 'static_key',
      role: 'admin',
      pipelines: null,
    });
    expect(await service.authenticate(`${STATIC_KEY}x`)).toBeUndefined();
    expect(await service.authenticate(STATIC_KEY.slice(0, -1))).toBeUndefined();
  });

  it('returns undefined, never throws, on garbage', async () => {
    const service = createService({ apiKeys: [STATIC_KEY] });
    const garbage: unknown[] = [
      '',
      ' ',
      'x'.repeat(1_000_000),
      'bw_key_',
      'bw_session_',
      `bw_key_${'A'.repeat(43)}`,
      `bw_session_${'A'.repeat(43)}`,
      `bw_key_${'\u0000'.repeat(43)}`,
      "bw_key_' OR 1=1 --",
      '\ud800\udfff\ud800',
      '🔑'.repeat(100),
      undefined,
      null,
      42,
      {},
    ];
    for (const token of garbage) {
      await expect(service.authenticate(token as string)).resolves.toBeUndefined();
    }
  });
});

describe('users', () => {
  it('creates users, refuses duplicates and validates', async () => {
    const service = createService();
    const user = await service.createUser({ username: 'alice', password: 'alice-password' });
    expect(user).toMatchObject({ username: 'alice', role: 'member' });
    await expectBotwireError(
      service.createUser({ username: 'alice', password: 'other-password' }),
      'CONFLICT',
      'A user named alice already exists.',
    );
    await expectBotwireError(
      service.createUser({ username: 'bad name', password: 'short' }),
      'VALIDATION_FAILED',
      /username: .*; password: /,
    );
    expect((await service.listUsers()).map((listed) => listed.username)).toEqual(['alice']);
  });

  it('deletes users but never the last admin', async () => {
    const service = createService({ adminPassword: 'admin-password' });
    await service.ensureAdmin();
    const [first] = await service.listUsers();
    if (!first) throw new Error('unreachable');
    await expectBotwireError(service.deleteUser(first.id), 'CONFLICT', /last admin/);

    const second = await service.createUser({
      username: 'second',
      password: 'second-password',
      role: 'admin',
    });
    const { token } = await service.login('second', 'second-password');
    await service.deleteUser(second.id);
    expect(await service.authenticate(token)).toBeUndefined();
    await expectBotwireError(service.deleteUser(second.id), 'NOT_FOUND');
  });

  it('changes a password, ending the other sessions but keeping the current one', async () => {
    const service = createService();
    const user = await service.createUser({ username: 'bob', password: 'old-password' });
    const current = await service.login('bob', 'old-password');
    const other = await service.login('bob', 'old-password');

    await expectBotwireError(
      service.changePassword(user.id, 'wrong-password', 'new-password'),
      'AUTH_FAILED',
    );
    await expectBotwireError(
      service.changePassword(user.id, 'old-password', 'short'),
      'VALIDATION_FAILED',
    );
    expect(await service.authenticate(other.token)).toBeDefined();

    await service.changePassword(user.id, 'old-password', 'new-password', current.token);
    expect(await service.authenticate(other.token)).toBeUndefined();
    expect(await service.authenticate(current.token)).toBeDefined();
    await expectBotwireError(service.login('bob', 'old-password'), 'AUTH_FAILED');
    await expect(service.login('bob', 'new-password')).resolves.toBeDefined();

    // Without a session to keep, every session ends.
    const latest = await service.login('bob', 'new-password');
    await service.changePassword(user.id, 'new-password', 'newer-password');
    expect(await service.authenticate(latest.token)).toBeUndefined();
    expect(await service.authenticate(current.token)).toBeUndefined();
  });
});

describe('authorize', () => {
  it('lets admins manage and members only chat', () => {
    const service = createService();
    const member: Principal = { ...admin, name: 'bob', role: 'member' };
    expect(() => service.authorize(admin, 'admin')).not.toThrow();
    expect(() => service.authorize(admin, 'chat', PIPELINE_C)).not.toThrow();
    expect(() => service.authorize(member, 'chat', PIPELINE_C)).not.toThrow();
    const error = catchSync(() => service.authorize(member, 'admin'));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toBe('This needs an admin role; user "bob" is a member.');
  });
});
