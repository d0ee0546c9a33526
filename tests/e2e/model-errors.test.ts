import type { ErrorCode, ModelCheckData, Pipeline } from '@botwire/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { nextError } from '../support/e2e-helpers.js';
import { startFakeAnthropicServer } from '../support/fake-anthropic-server.js';
import { startFakeOpenAiServer } from '../support/fake-openai-server.js';
import type { FakeBehaviour, FakeProviderServer } from '../support/fake-provider-server.js';
import {
  anthropicRunner,
  closedPortBaseUrl,
  createModelPipeline,
  finalFor,
  openAiRunner,
  patchPipeline,
  receivedPrompt,
  sendAndAck,
  waitForRequests,
} from '../support/model-test-kit.js';
import { rest } from '../support/rest-client.js';
import { registerModelSuiteHooks } from '../support/model-suite-hooks.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TestResources, barrier, createApiKey, fetchHistory } from '../support/stream-test-kit.js';

/**
 * Model failures end to end: each provider failure reaches every client as a final `error` chunk
 * plus an `error` frame with a MODEL_* code naming the pipeline and the cause, the conversation
 * stays usable, the model check reports the same causes, and API keys never leave the server.
 */
describe('model errors', () => {
  let server: ServerProcess;
  let openai: FakeProviderServer;
  let anthropic: FakeProviderServer;
  const resources = new TestResources();
  const GOOD: FakeBehaviour = { kind: 'stream', chunks: ['Back ', 'to ', 'normal.'] };

  beforeAll(async () => {
    [openai, anthropic, server] = await Promise.all([
      startFakeOpenAiServer(),
      startFakeAnthropicServer(),
      // Verbose logs, so that the secret checks below cover as much output as possible.
      startServerProcess({ env: { BOTWIRE_LOG_LEVEL: 'debug' } }),
    ]);
  });
  registerModelSuiteHooks({
    resources,
    server: () => server,
    fakes: () => [openai, anthropic],
    behaviour: GOOD,
  });

  async function personChat(uuid: string): Promise<ChatSocket> {
    return resources.connect(server, uuid, { query: 'session_type=person' });
  }

  /**
   * Sends a message that fails with `code`: checks the final chunk, the error frame (naming the
   * pipeline and matching `cause`) and the stored reply; returns the final chunk's content.
   */
  async function expectFailure(
    pipeline: Pipeline,
    chat: ChatSocket,
    code: ErrorCode,
    cause: RegExp,
    timeoutMs = 5_000,
  ): Promise<string> {
    const ack = await sendAndAck(chat, `please fail with ${code}`);
    const final = await finalFor(chat, ack.data.id, timeoutMs);
    expect(final.data.status).toBe('error');
    expect(final.data.is_final).toBe(true);
    const error = await nextError(chat, code);
    expect(error.reply_id).toBe(final.data.id);
    expect(error.message).toContain(pipeline.name);
    expect(error.message).toContain(pipeline.uuid);
    expect(error.message).toMatch(cause);
    await barrier(chat);
    expect(chat.ofType('error')).toHaveLength(1);
    const history = await fetchHistory(server, pipeline.uuid, 'person');
    expect(history.messages.at(-1)).toMatchObject({
      id: final.data.id,
      role: 'assistant',
      status: 'error',
      content: final.data.content,
      reply_to: ack.data.id,
    });
    return final.data.content;
  }

  /** After a failure, the next message of the same conversation gets a complete reply. */
  async function expectRecovered(chat: ChatSocket, fake = openai): Promise<void> {
    fake.setBehaviour(GOOD);
    const errorsBefore = chat.ofType('error').length;
    const ack = await sendAndAck(chat, 'are you back?');
    const final = await finalFor(chat, ack.data.id);
    expect(final.data).toMatchObject({ status: 'complete', content: 'Back to normal.' });
    await barrier(chat);
    expect(chat.ofType('error')).toHaveLength(errorsBefore);
  }

  it.each([
    ['openai-compatible', 401, 'MODEL_AUTH_FAILED', /rejected the API key \(401\)/],
    ['openai-compatible', 404, 'MODEL_NOT_FOUND', /no model "gpt-fake".*\(404\)/],
    ['openai-compatible', 429, 'MODEL_RATE_LIMITED', /rate limiting.*\(429\).*Rate limit reached/],
    ['anthropic', 401, 'MODEL_AUTH_FAILED', /rejected the API key \(401\)/],
    ['anthropic', 404, 'MODEL_NOT_FOUND', /no model "claude-sonnet-4-5".*\(404\)/],
    ['anthropic', 429, 'MODEL_RATE_LIMITED', /rate limiting.*\(429\).*exceed the rate limit/],
  ] as const)('%s: reports HTTP %i as %s and stays usable', async (type, status, code, cause) => {
    const fake = type === 'anthropic' ? anthropic : openai;
    const pipeline = await createModelPipeline(server, {
      name: `${type}-fails-with-${status}`,
      runner: type === 'anthropic' ? anthropicRunner(fake.baseUrl) : openAiRunner(fake.baseUrl),
    });
    const chat = await personChat(pipeline.uuid);
    fake.setBehaviour({ kind: 'status', status });
    expect(await expectFailure(pipeline, chat, code, cause)).toBe('');
    expect(fake.requests).toHaveLength(1);
    await expectRecovered(chat, fake);
    expect(fake.requests).toHaveLength(2);
  });

  it('reports a base_url nobody listens on as MODEL_UNREACHABLE and recovers once fixed', async () => {
    const closed = await closedPortBaseUrl();
    const pipeline = await createModelPipeline(server, {
      name: 'unreachable',
      runner: openAiRunner(closed),
    });
    const chat = await personChat(pipeline.uuid);
    await expectFailure(pipeline, chat, 'MODEL_UNREACHABLE', /Could not reach the model provider/);
    expect(openai.requests).toHaveLength(0);

    // A key never follows the pipeline to another base URL: moved without one, none is sent.
    await patchPipeline(server, pipeline.uuid, {
      runner: {
        type: 'openai-compatible',
        settings: { base_url: openai.baseUrl, model: 'gpt-fake' },
      },
    });
    await expectRecovered(chat);
    expect(openai.requests[0]?.headers.authorization).toBeUndefined();

    // Given again with the new URL, it is used, and kept for later changes at that URL.
    await patchPipeline(server, pipeline.uuid, {
      runner: {
        type: 'openai-compatible',
        settings: { base_url: openai.baseUrl, model: 'gpt-fake', api_key: 'sk-openai-e2e-key' },
      },
    });
    await patchPipeline(server, pipeline.uuid, {
      runner: {
        type: 'openai-compatible',
        settings: { base_url: openai.baseUrl, model: 'gpt-fake-2' },
      },
    });
    await expectRecovered(chat);
    expect(openai.requests[1]?.headers.authorization).toBe('Bearer sk-openai-e2e-key');
  });

  it('reports a model that never answers as MODEL_TIMEOUT after timeout_ms', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'hangs',
      runner: openAiRunner(openai.baseUrl, { timeout_ms: 1_000 }),
    });
    const chat = await personChat(pipeline.uuid);
    openai.setBehaviour({ kind: 'hang' });
    const started = Date.now();
    await expectFailure(pipeline, chat, 'MODEL_TIMEOUT', /within 1000 ms/, 5_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    // The hanging request was dropped, not left open.
    await openai.waitForDisconnect(2_000);
    await expectRecovered(chat);
  });

  it('keeps the partial text of a stream that breaks off, and leaves it out of the next prompt', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'breaks-mid-stream',
      runner: openAiRunner(openai.baseUrl),
      output: { coalesce_ms: 0 },
    });
    const chat = await personChat(pipeline.uuid);
    openai.setBehaviour({ kind: 'fail-mid-stream', chunks: ['Partial ', 'answer '], delayMs: 40 });
    const partial = await expectFailure(
      pipeline,
      chat,
      'MODEL_ERROR',
      /closed before the reply was complete/,
    );
    expect(partial).toBe('Partial answer ');
    const final = chat.ofType('response').find((frame) => frame.data.is_final)!;
    expect(final.data.message_chain).toEqual([{ type: 'Plain', text: 'Partial answer ' }]);

    await expectRecovered(chat);
    // Failed replies are not context: the model never sees the broken-off text.
    const next = await waitForRequests(openai, 2);
    expect(receivedPrompt(next).turns).toEqual([
      { role: 'user', text: 'please fail with MODEL_ERROR' },
      { role: 'user', text: 'are you back?' },
    ]);
  });

  describe('model check', () => {
    async function check(runner: unknown): Promise<ModelCheckData> {
      const pipeline = await createModelPipeline(server, { name: 'check', runner });
      const response = await rest<ModelCheckData>(
        server.url,
        'POST',
        `/api/v1/pipelines/${pipeline.uuid}/check`,
      );
      expect(response.status).toBe(200);
      return response.body.data;
    }

    it('reports ok with the latency and the reply of a working model', async () => {
      openai.setBehaviour({ kind: 'stream', chunks: ['o', 'k'] });
      const result = await check(openAiRunner(openai.baseUrl, { model: 'gpt-checked' }));
      expect(result).toEqual({
        ok: true,
        runner: 'openai-compatible',
        model: 'gpt-checked',
        latency_ms: expect.any(Number),
        reply: 'ok',
        error: null,
      });
      expect(Number.isInteger(result.latency_ms)).toBe(true);
      expect(result.latency_ms).toBeGreaterThanOrEqual(0);
      expect(result.latency_ms).toBeLessThan(5_000);
      expect(openai.requests).toHaveLength(1);
      expect(openai.requests[0]?.body.model).toBe('gpt-checked');
      expect(openai.requests[0]?.headers.authorization).toBe('Bearer sk-openai-e2e-key');
    });

    it.each([
      ['401', { kind: 'status', status: 401 }, 'MODEL_AUTH_FAILED'],
      ['404', { kind: 'status', status: 404 }, 'MODEL_NOT_FOUND'],
    ] as const)('reports ok:false for a %s', async (_label, behaviour, code) => {
      openai.setBehaviour(behaviour);
      const result = await check(openAiRunner(openai.baseUrl));
      expect(result).toMatchObject({
        ok: false,
        runner: 'openai-compatible',
        model: 'gpt-fake',
        reply: null,
        error: { code },
      });
      expect(result.error?.message.length).toBeGreaterThan(0);
    });

    it('reports ok:false with MODEL_UNREACHABLE for a closed port', async () => {
      const result = await check(openAiRunner(await closedPortBaseUrl()));
      expect(result).toMatchObject({
        ok: false,
        reply: null,
        error: { code: 'MODEL_UNREACHABLE' },
      });
      expect(result.error?.message).toMatch(/Could not reach the model provider/);
    });
  });

  describe('API key secrecy', () => {
    const SECRET = 'sk-test-SECRET-123456';
    let pipeline: Pipeline;

    beforeAll(async () => {
      pipeline = await createModelPipeline(server, {
        name: 'secret-holder',
        runner: openAiRunner(openai.baseUrl, { api_key: SECRET, model: 'gpt-before' }),
      });
    });

    it('never returns the key from create, get or update, and keeps it on a model-only update', async () => {
      expect(JSON.stringify(pipeline)).not.toContain(SECRET);
      expect(pipeline.runner).toMatchObject({ settings: { api_key_set: true } });
      expect(pipeline.runner.settings).not.toHaveProperty('api_key');

      const got = await rest(server.url, 'GET', `/api/v1/pipelines/${pipeline.uuid}`);
      expect(got.status).toBe(200);
      expect(JSON.stringify(got.body)).not.toContain(SECRET);
      expect(got.body.data.pipeline.runner.settings.api_key_set).toBe(true);

      const patched = await rest(server.url, 'PATCH', `/api/v1/pipelines/${pipeline.uuid}`, {
        body: {
          runner: {
            type: 'openai-compatible',
            settings: { base_url: openai.baseUrl, model: 'gpt-after' },
          },
        },
      });
      expect(patched.status).toBe(200);
      expect(JSON.stringify(patched.body)).not.toContain(SECRET);
      expect(patched.body.data.pipeline.runner.settings).toEqual({
        base_url: openai.baseUrl,
        model: 'gpt-after',
        timeout_ms: 60_000,
        vision: false,
        api_key_set: true,
      });

      const chat = await personChat(pipeline.uuid);
      const ack = await sendAndAck(chat, 'which key?');
      await finalFor(chat, ack.data.id);
      const request = await waitForRequests(openai, 1);
      expect(request.body.model).toBe('gpt-after');
      expect(request.headers.authorization).toBe(`Bearer ${SECRET}`);
    });

    it('never returns the key when listing pipelines, to admins or members', async () => {
      const member = await createApiKey(server, 'secrecy-member');
      for (const token of [undefined, member]) {
        const listed = await rest<{ pipelines: Pipeline[] }>(
          server.url,
          'GET',
          '/api/v1/pipelines',
          token === undefined ? {} : { token },
        );
        expect(listed.status).toBe(200);
        const entry = listed.body.data.pipelines.find(
          (candidate) => candidate.uuid === pipeline.uuid,
        );
        expect(entry).toBeDefined();
        expect(entry?.runner.settings).not.toHaveProperty('api_key');
        expect(JSON.stringify(listed.body)).not.toContain(SECRET);
        expect(entry?.runner).toMatchObject({ settings: { api_key_set: true } });
      }
    });

    it('keeps the key out of error frames and the whole server output, even when the provider echoes it', async () => {
      // Like OpenAI, the fake names the rejected key in its error body.
      openai.setBehaviour({
        kind: 'status',
        status: 401,
        body: {
          error: {
            message: `Incorrect API key provided: ${SECRET}.`,
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        },
      });
      const chat = await personChat(pipeline.uuid);
      await expectFailure(pipeline, chat, 'MODEL_AUTH_FAILED', /rejected the API key/);
      openai.setBehaviour({
        kind: 'status',
        status: 500,
        body: { error: { message: `Server error for key ${SECRET}`, type: 'server_error' } },
      });
      chat.frames.length = 0;
      await expectFailure(pipeline, chat, 'MODEL_ERROR', /HTTP 500.*\[redacted\]/);
      expect(
        openai.requests.every((request) => request.headers.authorization === `Bearer ${SECRET}`),
      ).toBe(true);

      const check = await rest(server.url, 'POST', `/api/v1/pipelines/${pipeline.uuid}/check`);
      expect(check.body.data).toMatchObject({ ok: false, error: { code: 'MODEL_ERROR' } });
      expect(JSON.stringify(check.body)).not.toContain(SECRET);
      expect(JSON.stringify(chat.frames)).not.toContain(SECRET);

      const output = server.output();
      // The debug-level output did record the failures, and nothing of the key.
      expect(output).toContain('model request failed');
      expect(output).not.toContain(SECRET);
      expect(output).not.toContain('SECRET-123456');
    });
  });
});
