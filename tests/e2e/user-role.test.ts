import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** PATCH /api/v1/users/<id>/role: an admin changes a role; the user is signed out; one admin stays. */
describe('changing a user’s role', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  const login = async (username: string, password: string) => {
    const response = await rest<{ token: string; user: { role: string } }>(
      server.url,
      'POST',
      '/api/v1/auth/login',
      { token: null, body: { username, password } },
    );
    expect(response.status).toBe(200);
    return response.body.data;
  };

  it('promotes a member, ends their sessions, and never demotes the last admin', async () => {
    const created = await rest<{ user: { id: number } }>(server.url, 'POST', '/api/v1/users', {
      body: { username: 'alice', password: 'alice-password-1', role: 'member' },
    });
    expect(created.status).toBe(201);
    const aliceId = created.body.data.user.id;
    const session = await login('alice', 'alice-password-1');
    expect(session.user.role).toBe('member');

    // A member may not change roles.
    const refused = await rest(server.url, 'PATCH', `/api/v1/users/${aliceId}/role`, {
      token: session.token,
      body: { role: 'admin' },
    });
    expect(refused.status).toBe(403);

    // The first-run admin is the only admin: it stays one.
    const last = await rest(server.url, 'PATCH', '/api/v1/users/1/role', {
      body: { role: 'member' },
    });
    expect(last.status).toBe(409);
    expect(last.body.error).toBe('CONFLICT');

    const promoted = await rest<{ user: { id: number; role: string } }>(
      server.url,
      'PATCH',
      `/api/v1/users/${aliceId}/role`,
      { body: { role: 'admin' } },
    );
    expect(promoted.status).toBe(200);
    expect(promoted.body.data.user).toMatchObject({ id: aliceId, role: 'admin' });
    const stale = await rest(server.url, 'GET', '/api/v1/auth/me', { token: session.token });
    expect(stale.status).toBe(401);
    expect((await login('alice', 'alice-password-1')).user.role).toBe('admin');

    // Now there are two admins, so the first may step down.
    const demoted = await rest<{ user: { role: string } }>(
      server.url,
      'PATCH',
      '/api/v1/users/1/role',
      { body: { role: 'member' } },
    );
    expect(demoted.body.data.user.role).toBe('member');
  });

  it('refuses an unknown user or role with a typed error', async () => {
    const unknown = await rest(server.url, 'PATCH', '/api/v1/users/999/role', {
      body: { role: 'member' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('NOT_FOUND');
    const badRole = await rest(server.url, 'PATCH', '/api/v1/users/1/role', {
      body: { role: 'owner' },
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error).toBe('VALIDATION_FAILED');
  });
});
