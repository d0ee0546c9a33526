import type { ConnectedFrame } from '@botwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectUsable, waitUntil } from '../support/e2e-helpers.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TestResources } from '../support/stream-test-kit.js';

/** An admin closes one live connection by id; the act is in the log; nobody else may. */
describe('DELETE /api/v1/connections/<id>', () => {
  let server: ServerProcess;
  const resources = new TestResources();

  beforeAll(async () => {
    // Audit lines are info-level; the test servers log only warnings by default.
    server = await startServerProcess({ env: { BOTWIRE_LOG_LEVEL: 'info' } });
  });
  afterEach(async () => {
    await resources.dispose();
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  it('closes that connection with 1000 and leaves the others open, and logs who did it', async () => {
    const target = await resources.connect(server, server.defaultPipelineUuid, {
      query: 'session_type=person',
    });
    const bystander = await resources.connect(server, server.defaultPipelineUuid, {
      query: 'session_type=group',
    });
    const id = (target.frames[0] as ConnectedFrame).connection_id;

    const answer = await rest<{ message: string; connection_id: string }>(
      server.url,
      'DELETE',
      `/api/v1/connections/${encodeURIComponent(id)}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ message: `Connection ${id} closed.`, connection_id: id });
    expect(await target.closed).toEqual({ code: 1000, reason: 'disconnected by an admin' });
    await expectUsable(bystander);
    await waitUntil(
      () => server.output().includes('"audit":"connection.disconnect"'),
      'the audit log line',
    );
    const line = server
      .output()
      .split('\n')
      .find((entry) => entry.includes('"audit":"connection.disconnect"'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ connection: id, by: expect.any(String) });

    const again = await rest(server.url, 'DELETE', `/api/v1/connections/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.error).toBe('NOT_FOUND');
  });

  it('refuses anyone but an admin', async () => {
    const chat = await resources.connect(server, server.defaultPipelineUuid, {
      query: 'session_type=person',
    });
    const id = (chat.frames[0] as ConnectedFrame).connection_id;
    const created = await rest<{ key: string }>(server.url, 'POST', '/api/v1/keys', {
      body: { name: 'not-admin', role: 'member' },
    });
    const refused = await rest(server.url, 'DELETE', `/api/v1/connections/${id}`, {
      token: created.body.data.key,
    });
    expect(refused.status).toBe(403);
    const anonymous = await rest(server.url, 'DELETE', `/api/v1/connections/${id}`, {
      token: null,
    });
    expect(anonymous.status).toBe(401);
    await expectUsable(chat);
  });
});
