import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CliIo } from './io.js';
import { runCli } from './program.js';

const PIPELINE = 'e24f7ca1-8598-4f51-b333-18d4c3ff9838';

function testIo(env: Record<string, string> = {}) {
  const out = { text: '', write: (text: string) => ((out.text += text), true) };
  const err = { text: '', write: (text: string) => ((err.text += text), true) };
  const io: CliIo = {
    stdin: new PassThrough(),
    stdout: out,
    stderr: err,
    env: { BOTWIRE_URL: 'http://botwire.test', BOTWIRE_API_KEY: 'key', ...env },
    onInterrupt: () => () => undefined,
  };
  return { io, out, err };
}

/** Answers REST calls like the server's envelope does. */
function stubServer(answer: (method: string, path: string, body: unknown) => [number, unknown]) {
  const calls: { method: string; path: string; body: unknown; auth: string | null }[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = init.method ?? 'GET';
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    const auth = new Headers(init.headers).get('authorization');
    calls.push({ method, path, body, auth });
    const [status, data] = answer(method, path, body);
    const envelope =
      status < 400 ? { code: 0, msg: 'ok', data } : (data as Record<string, unknown>);
    return Promise.resolve(new Response(JSON.stringify(envelope), { status }));
  });
  return calls;
}

const pipeline = {
  uuid: PIPELINE,
  name: 'Default pipeline',
  description: '',
  runner: { type: 'echo', settings: { delay_ms: 30 } },
  is_default: true,
  created_at: '2026-11-24T12:00:00.000Z',
  updated_at: '2026-11-24T12:00:00.000Z',
  system_prompt: '',
  model_parameters: {},
  memory: { turns: 10 },
  group_triggers: { mention: true, prefixes: [], probability: 0 },
  output: { streaming: true, mention_sender_in_group: false, coalesce_ms: 50 },
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('botwire', () => {
  it('lists every command in --help', async () => {
    const { io, out } = testIo();
    await expect(runCli(['--help'], io)).resolves.toBe(0);
    for (const command of ['chat', 'serve', 'pipelines', 'connections', 'broadcast', 'keys']) {
      expect(out.text).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(out.text).toContain('BOTWIRE_API_KEY');
  });

  it('documents the chat commands and options in chat --help', async () => {
    const { io, out } = testIo();
    await expect(runCli(['chat', '--help'], io)).resolves.toBe(0);
    for (const text of [
      '--session-type',
      '--multi',
      '--messages',
      '--json',
      '/stop',
      '/reset',
      '/history',
      '/quit',
    ]) {
      expect(out.text).toContain(text);
    }
  });

  it('prints its version', async () => {
    const { io, out } = testIo();
    await expect(runCli(['--version'], io)).resolves.toBe(0);
    expect(out.text).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each([
    [['nope']],
    [['chat']],
    [['chat', PIPELINE, '--multi', '0']],
    [['chat', PIPELINE, '--multi', '10001']],
    [['chat', PIPELINE, '--messages', '2']],
    [['chat', PIPELINE, '--session-type', 'crowd']],
    [['pipelines']],
    [['pipelines', 'create']],
    [['pipelines', 'create', '--name', 'x', '--runner', 'anthropic']],
    [['keys', 'revoke', 'abc']],
    [['keys', 'create', 'ci', '--pipelines', 'not-a-uuid']],
    [['keys', 'create', 'ci', '--expires-in', '30']],
    [['keys', 'create', 'ci', '--expires-in', '0d']],
    [['keys', 'create', 'ci', '--expires-at', '2027-01-31']],
    [['keys', 'create', 'ci', '--expires-in', '30d', '--expires-at', '2027-01-31T00:00:00Z']],
    [['chat', PIPELINE, '--url', 'ftp://x']],
    [['serve', '--port', '70000']],
  ])('exits 2 for the wrong usage %j', async (argv) => {
    const calls = stubServer(() => [200, {}]);
    const { io, err } = testIo();
    await expect(runCli(argv, io)).resolves.toBe(2);
    expect(err.text.length).toBeGreaterThan(0);
    expect(calls).toEqual([]);
  });

  it('lists pipelines as a table, sending the API key', async () => {
    const calls = stubServer(() => [200, { pipelines: [pipeline] }]);
    const { io, out } = testIo();
    await expect(runCli(['pipelines', 'list'], io)).resolves.toBe(0);
    expect(out.text).toMatch(/^UUID +NAME +RUNNER +DEFAULT$/m);
    expect(out.text).toMatch(new RegExp(`^${PIPELINE} +Default pipeline +echo +yes$`, 'm'));
    expect(calls).toEqual([
      { method: 'GET', path: '/api/v1/pipelines', body: undefined, auth: 'Bearer key' },
    ]);
  });

  it('prints the actionable 401 line and exits 1 for a rejected key', async () => {
    stubServer(() => [
      401,
      { code: -2002, msg: 'The token or API key was rejected.', error: 'AUTH_FAILED' },
    ]);
    const { io, out, err } = testIo();
    await expect(runCli(['pipelines', 'list', '--api-key', 'wrong'], io)).resolves.toBe(1);
    expect(err.text).toBe('401: API key rejected, pass --api-key or set BOTWIRE_API_KEY\n');
    expect(out.text).toBe('');
  });

  it('says where it looked when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('fetch failed')));
    const { io, err } = testIo();
    await expect(runCli(['keys', 'list'], io)).resolves.toBe(1);
    expect(err.text).toBe(
      'Cannot reach Botwire at http://botwire.test: is it running? (botwire serve)\n',
    );
  });

  it('refuses an unknown pipeline before opening any WebSocket', async () => {
    stubServer(() => [
      404,
      { code: -3001, msg: 'No pipeline has this uuid.', error: 'PIPELINE_NOT_FOUND' },
    ]);
    const { io, err } = testIo();
    await expect(runCli(['chat', PIPELINE, '--multi', '5'], io)).resolves.toBe(1);
    expect(err.text).toContain('PIPELINE_NOT_FOUND');
    expect(err.text).toContain('botwire pipelines list');
  });

  it('creates a key, printing the secret alone on stdout and the warning on stderr', async () => {
    const calls = stubServer(() => [
      201,
      {
        api_key: {
          id: 3,
          name: 'ci',
          prefix: 'bw_key_AbC',
          role: 'member',
          pipelines: [PIPELINE],
          created_at: '2026-11-24T12:00:00.000Z',
          last_used_at: null,
          revoked_at: null,
          expires_at: null,
          expired: false,
        },
        key: 'bw_key_AbCsecret',
      },
    ]);
    const { io, out, err } = testIo();
    await expect(runCli(['keys', 'create', 'ci', '--pipelines', PIPELINE], io)).resolves.toBe(0);
    expect(out.text).toBe('bw_key_AbCsecret\n');
    expect(err.text).toContain('shown only this once');
    expect(calls[0]?.body).toEqual({
      name: 'ci',
      role: 'member',
      pipelines: [PIPELINE],
      expires_at: null,
    });
  });
});
