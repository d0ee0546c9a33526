import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import { closedWithin } from '../support/e2e-helpers.js';
import { rest } from '../support/rest-client.js';
import {
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js';

/** Credentials that stop being valid take their live connections with them; scopes are real limits. */
describe('revocation and scopes', () => {
  let server: ServerProcess;
  let pipeline: string;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    server = await startServerProcess();
    pipeline = server.defaultPipelineUuid;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server[Symbol.asyncDispose]();
  });

  const connect = async (token: string, query = 'session_type=person') => {
    const chat = await connectChat(server.wsUrl, pipeline, { token, query });
    sockets.push(chat);
    return chat;
  };
  const createKey = async (body: Record<string, unknown>): Promise<{ id: number; key: string }> => {
    const created = await rest(server.url, 'POST', '/api/v1/keys', { body });
    expect(created.status).toBe(201);
    return { id: created.body.data.api_key.id as number, key: created.body.data.key as string };
  };
  const login = async (username: string, password: string): Promise<string> => {
    const response = await rest(server.url, 'POST', '/api/v1/auth/login', {
      body: { username, password },
      token: null,
    });
    expect(response.status).toBe(200);
    return response.body.data.token as string;
  };

  it('closes the open sockets of a revoked API key with 4001', async () => {
    const { id, key } = await createKey({ name: 'soon revoked' });
    const other = await createKey({ name: 'stays' });
    const doomed = await connect(key);
    const survivor = await connect(other.key);
    expect((await rest(server.url, 'DELETE', `/api/v1/keys/${id}`)).status).toBe(200);
    const closed = await closedWithin(doomed, 3_000);
    expect(closed.code).toBe(4001);
    expect(closed.reason).toBe('credentials revoked');
    survivor.send({ type: 'ping' });
    await survivor.next('pong');
    expect(survivor.closeCode).toBeUndefined();
  });

  it('closes only the sockets of the session that signed out', async () => {
    const first = await login('admin', ADMIN_PASSWORD);
    const second = await login('admin', ADMIN_PASSWORD);
    const signedOut = await connect(first);
    const stillIn = await connect(second);
    const logout = await rest(server.url, 'POST', '/api/v1/auth/logout', { token: first });
    expect(logout.status).toBe(200);
    expect((await closedWithin(signedOut, 3_000)).code).toBe(4001);
    stillIn.send({ type: 'ping' });
    await stillIn.next('pong');
    expect(stillIn.closeCode).toBeUndefined();
  });

  it("closes a user's other sessions on a password change and all of them on deletion", async () => {
    const created = await rest(server.url, 'POST', '/api/v1/users', {
      body: { username: 'carol', password: 'carol-password-1', role: 'member' },
    });
    expect(created.status).toBe(201);
    const current = await login('carol', 'carol-password-1');
    const other = await login('carol', 'carol-password-1');
    const currentSocket = await connect(current);
    const otherSocket = await connect(other);

    const changed = await rest(server.url, 'PUT', '/api/v1/auth/password', {
      token: current,
      body: { current_password: 'carol-password-1', new_password: 'carol-password-2' },
    });
    expect(changed.status).toBe(200);
    expect((await closedWithin(otherSocket, 3_000)).code).toBe(4001);
    currentSocket.send({ type: 'ping' });
    await currentSocket.next('pong');
    expect(currentSocket.closeCode).toBeUndefined();

    const deleted = await rest(server.url, 'DELETE', `/api/v1/users/${created.body.data.user.id}`);
    expect(deleted.status).toBe(200);
    expect((await closedWithin(currentSocket, 3_000)).code).toBe(4001);
  });

  it('gives an admin key limited to one pipeline no server-wide administration', async () => {
    const scoped = await createKey({ name: 'scoped admin', role: 'admin', pipelines: [pipeline] });
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/v1/pipelines', { name: 'sneaky' }],
      ['GET', '/api/v1/keys', undefined],
      ['POST', '/api/v1/keys', { name: 'escalated', role: 'admin' }],
      [
        'POST',
        '/api/v1/users',
        { username: 'mallory', password: 'mallory-password', role: 'admin' },
      ],
      ['GET', '/api/v1/connections', undefined],
      ['POST', `/api/v1/pipelines/${pipeline}/ws/broadcast`, { message: 'hi' }],
      ['PATCH', `/api/v1/pipelines/${pipeline}`, { name: 'renamed' }],
      ['DELETE', `/api/v1/pipelines/${pipeline}`, undefined],
    ];
    for (const [method, path, body] of attempts) {
      const response = await rest(server.url, method, path, { token: scoped.key, body });
      expect({ method, path, status: response.status, error: response.body.error }).toEqual({
        method,
        path,
        status: 403,
        error: 'FORBIDDEN',
      });
    }
    // It still chats on its pipeline.
    const chat = await connect(scoped.key);
    chat.sendText('still allowed');
    expect((await chat.finalResponse()).data.status).toBe('complete');
  });

  it("shows members the totals but only their own connections' details", async () => {
    const member = await createKey({ name: 'member viewer' });
    const mine = await connect(member.key);
    await connect((await createKey({ name: 'someone else' })).key);
    const view = await rest(server.url, 'GET', `/api/v1/pipelines/${pipeline}/ws/connections`, {
      token: member.key,
    });
    expect(view.status).toBe(200);
    const connections = view.body.data.connections as { connection_id: string }[];
    expect(connections.map((connection) => connection.connection_id)).toEqual([
      mine.ofType('connected')[0]?.connection_id,
    ]);
    expect(view.body.data.stats.total_connections).toBeGreaterThanOrEqual(2);
    const adminView = await rest(server.url, 'GET', `/api/v1/pipelines/${pipeline}/ws/connections`);
    expect(adminView.body.data.connections.length).toBe(
      adminView.body.data.stats.total_connections,
    );
  });
});
