import { describe, expect, it } from 'vitest';
import { BackendClient, type FetchFunction } from './backend-client.js';

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that records each call and answers with `respond`. */
function fakeFetch(respond: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch: FetchFunction = async (url, init) => {
    const call = { url, init };
    calls.push(call);
    return respond(call);
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const user = { id: 1, username: 'admin', role: 'admin', created_at: '2026-01-01T00:00:00.000Z' };

describe('BackendClient', () => {
  it('builds URLs under a path prefix, with the query, token, body and credentials', async () => {
    const { fetch, calls } = fakeFetch(() =>
      json(200, { code: 0, msg: 'ok', data: { messages: [], has_more: false, last_seq: 4 } }),
    );
    const backend = new BackendClient({
      baseUrl: 'https://example.com/botwire/',
      token: 'key-1',
      fetch,
    });
    const history = await backend.getHistory('p/1', 'group', { session: 'lobby', limit: 10 });
    expect(history).toEqual({ messages: [], has_more: false, last_seq: 4 });
    expect(calls[0]?.url).toBe(
      'https://example.com/botwire/api/v1/pipelines/p%2F1/ws/messages/group?session=lobby&limit=10',
    );
    expect(calls[0]?.init).toMatchObject({
      method: 'GET',
      credentials: 'include',
      headers: { accept: 'application/json', authorization: 'Bearer key-1' },
    });
    expect(calls[0]?.init.body).toBeUndefined();
  });

  it('keeps the token from login and drops it on logout', async () => {
    const { fetch, calls } = fakeFetch(({ url }) =>
      url.endsWith('/login')
        ? json(200, {
            code: 0,
            msg: 'ok',
            data: { token: 'bw_session_1', expires_at: '2026-02-01T00:00:00.000Z', user },
          })
        : json(200, { code: 0, msg: 'ok', data: { message: 'Signed out.' } }),
    );
    const backend = new BackendClient({ baseUrl: 'http://x.test', fetch });
    await backend.login('admin', 'secret');
    expect(JSON.parse(calls[0]?.init.body as string)).toEqual({
      username: 'admin',
      password: 'secret',
    });
    expect(calls[0]?.init.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(backend.token).toBe('bw_session_1');
    await backend.logout();
    expect(calls[1]?.init.headers).toMatchObject({ authorization: 'Bearer bw_session_1' });
    expect(backend.token).toBeUndefined();
  });

  it('throws the server code, status and message from an error envelope', async () => {
    const { fetch } = fakeFetch(() =>
      json(404, { code: -3001, msg: 'No pipeline has uuid x.', error: 'PIPELINE_NOT_FOUND' }),
    );
    const backend = new BackendClient({ baseUrl: 'http://x.test', fetch });
    await expect(backend.getPipeline('x')).rejects.toMatchObject({
      name: 'BotwireClientError',
      code: 'PIPELINE_NOT_FOUND',
      status: 404,
      message: 'No pipeline has uuid x.',
    });
  });

  it('throws NETWORK_ERROR when no answer comes', async () => {
    const { fetch } = fakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const backend = new BackendClient({ baseUrl: 'http://x.test', fetch });
    await expect(backend.listPipelines()).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: expect.stringContaining('fetch failed'),
    });
  });

  it('throws BAD_RESPONSE for answers that are not Botwire envelopes', async () => {
    const answers = [
      new Response('<html>Bad Gateway</html>', { status: 502 }),
      new Response('<html>ok</html>', { status: 200 }),
      json(200, { code: 0, msg: 'ok', data: { pipelines: 'none' } }),
      json(200, { hello: 'world' }),
    ];
    const { fetch } = fakeFetch(() => answers.shift() ?? json(500, {}));
    const backend = new BackendClient({ baseUrl: 'http://x.test', fetch });
    for (let index = 0; index < 4; index += 1) {
      await expect(backend.listPipelines()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    }
  });
});
