import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** DELETE /api/v1/revoked-keys/<id>: only a revoked key leaves the list, only for an admin. */
describe('deleting a revoked API key', () => {
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  it('refuses an active key, deletes a revoked one, then no longer finds it', async () => {
    const created = await rest<{ api_key: { id: number }; key: string }>(
      server.url,
      'POST',
      '/api/v1/keys',
      { body: { name: 'old-bot' } },
    );
    const id = created.body.data.api_key.id;

    const active = await rest(server.url, 'DELETE', `/api/v1/revoked-keys/${id}`);
    expect(active.status).toBe(409);
    expect(active.body.error).toBe('CONFLICT');
    const byMember = await rest(server.url, 'DELETE', `/api/v1/revoked-keys/${id}`, {
      token: created.body.data.key,
    });
    expect(byMember.status).toBe(403);

    expect((await rest(server.url, 'DELETE', `/api/v1/keys/${id}`)).status).toBe(200);
    const deleted = await rest(server.url, 'DELETE', `/api/v1/revoked-keys/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toEqual({ message: `API key ${id} deleted.` });
    const list = await rest<{ api_keys: { id: number }[] }>(server.url, 'GET', '/api/v1/keys');
    expect(list.body.data.api_keys.some((key) => key.id === id)).toBe(false);

    const again = await rest(server.url, 'DELETE', `/api/v1/revoked-keys/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error).toBe('NOT_FOUND');
    const bad = await rest(server.url, 'DELETE', '/api/v1/revoked-keys/abc');
    expect(bad.status).toBe(400);
  });
});
