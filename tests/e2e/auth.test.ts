import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLOSE_CODES, ERROR_CATALOGUE, type ErrorCode } from '@botwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectChat,
  openChatSocket,
  type ChatSocket,
  type ChatSocketOptions,
} from '../support/chat-socket.js';
import {
  closeAll,
  closedWithin,
  expectRefusal,
  expectUsable,
  waitUntil,
} from '../support/e2e-helpers.js';
import { rest, type RestResponse } from '../support/rest-client.js';
import {
  ADMIN_KEY,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js';
import { createPipeline } from '../support/stream-test-kit.js';

const ALLOWED_ORIGIN = 'https://console.example.com';
const FOREIGN_ORIGIN = 'https://evil.example';
const COOKIE_NAME = 'botwire_session';

type PipelineList = { pipelines: { uuid: string; name: string }[] };
type ApiKeyRow = {
  id: number;
  name: string;
  prefix: string;
  role: string;
  revoked_at: string | null;
};
type ApiKeyList = { api_keys: ApiKeyRow[] };

function expectRestError(response: RestResponse, status: number, code: ErrorCode): void {
  expect({ status: response.status, error: response.body.error }).toEqual({ status, error: code });
  expect(response.body.code).toBe(ERROR_CATALOGUE[code].number);
}

/** Authentication and authorization over WebSocket and REST, against a real server process. */
describe('auth', () => {
  let server: ServerProcess;
  const sockets: ChatSocket[] = [];

  const open = async (
    options: ChatSocketOptions,
    pipelineUuid = server.defaultPipelineUuid,
  ): Promise<ChatSocket> => {
    const chat = await openChatSocket(server.wsUrl, pipelineUuid, options);
    sockets.push(chat);
    return chat;
  };
  const connect = async (
    options: ChatSocketOptions,
    pipelineUuid = server.defaultPipelineUuid,
  ): Promise<ChatSocket> => {
    const chat = await connectChat(server.wsUrl, pipelineUuid, options);
    sockets.push(chat);
    return chat;
  };
  const login = async (password = ADMIN_PASSWORD) => {
    const response = await rest<{
      token: string;
      expires_at: string;
      user: { username: string; role: string };
    }>(server.url, 'POST', '/api/v1/auth/login', {
      token: null,
      body: { username: 'admin', password },
    });
    expect(response.status).toBe(200);
    return response;
  };
  const createKey = async (body: Record<string, unknown>) => {
    const response = await rest<{
      api_key: { id: number; prefix: string; role: string };
      key: string;
    }>(server.url, 'POST', '/api/v1/keys', { body });
    expect(response.status).toBe(201);
    return response.body.data;
  };

  beforeAll(async () => {
    server = await startServerProcess({
      env: { BOTWIRE_AUTHENTICATE_TIMEOUT_MS: '300', BOTWIRE_ALLOWED_ORIGINS: ALLOWED_ORIGIN },
    });
  });

  afterAll(async () => {
    await closeAll(sockets);
    await server[Symbol.asyncDispose]();
  });

  describe('login and sessions', () => {
    it('returns a session token and sets an HttpOnly cookie', async () => {
      const response = await login();
      const { token, expires_at: expiresAt, user } = response.body.data;
      expect(token).toMatch(/^bw_session/);
      expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
      expect(user).toMatchObject({ username: 'admin', role: 'admin' });
      const cookies = response.headers.getSetCookie();
      const cookie = cookies.find((candidate) => candidate.startsWith(`${COOKIE_NAME}=`));
      expect(cookie).toBeDefined();
      expect(cookie).toContain(`${COOKIE_NAME}=${token}`);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie).toMatch(/;\s*Path=\//i);

      const me = await rest(server.url, 'GET', '/api/v1/auth/me', { token });
      expect(me.status).toBe(200);
      expect(me.body.data.principal).toMatchObject({ kind: 'user', name: 'admin', role: 'admin' });
    });

    it('refuses a wrong password with 401 AUTH_FAILED', async () => {
      const wrong = await rest(server.url, 'POST', '/api/v1/auth/login', {
        token: null,
        body: { username: 'admin', password: 'not-the-password' },
      });
      expectRestError(wrong, 401, 'AUTH_FAILED');
      expect(wrong.headers.getSetCookie()).toEqual([]);
      const unknownUser = await rest(server.url, 'POST', '/api/v1/auth/login', {
        token: null,
        body: { username: 'nobody', password: ADMIN_PASSWORD },
      });
      expectRestError(unknownUser, 401, 'AUTH_FAILED');
      // The same message for both, so it does not reveal which usernames exist.
      expect(unknownUser.body.msg).toBe(wrong.body.msg);
    });

    it('logout invalidates the session token', async () => {
      const { token } = (await login()).body.data;
      expect((await rest(server.url, 'GET', '/api/v1/auth/me', { token })).status).toBe(200);

      const logout = await rest(server.url, 'POST', '/api/v1/auth/logout', { token });
      expect(logout.status).toBe(200);
      const cleared = logout.headers
        .getSetCookie()
        .find((cookie) => cookie.startsWith(`${COOKIE_NAME}=`));
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);

      expectRestError(
        await rest(server.url, 'GET', '/api/v1/auth/me', { token }),
        401,
        'AUTH_FAILED',
      );
      const chat = await open({ token });
      await expectRefusal(chat, 'AUTH_FAILED', CLOSE_CODES.UNAUTHENTICATED);
    });
  });

  describe('WebSocket credentials', () => {
    it('accepts the session cookie set by login', async () => {
      const { token } = (await login()).body.data;
      const chat = await connect({
        token: null,
        headers: { cookie: `other=1; ${COOKIE_NAME}=${token}` },
      });
      chat.sendText('cookie hello');
      const final = await chat.finalResponse();
      expect(final.data.content).toContain('cookie hello');
      const stored = chat.ofType('user_message')[0];
      expect(stored?.data.sender).toMatchObject({
        id: expect.stringMatching(/^user:/),
        name: 'admin',
      });
    });

    it('accepts a bearer API key', async () => {
      const { key } = await createKey({ name: 'bearer-member' });
      const chat = await connect({ token: key });
      expect(chat.ofType('connected')[0]?.pipeline_uuid).toBe(server.defaultPipelineUuid);
      await expectUsable(chat);
    });

    it('accepts an authenticate first frame and processes messages sent right after it in order', async () => {
      const chat = await open({ token: null, query: 'session=authframe' });
      chat.send({ type: 'authenticate', token: ADMIN_KEY });
      const texts = ['first', 'second', 'third', 'fourth'];
      for (const text of texts) chat.sendText(text);
      await chat.waitFor(
        (frames) => frames.filter((frame) => frame.type === 'user_message').length === texts.length,
      );
      expect(chat.frames[0]?.type).toBe('connected');
      expect(chat.ofType('user_message').map((frame) => frame.data.content)).toEqual(texts);
      const seqs = chat.ofType('user_message').map((frame) => frame.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      await chat.waitFor(
        (frames) =>
          frames.filter((frame) => frame.type === 'response' && frame.data.is_final).length ===
          texts.length,
      );
      const finals = chat.ofType('response').filter((frame) => frame.data.is_final);
      expect(finals.map((frame) => frame.data.content)).toEqual(
        texts.map((text) => `[echo: no model configured] ${text}`),
      );
      expect(finals.map((frame) => frame.data.reply_to)).toEqual(
        chat.ofType('user_message').map((frame) => frame.data.id),
      );
      expect(chat.ofType('error')).toEqual([]);
    });

    it('accepts a session token in the authenticate frame', async () => {
      const { token } = (await login()).body.data;
      const chat = await open({ token: null });
      chat.send({ type: 'authenticate', token });
      await chat.next('connected');
      await expectUsable(chat);
    });

    it('closes 4001 AUTH_TIMEOUT when no credentials and no frame arrive in time', async () => {
      const started = Date.now();
      const chat = await open({ token: null });
      await expectRefusal(chat, 'AUTH_TIMEOUT', CLOSE_CODES.UNAUTHENTICATED);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(3_000);
    });

    it('closes 4001 NOT_AUTHENTICATED when the first frame is not authenticate', async () => {
      const chat = await open({ token: null });
      chat.send({ type: 'ping' });
      await expectRefusal(chat, 'NOT_AUTHENTICATED', CLOSE_CODES.UNAUTHENTICATED);
      expect(chat.ofType('pong')).toEqual([]);

      const message = await open({ token: null });
      message.sendText('let me in');
      await expectRefusal(message, 'NOT_AUTHENTICATED', CLOSE_CODES.UNAUTHENTICATED);
      expect(message.ofType('user_message')).toEqual([]);
    });

    it('closes 4001 AUTH_FAILED for a wrong token in the header, the cookie or the authenticate frame', async () => {
      await expectRefusal(
        await open({ token: 'wrong-token-0123456789' }),
        'AUTH_FAILED',
        CLOSE_CODES.UNAUTHENTICATED,
      );
      await expectRefusal(
        await open({ token: `${ADMIN_KEY}x` }),
        'AUTH_FAILED',
        CLOSE_CODES.UNAUTHENTICATED,
      );
      await expectRefusal(
        await open({ token: null, headers: { cookie: `${COOKIE_NAME}=bw_session_forged` } }),
        'AUTH_FAILED',
        CLOSE_CODES.UNAUTHENTICATED,
      );
      const frame = await open({ token: null });
      frame.send({ type: 'authenticate', token: 'bw_key_not_a_real_key' });
      await expectRefusal(frame, 'AUTH_FAILED', CLOSE_CODES.UNAUTHENTICATED);
    });

    it('closes 4001 for a revoked API key', async () => {
      const { key, api_key: apiKey } = await createKey({ name: 'soon-revoked' });
      const before = await connect({ token: key });
      before.close();
      await closedWithin(before);

      const revoke = await rest(server.url, 'DELETE', `/api/v1/keys/${apiKey.id}`);
      expect(revoke.status).toBe(200);

      await expectRefusal(await open({ token: key }), 'AUTH_FAILED', CLOSE_CODES.UNAUTHENTICATED);
      const frame = await open({ token: null });
      frame.send({ type: 'authenticate', token: key });
      await expectRefusal(frame, 'AUTH_FAILED', CLOSE_CODES.UNAUTHENTICATED);
      expectRestError(
        await rest(server.url, 'GET', '/api/v1/pipelines', { token: key }),
        401,
        'AUTH_FAILED',
      );
    });

    it('closes 4003 FORBIDDEN when a key restricted to pipeline A connects to pipeline B', async () => {
      const pipelineA = server.defaultPipelineUuid;
      const pipelineB = await createPipeline(server, 'pipeline B', {
        type: 'echo',
        settings: { delay_ms: 0 },
      });
      const { key } = await createKey({ name: 'only-a', pipelines: [pipelineA] });

      const allowed = await connect({ token: key }, pipelineA);
      await expectUsable(allowed);
      const refused = await open({ token: key }, pipelineB);
      await expectRefusal(refused, 'FORBIDDEN', CLOSE_CODES.FORBIDDEN);

      // REST agrees: B is hidden from the list and its history is forbidden.
      const list = await rest<PipelineList>(server.url, 'GET', '/api/v1/pipelines', {
        token: key,
      });
      expect(list.body.data.pipelines.map((pipeline: { uuid: string }) => pipeline.uuid)).toEqual([
        pipelineA,
      ]);
      expectRestError(
        await rest(server.url, 'GET', `/api/v1/pipelines/${pipelineB}/ws/messages/person`, {
          token: key,
        }),
        403,
        'FORBIDDEN',
      );
    });

    it('closes 4003 ORIGIN_NOT_ALLOWED for a browser Origin that is not allowed', async () => {
      for (const origin of [FOREIGN_ORIGIN, 'null', `${ALLOWED_ORIGIN}.evil.example`]) {
        const chat = await open({ headers: { origin } });
        await expectRefusal(chat, 'ORIGIN_NOT_ALLOWED', CLOSE_CODES.FORBIDDEN);
      }
      // The Origin check comes before the credentials: a valid session cookie does not help.
      const { token } = (await login()).body.data;
      const riding = await open({
        token: null,
        headers: { origin: FOREIGN_ORIGIN, cookie: `${COOKIE_NAME}=${token}` },
      });
      await expectRefusal(riding, 'ORIGIN_NOT_ALLOWED', CLOSE_CODES.FORBIDDEN);
    });

    it('accepts an Origin listed in BOTWIRE_ALLOWED_ORIGINS and the same origin', async () => {
      const listed = await connect({ headers: { origin: ALLOWED_ORIGIN } });
      await expectUsable(listed);
      const sameOrigin = await connect({ headers: { origin: server.url } });
      await expectUsable(sameOrigin);
    });
  });

  describe('REST', () => {
    it('answers 401 NOT_AUTHENTICATED without credentials on every non-public route', async () => {
      const uuid = server.defaultPipelineUuid;
      const routes: [string, string, unknown?][] = [
        ['GET', '/metrics'],
        ['GET', '/api/v1/auth/me'],
        ['POST', '/api/v1/auth/logout'],
        ['PUT', '/api/v1/auth/password', { current_password: 'x', new_password: 'yyyyyyyy' }],
        ['GET', '/api/v1/users'],
        ['POST', '/api/v1/users', { username: 'eve', password: 'password123' }],
        ['DELETE', '/api/v1/users/1'],
        ['GET', '/api/v1/keys'],
        ['POST', '/api/v1/keys', { name: 'sneaky' }],
        ['DELETE', '/api/v1/keys/1'],
        ['GET', '/api/v1/pipelines'],
        ['POST', '/api/v1/pipelines', { name: 'sneaky' }],
        ['GET', `/api/v1/pipelines/${uuid}`],
        ['PATCH', `/api/v1/pipelines/${uuid}`, { name: 'renamed' }],
        ['DELETE', `/api/v1/pipelines/${uuid}`],
        ['GET', '/api/v1/runners'],
        ['GET', '/api/v1/adapters'],
        ['GET', '/api/v1/connections'],
        ['GET', `/api/v1/pipelines/${uuid}/ws/messages/person`],
        ['POST', `/api/v1/pipelines/${uuid}/ws/reset/person`],
        ['GET', `/api/v1/pipelines/${uuid}/ws/connections`],
        ['POST', `/api/v1/pipelines/${uuid}/ws/broadcast`, { message: 'hi' }],
      ];
      const outcomes = await Promise.all(
        routes.map(async ([method, route, body]) => {
          const response = await rest(server.url, method, route, {
            token: null,
            ...(body === undefined ? {} : { body }),
          });
          return {
            route: `${method} ${route}`,
            status: response.status,
            error: response.body.error,
            code: response.body.code,
          };
        }),
      );
      expect(outcomes).toEqual(
        routes.map(([method, route]) => ({
          route: `${method} ${route}`,
          status: 401,
          error: 'NOT_AUTHENTICATED',
          code: ERROR_CATALOGUE.NOT_AUTHENTICATED.number,
        })),
      );
      // Nothing was changed by any of them.
      const pipeline = await rest(server.url, 'GET', `/api/v1/pipelines/${uuid}`);
      expect(pipeline.body.data.pipeline.name).not.toBe('renamed');
    });

    it('serves /healthz, /readyz and login without credentials', async () => {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
      await login();
    });

    it('forbids a member key from creating pipelines, keys or users (403 FORBIDDEN)', async () => {
      const { key } = await createKey({ name: 'member' });
      const attempts = [
        await rest(server.url, 'POST', '/api/v1/pipelines', {
          token: key,
          body: { name: 'by member' },
        }),
        await rest(server.url, 'POST', '/api/v1/keys', { token: key, body: { name: 'by member' } }),
        await rest(server.url, 'POST', '/api/v1/keys', {
          token: key,
          body: { name: 'by member', role: 'admin' },
        }),
        await rest(server.url, 'GET', '/api/v1/keys', { token: key }),
        await rest(server.url, 'POST', '/api/v1/users', {
          token: key,
          body: { username: 'mallory', password: 'password123' },
        }),
      ];
      for (const attempt of attempts) expectRestError(attempt, 403, 'FORBIDDEN');
      const pipelines = await rest<PipelineList>(server.url, 'GET', '/api/v1/pipelines');
      expect(
        pipelines.body.data.pipelines.map((pipeline: { name: string }) => pipeline.name),
      ).not.toContain('by member');
      const keys = await rest<ApiKeyList>(server.url, 'GET', '/api/v1/keys');
      expect(keys.body.data.api_keys.map((apiKey: { name: string }) => apiKey.name)).not.toContain(
        'by member',
      );
      // The member may still chat.
      expect((await rest(server.url, 'GET', '/api/v1/pipelines', { token: key })).status).toBe(200);
    });

    it('creates API keys (secret shown once), lists them by prefix only, and revokes them', async () => {
      const created = await rest<{ key: string; api_key: ApiKeyRow }>(
        server.url,
        'POST',
        '/api/v1/keys',
        { body: { name: 'ci', role: 'member' } },
      );
      expect(created.status).toBe(201);
      const { key, api_key: apiKey } = created.body.data;
      expect(key).toMatch(/^bw_key/);
      expect(apiKey).toMatchObject({
        name: 'ci',
        role: 'member',
        pipelines: null,
        revoked_at: null,
      });
      expect(key.startsWith(apiKey.prefix)).toBe(true);
      expect(apiKey.prefix.length).toBeLessThan(key.length / 2);
      expect(JSON.stringify(apiKey)).not.toContain(key);

      const me = await rest(server.url, 'GET', '/api/v1/auth/me', { token: key });
      expect(me.body.data.principal).toMatchObject({ kind: 'api_key', name: 'ci', role: 'member' });

      const list = await rest<ApiKeyList>(server.url, 'GET', '/api/v1/keys');
      expect(list.status).toBe(200);
      expect(JSON.stringify(list.body)).not.toContain(key);
      const listed = list.body.data.api_keys.find(
        (candidate: { id: number }) => candidate.id === apiKey.id,
      );
      expect(listed).toMatchObject({ name: 'ci', prefix: apiKey.prefix, revoked_at: null });
      expect(Object.keys(listed ?? {}).sort()).toEqual(
        [
          'created_at',
          'expired',
          'expires_at',
          'id',
          'last_used_at',
          'name',
          'pipelines',
          'prefix',
          'revoked_at',
          'role',
        ].sort(),
      );

      const revoke = await rest(server.url, 'DELETE', `/api/v1/keys/${apiKey.id}`);
      expect(revoke.status).toBe(200);
      expectRestError(
        await rest(server.url, 'GET', '/api/v1/auth/me', { token: key }),
        401,
        'AUTH_FAILED',
      );
      const after = await rest<ApiKeyList>(server.url, 'GET', '/api/v1/keys');
      const revoked = after.body.data.api_keys.find(
        (candidate: { id: number }) => candidate.id === apiKey.id,
      );
      expect(revoked?.revoked_at).toEqual(expect.any(String));
      expectRestError(
        await rest(server.url, 'DELETE', `/api/v1/keys/${apiKey.id}`),
        404,
        'NOT_FOUND',
      );
    });

    it('refuses a state-changing request from a foreign Origin with 403 ORIGIN_NOT_ALLOWED', async () => {
      const before = await rest<PipelineList>(server.url, 'GET', '/api/v1/pipelines');
      const foreign = await rest(server.url, 'POST', '/api/v1/pipelines', {
        body: { name: 'csrf' },
        headers: { origin: FOREIGN_ORIGIN },
      });
      expectRestError(foreign, 403, 'ORIGIN_NOT_ALLOWED');
      const foreignLogin = await rest(server.url, 'POST', '/api/v1/auth/login', {
        token: null,
        body: { username: 'admin', password: ADMIN_PASSWORD },
        headers: { origin: FOREIGN_ORIGIN },
      });
      expectRestError(foreignLogin, 403, 'ORIGIN_NOT_ALLOWED');
      expect(foreignLogin.headers.getSetCookie()).toEqual([]);
      const after = await rest<PipelineList>(server.url, 'GET', '/api/v1/pipelines');
      expect(after.body.data.pipelines).toHaveLength(before.body.data.pipelines.length);

      // The listed origin and the server's own may change state; reads are not origin-checked.
      const listed = await rest(server.url, 'POST', '/api/v1/pipelines', {
        body: { name: 'from the console' },
        headers: { origin: ALLOWED_ORIGIN },
      });
      expect(listed.status).toBe(201);
      expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      const same = await rest(server.url, 'POST', '/api/v1/pipelines', {
        body: { name: 'from itself' },
        headers: { origin: server.url },
      });
      expect(same.status).toBe(201);
      const read = await rest(server.url, 'GET', '/api/v1/pipelines', {
        headers: { origin: FOREIGN_ORIGIN },
      });
      expect(read.status).toBe(200);
      expect(read.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});

describe('generated admin password', () => {
  let dataDir: string;
  let first: ServerProcess | undefined;
  let second: ServerProcess | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'botwire-e2e-admin-'));
  });
  afterAll(async () => {
    await first?.[Symbol.asyncDispose]();
    await second?.[Symbol.asyncDispose]();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is printed once on first start, works for login, and is not printed on restart', async () => {
    // An empty BOTWIRE_ADMIN_PASSWORD overrides the harness's and counts as unset.
    const env = { BOTWIRE_ADMIN_PASSWORD: '', BOTWIRE_LOG_LEVEL: 'info' };
    const started = await startServerProcess({ dataDir, env });
    first = started;
    // stderr and stdout are separate pipes: the block may arrive just after the "running at" line.
    await waitUntil(
      () => started.output().includes('It is shown only this once.'),
      'the generated password',
    );
    const output = first.output();
    const printed = [...output.matchAll(/^\s*password: (\S+)\s*$/gm)].map((match) => match[1]);
    expect(printed).toHaveLength(1);
    const password = printed[0] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(password).not.toBe(ADMIN_PASSWORD);
    expect(output).toContain('First start: created the admin account.');
    // Shown on the terminal only, never in a structured log line.
    const logLines = output.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.some((line) => line.includes('created the first admin user'))).toBe(true);
    expect(logLines.filter((line) => line.includes(password))).toEqual([]);
    expect(output.split(password)).toHaveLength(2);

    const login = async (url: string, candidate: string) =>
      rest(url, 'POST', '/api/v1/auth/login', {
        token: null,
        body: { username: 'admin', password: candidate },
      });
    const ok = await login(first.url, password);
    expect(ok.status).toBe(200);
    expect(ok.body.data.user).toMatchObject({ username: 'admin', role: 'admin' });
    expectRestError(await login(first.url, ADMIN_PASSWORD), 401, 'AUTH_FAILED');

    expect(await first.stop()).toBe(0);
    second = await startServerProcess({ dataDir, env });
    // A round trip first, so anything written to stderr at startup has arrived.
    expect((await login(second.url, password)).status).toBe(200);
    expect(second.output()).not.toContain('First start');
    expect(second.output()).not.toContain(password);
    expect(second.output()).not.toMatch(/password: /);
  });
});
