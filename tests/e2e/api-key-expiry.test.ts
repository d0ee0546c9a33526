import { CLOSE_CODES } from '@botwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, openChatSocket, type ChatSocket } from '../support/chat-socket.js';
import { closedWithin, expectRefusal } from '../support/e2e-helpers.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** How long the short-lived key lasts: enough to connect on a loaded machine. */
const LIFETIME_MS = 6_000;

/** API keys with an expiry, against a real server process and real sockets. */
describe('API key expiry', () => {
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

  const createKey = async (body: Record<string, unknown>) => {
    const created = await rest(server.url, 'POST', '/api/v1/keys', { body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return {
      id: created.body.data.api_key.id as number,
      key: created.body.data.key as string,
      expiresAt: created.body.data.api_key.expires_at as string | null,
    };
  };

  it('refuses an expiry in the past or more than 366 days away', async () => {
    for (const [expiresAt, message] of [
      [new Date(Date.now() - 1_000).toISOString(), 'expires_at must be in the future'],
      [new Date(Date.now() + 367 * 86_400_000).toISOString(), 'at most 366 days away'],
      ['2030-01-01', 'ISO-8601 timestamp with a time zone'],
    ] as const) {
      const response = await rest(server.url, 'POST', '/api/v1/keys', {
        body: { name: 'bad expiry', expires_at: expiresAt },
      });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('VALIDATION_FAILED');
      expect(response.body.msg).toContain(message);
    }
  });

  it('closes the open socket of a key when it expires, then refuses the key on REST and WebSocket', async () => {
    const lasting = await createKey({ name: 'lasting', expires_at: null });
    expect(lasting.expiresAt).toBeNull();
    const short = await createKey({
      name: 'short-lived',
      expires_at: new Date(Date.now() + LIFETIME_MS).toISOString(),
    });
    const expiresAt = Date.parse(short.expiresAt ?? '');
    expect(expiresAt).toBeGreaterThan(Date.now());

    // Before the expiry: the key works on REST and connects.
    const before = await rest(server.url, 'GET', '/api/v1/pipelines', { token: short.key });
    expect(before.status).toBe(200);
    const doomed = await connectChat(server.wsUrl, pipeline, {
      token: short.key,
      query: 'session_type=person',
    });
    sockets.push(doomed);
    const survivor = await connectChat(server.wsUrl, pipeline, {
      token: lasting.key,
      query: 'session_type=person',
    });
    sockets.push(survivor);

    const closed = await closedWithin(doomed, LIFETIME_MS + 15_000);
    const closedAt = Date.now();
    expect(closedAt).toBeGreaterThanOrEqual(expiresAt);
    expect(closed).toEqual({ code: CLOSE_CODES.UNAUTHENTICATED, reason: 'API key expired' });
    const errors = doomed.ofType('error');
    expect(errors.map((frame) => frame.code)).toEqual(['API_KEY_EXPIRED']);
    expect(errors[0]?.message).toContain('API key "short-lived" expired at');

    // The other key's socket is untouched.
    survivor.send({ type: 'ping' });
    await survivor.next('pong');
    expect(survivor.closeCode).toBeUndefined();

    const after = await rest(server.url, 'GET', '/api/v1/pipelines', { token: short.key });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ code: -2007, error: 'API_KEY_EXPIRED' });
    expect(after.body.msg).toContain('Create a new key');

    const refused = await openChatSocket(server.wsUrl, pipeline, {
      token: short.key,
      query: 'session_type=person',
    });
    sockets.push(refused);
    await expectRefusal(refused, 'API_KEY_EXPIRED', CLOSE_CODES.UNAUTHENTICATED);

    // The list marks it expired; it can still be revoked and then deleted.
    const listed = await rest(server.url, 'GET', '/api/v1/keys');
    const keys = listed.body.data.api_keys as { id: number; expired: boolean }[];
    expect(keys.find((key) => key.id === short.id)?.expired).toBe(true);
    expect(keys.find((key) => key.id === lasting.id)?.expired).toBe(false);
    expect((await rest(server.url, 'DELETE', `/api/v1/keys/${short.id}`)).status).toBe(200);
    const revokedAfter = await rest(server.url, 'GET', '/api/v1/pipelines', { token: short.key });
    expect(revokedAfter.body.error).toBe('AUTH_FAILED');
  });
});
