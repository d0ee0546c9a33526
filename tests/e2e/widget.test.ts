import { CLOSE_CODES } from '@botwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll,
  closedWithin,
  expectRefusal,
  expectUsable,
  nextError,
} from '../support/e2e-helpers.js';
import type { ChatSocket } from '../support/chat-socket.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import {
  HOST_ORIGIN,
  createPublicPipeline,
  forgeWithServerSecret,
  issueVisitor,
  openVisitorSocket,
  requestVisitor,
} from '../support/widget-kit.js';

const FOREIGN_ORIGIN = 'http://evil.example.test';

/** The text of every chat message in the frames a socket received. */
function texts(chat: ChatSocket): string[] {
  return chat.frames.flatMap((frame) =>
    frame.type === 'user_message' || (frame.type === 'response' && frame.data.is_final)
      ? [frame.data.content]
      : [],
  );
}

describe('public widget', () => {
  let server: ServerProcess;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await closeAll(sockets);
    await server[Symbol.asyncDispose]();
  });

  const track = (chat: ChatSocket): ChatSocket => {
    sockets.push(chat);
    return chat;
  };

  it('gives an admin private settings with a key, then public ones, and rotates the key', async () => {
    const created = await rest(server.url, 'POST', '/api/v1/pipelines', {
      body: { name: 'settings', runner: { type: 'echo' } },
    });
    const uuid = created.body.data.pipeline.uuid as string;
    const first = await rest(server.url, 'GET', `/api/v1/pipelines/${uuid}/widget`);
    expect(first.status).toBe(200);
    expect(first.body.data.widget).toMatchObject({ public: false, allowed_origins: [] });
    expect(first.body.data.widget.widget_key).toMatch(/^bw_widget_[A-Za-z0-9_-]{24}$/);
    expect(first.body.data.widget.limits.allow_group).toBe(false);
    // Read again: the same key, not a new one each time.
    const again = await rest(server.url, 'GET', `/api/v1/pipelines/${uuid}/widget`);
    expect(again.body.data.widget.widget_key).toBe(first.body.data.widget.widget_key);

    const bad = await rest(server.url, 'PATCH', `/api/v1/pipelines/${uuid}/widget`, {
      body: { allowed_origins: ['https://shop.example.com/path'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('VALIDATION_FAILED');

    const updated = await rest(server.url, 'PATCH', `/api/v1/pipelines/${uuid}/widget`, {
      body: {
        public: true,
        allowed_origins: ['HTTPS://Shop.Example.com:443'],
        limits: { messages_per_minute_per_visitor: 5 },
      },
    });
    expect(updated.body.data.widget).toMatchObject({
      public: true,
      allowed_origins: ['https://shop.example.com'],
    });
    expect(updated.body.data.widget.limits.messages_per_minute_per_visitor).toBe(5);
    expect(updated.body.data.widget.limits.messages_per_minute_per_ip).toBe(60);

    const rotated = await rest(server.url, 'POST', `/api/v1/pipelines/${uuid}/widget/rotate-key`);
    expect(rotated.body.data.widget.widget_key).not.toBe(first.body.data.widget.widget_key);
    const old = await requestVisitor(
      server,
      { pipeline_uuid: uuid, widget_key: first.body.data.widget.widget_key },
      'https://shop.example.com',
    );
    expect({ status: old.status, error: old.body.error }).toEqual({
      status: 401,
      error: 'WIDGET_KEY_INVALID',
    });
  });

  it('issues visitor tokens only to allowed origins with the current key, with CORS for the page', async () => {
    const pipeline = await createPublicPipeline(server);
    const issued = await requestVisitor(server, {
      pipeline_uuid: pipeline.uuid,
      widget_key: pipeline.key,
    });
    expect(issued.status).toBe(201);
    expect(issued.body.data.token).toMatch(/^bw_visitor\./);
    expect(issued.body.data.pipeline_uuid).toBe(pipeline.uuid);
    expect(Date.parse(issued.body.data.expires_at) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(issued.headers.get('access-control-allow-origin')).toBe(HOST_ORIGIN);
    expect(issued.headers.get('cache-control')).toBe('no-store');

    const preflight = await fetch(`${server.url}/api/v1/widget/visitors`, {
      method: 'OPTIONS',
      headers: {
        origin: HOST_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(HOST_ORIGIN);

    const cases = [
      {
        body: { pipeline_uuid: pipeline.uuid, widget_key: pipeline.key },
        origin: FOREIGN_ORIGIN,
        status: 403,
        error: 'ORIGIN_NOT_ALLOWED',
      },
      {
        body: { pipeline_uuid: pipeline.uuid, widget_key: pipeline.key },
        origin: null,
        status: 403,
        error: 'ORIGIN_NOT_ALLOWED',
      },
      {
        body: { pipeline_uuid: pipeline.uuid },
        origin: HOST_ORIGIN,
        status: 401,
        error: 'WIDGET_KEY_INVALID',
      },
      {
        body: { pipeline_uuid: pipeline.uuid, widget_key: 'bw_widget_wrong' },
        origin: HOST_ORIGIN,
        status: 401,
        error: 'WIDGET_KEY_INVALID',
      },
      {
        body: { pipeline_uuid: server.defaultPipelineUuid, widget_key: pipeline.key },
        origin: HOST_ORIGIN,
        status: 403,
        error: 'PIPELINE_NOT_PUBLIC',
      },
      {
        body: { pipeline_uuid: pipeline.uuid, widget_key: pipeline.key, extra: 1 },
        origin: HOST_ORIGIN,
        status: 400,
        error: 'VALIDATION_FAILED',
      },
    ] as const;
    for (const refused of cases) {
      const answer = await requestVisitor(server, refused.body, refused.origin);
      expect({ ...refused, status: answer.status, error: answer.body.error }).toEqual(refused);
      expect(answer.body.msg.length).toBeGreaterThan(10);
    }
    // The refusal is readable by the page (CORS), so the widget can show it.
    const foreign = await requestVisitor(
      server,
      { pipeline_uuid: pipeline.uuid, widget_key: pipeline.key },
      FOREIGN_ORIGIN,
    );
    expect(foreign.headers.get('access-control-allow-origin')).toBe(FOREIGN_ORIGIN);
  });

  it('lets a visitor chat in its own conversation, keep it across a rotation, read its history and reset it', async () => {
    const pipeline = await createPublicPipeline(server);
    const visitor = await issueVisitor(server, pipeline);
    const chat = track(await openVisitorSocket(server, pipeline.uuid, visitor.token));
    const connected = chat.ofType('connected')[0];
    expect(connected?.session_type).toBe('person');
    chat.sendText('hello from the page');
    await chat.finalResponse();
    expect(texts(chat)).toEqual([
      'hello from the page',
      '[echo: no model configured] hello from the page',
    ]);

    const rotated = await requestVisitor(server, {
      pipeline_uuid: pipeline.uuid,
      widget_key: pipeline.key,
      previous_token: visitor.token,
    });
    expect(rotated.body.data.visitor_id).toBe(visitor.visitor_id);
    const history = await rest<{ messages: { content: string }[] }>(
      server.url,
      'GET',
      '/api/v1/widget/messages',
      {
        token: rotated.body.data.token,
        headers: { origin: HOST_ORIGIN },
      },
    );
    expect(history.status).toBe(200);
    expect(history.body.data.messages.map((message) => message.content)).toEqual(texts(chat));
    expect(history.headers.get('access-control-allow-origin')).toBe(HOST_ORIGIN);

    const cancel = nextError(chat, 'NOTHING_TO_CANCEL');
    chat.send({ type: 'cancel' });
    await cancel;

    const reset = await rest(server.url, 'POST', '/api/v1/widget/reset', {
      token: visitor.token,
      headers: { origin: HOST_ORIGIN },
    });
    expect(reset.status).toBe(200);
    await chat.next('session_reset');
    const empty = await rest(server.url, 'GET', '/api/v1/widget/messages', {
      token: visitor.token,
      headers: { origin: HOST_ORIGIN },
    });
    expect(empty.body.data.messages).toEqual([]);
  });

  it('keeps two visitors apart: neither sees the other, and no address reaches another conversation', async () => {
    const pipeline = await createPublicPipeline(server);
    const alice = await issueVisitor(server, pipeline);
    const bob = await issueVisitor(server, pipeline);
    expect(alice.visitor_id).not.toBe(bob.visitor_id);
    const aliceChat = track(await openVisitorSocket(server, pipeline.uuid, alice.token));
    const bobChat = track(await openVisitorSocket(server, pipeline.uuid, bob.token));
    aliceChat.sendText('alice secret');
    bobChat.sendText('bob secret');
    await aliceChat.finalResponse();
    await bobChat.finalResponse();
    expect(texts(aliceChat).join(' ')).not.toContain('bob');
    expect(texts(bobChat).join(' ')).not.toContain('alice');

    const read = (token: string, path: string) =>
      rest(server.url, 'GET', path, { token, headers: { origin: HOST_ORIGIN } });
    const bobHistory = await read(bob.token, '/api/v1/widget/messages');
    expect(JSON.stringify(bobHistory.body.data)).not.toContain('alice');
    // Naming another session is refused outright, not silently ignored.
    const named = await read(bob.token, `/api/v1/widget/messages?session=${alice.visitor_id}`);
    expect(named.body.error).toBe('VALIDATION_FAILED');
    // The visitor token opens none of the console's routes, history included.
    for (const path of [
      `/api/v1/pipelines/${pipeline.uuid}/ws/messages/person`,
      `/api/v1/pipelines/${pipeline.uuid}/conversations`,
      `/api/v1/pipelines/${pipeline.uuid}/conversations/1/messages`,
      `/api/v1/pipelines/${pipeline.uuid}/widget`,
      '/api/v1/auth/me',
      '/api/v1/pipelines',
    ]) {
      const answer = await read(bob.token, path);
      expect({ path, status: answer.status, error: answer.body.error }).toEqual({
        path,
        status: 403,
        error: 'FORBIDDEN',
      });
    }
    // No other session, and no group conversation (the pipeline does not allow it).
    const other = track(
      await openVisitorSocket(server, pipeline.uuid, bob.token, {
        query: `session=visitor:${alice.visitor_id}`,
        waitConnected: false,
      }),
    );
    await expectRefusal(other, 'FORBIDDEN', CLOSE_CODES.FORBIDDEN);
    const group = track(
      await openVisitorSocket(server, pipeline.uuid, bob.token, {
        query: 'session_type=group',
        waitConnected: false,
      }),
    );
    await expectRefusal(group, 'FORBIDDEN', CLOSE_CODES.FORBIDDEN);

    // Admins see both conversations (read-only) and the visitors' connections by kind.
    const list = await rest(server.url, 'GET', `/api/v1/pipelines/${pipeline.uuid}/conversations`);
    expect(JSON.stringify(list.body.data)).toContain(`visitor:${alice.visitor_id}`);
    expect(JSON.stringify(list.body.data)).toContain(`visitor:${bob.visitor_id}`);
    const stats = await rest<{
      stats: { connections_by_principal_kind: Record<string, number> };
      connections: { principal: { kind: string } }[];
    }>(server.url, 'GET', `/api/v1/pipelines/${pipeline.uuid}/ws/connections`);
    expect(stats.body.data.stats.connections_by_principal_kind.visitor).toBeGreaterThanOrEqual(2);
    expect(
      stats.body.data.connections.filter((connection) => connection.principal.kind === 'visitor')
        .length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('refuses tampered, expired, wrong-pipeline and foreign-origin tokens on the upgrade and over REST', async () => {
    const pipeline = await createPublicPipeline(server);
    const otherPipeline = await createPublicPipeline(server, { name: 'other' });
    const visitor = await issueVisitor(server, pipeline);
    const [, payload = '', signature = ''] = visitor.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      p: string;
      v: string;
      iat: number;
      exp: number;
    };
    const tampered = `bw_visitor.${Buffer.from(JSON.stringify({ ...claims, v: 'A'.repeat(22) })).toString('base64url')}.${signature}`;
    const now = Math.floor(Date.now() / 1000);
    const expired = forgeWithServerSecret(server, {
      ...claims,
      iat: now - 90_000,
      exp: now - 3_600,
    });

    const cases = [
      {
        token: tampered,
        pipelineUuid: pipeline.uuid,
        origin: HOST_ORIGIN,
        code: 'VISITOR_TOKEN_INVALID',
        close: CLOSE_CODES.UNAUTHENTICATED,
        status: 401,
      },
      {
        token: `${visitor.token}x`,
        pipelineUuid: pipeline.uuid,
        origin: HOST_ORIGIN,
        code: 'VISITOR_TOKEN_INVALID',
        close: CLOSE_CODES.UNAUTHENTICATED,
        status: 401,
      },
      {
        token: expired,
        pipelineUuid: pipeline.uuid,
        origin: HOST_ORIGIN,
        code: 'VISITOR_TOKEN_EXPIRED',
        close: CLOSE_CODES.UNAUTHENTICATED,
        status: 401,
      },
      {
        token: visitor.token,
        pipelineUuid: otherPipeline.uuid,
        origin: HOST_ORIGIN,
        code: 'VISITOR_TOKEN_WRONG_PIPELINE',
        close: CLOSE_CODES.FORBIDDEN,
        status: undefined,
      },
    ] as const;
    for (const refused of cases) {
      const chat = track(
        await openVisitorSocket(server, refused.pipelineUuid, refused.token, {
          origin: refused.origin,
          waitConnected: false,
        }),
      );
      await expectRefusal(chat, refused.code, refused.close);
      if (refused.status === undefined) continue;
      const answer = await rest(server.url, 'GET', '/api/v1/widget/messages', {
        token: refused.token,
        headers: { origin: refused.origin },
      });
      expect({ code: refused.code, status: answer.status, error: answer.body.error }).toEqual({
        code: refused.code,
        status: refused.status,
        error: refused.code,
      });
    }
    // A page on a site the pipeline does not list is refused before any token is looked at.
    const foreign = track(
      await openVisitorSocket(server, pipeline.uuid, visitor.token, {
        origin: FOREIGN_ORIGIN,
        waitConnected: false,
      }),
    );
    await expectRefusal(foreign, 'ORIGIN_NOT_ALLOWED', CLOSE_CODES.FORBIDDEN);
    // An origin listed by another pipeline does not open this one.
    const elsewhere = await createPublicPipeline(server, { origins: ['http://elsewhere.test'] });
    const crossSite = track(
      await openVisitorSocket(server, pipeline.uuid, visitor.token, {
        origin: 'http://elsewhere.test',
        waitConnected: false,
      }),
    );
    await expectRefusal(crossSite, 'ORIGIN_NOT_ALLOWED', CLOSE_CODES.FORBIDDEN);
    expect(elsewhere.uuid).not.toBe(pipeline.uuid);
    const restForeign = await rest(server.url, 'GET', '/api/v1/widget/messages', {
      token: visitor.token,
      headers: { origin: FOREIGN_ORIGIN },
    });
    expect(restForeign.body.error).toBe('ORIGIN_NOT_ALLOWED');
    // An admin key from the widget's origin is no visitor: the server's own allow-list applies.
    const adminFromPage = track(
      await openVisitorSocket(server, pipeline.uuid, 'test-admin-key-0123456789abcdef', {
        waitConnected: false,
      }),
    );
    await expectRefusal(adminFromPage, 'ORIGIN_NOT_ALLOWED', CLOSE_CODES.FORBIDDEN);
  });

  it('enforces the message, connection, length and new-visitor limits with clear errors', async () => {
    const pipeline = await createPublicPipeline(server, {
      limits: {
        messages_per_minute_per_visitor: 2,
        connections_per_visitor: 1,
        max_conversation_messages: 4,
        new_visitors_per_minute_per_ip: 3,
      },
    });
    const visitor = await issueVisitor(server, pipeline);
    const chat = track(await openVisitorSocket(server, pipeline.uuid, visitor.token));
    chat.sendText('one');
    await chat.finalResponse();
    chat.sendText('two');
    await chat.waitFor(() => chat.ofType('response').filter((f) => f.data.is_final).length === 2);
    chat.sendText('three');
    const tooLong = await nextError(chat, 'CONVERSATION_TOO_LONG');
    expect(tooLong.message).toContain('4 messages');
    await rest(server.url, 'POST', '/api/v1/widget/reset', {
      token: visitor.token,
      headers: { origin: HOST_ORIGIN },
    });
    chat.sendText('four');
    const limited = await nextError(chat, 'VISITOR_RATE_LIMITED');
    expect(limited.retry_after_seconds).toBeGreaterThan(0);
    expect(limited.retry_after_seconds).toBeLessThanOrEqual(60);
    await expectUsable(chat);

    const second = track(
      await openVisitorSocket(server, pipeline.uuid, visitor.token, { waitConnected: false }),
    );
    await expectRefusal(second, 'CONNECTION_LIMIT', CLOSE_CODES.CONNECTION_LIMIT);

    // One token was issued above; two more are allowed this minute, then Retry-After.
    await issueVisitor(server, pipeline);
    await issueVisitor(server, pipeline);
    const refused = await requestVisitor(server, {
      pipeline_uuid: pipeline.uuid,
      widget_key: pipeline.key,
    });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('VISITOR_RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('closes visitor connections when the pipeline stops being public', async () => {
    const pipeline = await createPublicPipeline(server);
    const visitor = await issueVisitor(server, pipeline);
    const chat = track(await openVisitorSocket(server, pipeline.uuid, visitor.token));
    await rest(server.url, 'PATCH', `/api/v1/pipelines/${pipeline.uuid}/widget`, {
      body: { public: false },
    });
    expect((await closedWithin(chat)).code).toBe(CLOSE_CODES.FORBIDDEN);
    const refused = await requestVisitor(server, {
      pipeline_uuid: pipeline.uuid,
      widget_key: pipeline.key,
    });
    expect(refused.body.error).toBe('PIPELINE_NOT_PUBLIC');
  });

  it('serves /widget.js for other sites to load, under 30 KB gzip (built by npm run build:web)', async () => {
    const response = await fetch(`${server.url}/widget.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.status, 'run "npm run build:web" (the root pretest does) first').toBe(200);
    expect(response.headers.get('content-type')).toContain('javascript');
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const gzipBytes = Number(response.headers.get('content-length'));
    expect(gzipBytes).toBeGreaterThan(1_000);
    expect(gzipBytes).toBeLessThan(30 * 1024);
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${server.url}/widget.js`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(again.status).toBe(304);
  });
});
