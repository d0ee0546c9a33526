import type { RunnerConfig } from '@botwire/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startFakeOpenAiServer,
  type FakeProviderServer,
} from '../../../../tests/support/fake-openai-server.js';
import type { BotwireError } from '../errors/botwire-error.js';
import { declareModelRunnerContract } from './model-runner-contract.test-support.js';
import { conversationInput, modelRunnerInput, runToEnd } from './model-runner.test-support.js';
import { createOpenAiCompatibleRunner } from './openai-compatible-runner.js';

type OpenAiCompatibleConfig = Extract<RunnerConfig, { type: 'openai-compatible' }>;

const API_KEY = 'sk-test-0123456789abcdefSECRET';

function runnerFor(baseUrl: string, overrides: Partial<OpenAiCompatibleConfig['settings']> = {}) {
  return createOpenAiCompatibleRunner({
    type: 'openai-compatible',
    settings: {
      base_url: baseUrl,
      api_key: API_KEY,
      model: 'gpt-test',
      timeout_ms: 10_000,
      vision: false,
      ...overrides,
    },
  });
}

describe('openai-compatible runner', () => {
  let fake: FakeProviderServer;

  beforeEach(async () => {
    fake = await startFakeOpenAiServer();
  });
  afterEach(async () => {
    await fake.close();
  });

  declareModelRunnerContract({
    fake: () => fake,
    runnerFor,
    apiKey: API_KEY,
    streamed: { chunks: ['Hel', 'lo', ' there', ', friend', '!'], text: 'Hello there, friend!' },
    httpErrorMessages: {
      401: /rejected the API key \(401\).*check the pipeline's api_key/,
      404: /"gpt-test".*\(404\).*127\.0\.0\.1/,
      429: /rate limiting.*\(429\).*Rate limit reached/,
      500: /HTTP 500.*had an error while processing/,
    },
  });

  it('sends the system prompt, the history in order, the parameters and the bearer key', async () => {
    fake.setBehaviour({ kind: 'stream', chunks: ['ok'] });
    const input = conversationInput({ temperature: 0.3, max_output_tokens: 123 });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), input);
    expect(outcome.error).toBeUndefined();
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toMatchObject({
      model: 'gpt-test',
      stream: true,
      temperature: 0.3,
      max_tokens: 123,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Alice: hi' },
        { role: 'assistant', content: 'Hello Alice.' },
        { role: 'user', content: 'Bob: what is 2+2?' },
      ],
    });
  });

  it('sends no Authorization header and no system message when neither is set', async () => {
    fake.setBehaviour({ kind: 'stream', chunks: ['ok'] });
    const outcome = await runToEnd(
      runnerFor(fake.baseUrl, { api_key: undefined }),
      modelRunnerInput(),
    );
    expect(outcome.error).toBeUndefined();
    const request = fake.requests[0]!;
    expect(request.headers).not.toHaveProperty('authorization');
    expect(request.body.messages).toEqual([{ role: 'user', content: 'Hi' }]);
    expect(request.body).not.toHaveProperty('temperature');
    expect(request.body).not.toHaveProperty('max_tokens');
  });

  it('closes the upstream request when the caller stops iterating early', async () => {
    fake.setBehaviour({ kind: 'stream', chunks: ['a', 'b', 'c', 'd', 'e', 'f'], delayMs: 50 });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput(), () => 'stop');
    expect(outcome).toEqual({ deltas: ['a'], error: undefined });
    await fake.waitForDisconnect(2_000);
  });

  it('yields nothing and sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const outcome = await runToEnd(
      runnerFor(fake.baseUrl),
      modelRunnerInput({ signal: controller.signal }),
    );
    expect(outcome).toEqual({ deltas: [], error: undefined });
    expect(fake.requests).toHaveLength(0);
  });

  it('keeps the key out of the message even when the provider echoes it', async () => {
    fake.setBehaviour({
      kind: 'status',
      status: 500,
      body: { error: { message: `Key ${API_KEY} is broken`, type: 'server_error', code: null } },
    });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput());
    const error = outcome.error as BotwireError;
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(API_KEY);
    expect(error.message).not.toContain(API_KEY.slice(0, 12));
  });

  it('says a key is required when the provider wants one and none is set', async () => {
    fake.setBehaviour({ kind: 'status', status: 401 });
    const outcome = await runToEnd(runnerFor(fake.baseUrl, { api_key: null }), modelRunnerInput());
    expect(outcome.error).toMatchObject({ code: 'MODEL_AUTH_FAILED' });
    expect((outcome.error as Error).message).toMatch(/requires an API key \(401\)/);
  });

  it('times out when the provider never answers', async () => {
    fake.setBehaviour({ kind: 'hang' });
    const started = Date.now();
    const outcome = await runToEnd(
      runnerFor(fake.baseUrl, { timeout_ms: 1_000 }),
      modelRunnerInput(),
    );
    const elapsed = Date.now() - started;
    expect(outcome.error).toMatchObject({ code: 'MODEL_TIMEOUT' });
    expect((outcome.error as Error).message).toMatch(/no complete reply within 1000 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(5_000);
    await fake.waitForDisconnect(2_000);
  });

  it('times out when a stream stalls part-way', async () => {
    fake.setBehaviour({ kind: 'stream', chunks: ['early ', 'late'], delayMs: 5_000 });
    const outcome = await runToEnd(
      runnerFor(fake.baseUrl, { timeout_ms: 1_000 }),
      modelRunnerInput(),
    );
    expect(outcome.deltas).toEqual(['early ']);
    expect(outcome.error).toMatchObject({ code: 'MODEL_TIMEOUT' });
  });

  it('reports an unreachable base URL', async () => {
    const closed = await startFakeOpenAiServer();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const outcome = await runToEnd(runnerFor(baseUrl), modelRunnerInput());
    expect(outcome.error).toMatchObject({ code: 'MODEL_UNREACHABLE' });
    expect((outcome.error as Error).message).toContain(baseUrl);
    expect((outcome.error as Error).message).toContain('ECONNREFUSED');
  });
});
