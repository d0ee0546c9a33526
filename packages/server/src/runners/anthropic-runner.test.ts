import type { RunnerConfig } from '@botwire/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startFakeAnthropicServer,
  type FakeProviderServer,
} from '../../../../tests/support/fake-anthropic-server.js';
import { BotwireError } from '../errors/botwire-error.js';
import { createAnthropicRunner } from './anthropic-runner.js';
import { declareModelRunnerContract } from './model-runner-contract.test-support.js';
import { conversationInput, modelRunnerInput, runToEnd } from './model-runner.test-support.js';

type AnthropicConfig = Extract<RunnerConfig, { type: 'anthropic' }>;

const API_KEY = 'sk-ant-test-0123456789abcdefSECRET';
// A model the SDK knows: for unknown `claude-*` ids it assumes a newer model and drops temperature.
const MODEL = 'claude-sonnet-4-5';

function runnerFor(baseUrl: string, overrides: Partial<AnthropicConfig['settings']> = {}) {
  return createAnthropicRunner({
    type: 'anthropic',
    settings: {
      base_url: baseUrl,
      api_key: API_KEY,
      model: MODEL,
      timeout_ms: 10_000,
      vision: false,
      ...overrides,
    },
  });
}

describe('anthropic runner', () => {
  let fake: FakeProviderServer;

  beforeEach(async () => {
    fake = await startFakeAnthropicServer();
  });
  afterEach(async () => {
    await fake.close();
  });

  declareModelRunnerContract({
    fake: () => fake,
    runnerFor,
    apiKey: API_KEY,
    streamed: { chunks: ['Bon', 'jour', ', ', 'monde', '.'], text: 'Bonjour, monde.' },
    httpErrorMessages: {
      401: /rejected the API key \(401\).*check the pipeline's api_key/,
      404: /"claude-sonnet-4-5".*\(404\).*127\.0\.0\.1.*claude-does-not-exist/,
      429: /rate limiting.*\(429\).*exceed the rate limit/,
      500: /HTTP 500.*Internal server error/,
    },
  });

  it('sends the system prompt, the history in order, the parameters and the x-api-key', async () => {
    fake.setBehaviour({ kind: 'stream', chunks: ['ok'] });
    const input = conversationInput({ temperature: 0.7, max_output_tokens: 321 });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), input);
    expect(outcome.error).toBeUndefined();
    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(API_KEY);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers).not.toHaveProperty('authorization');
    expect(request.body).toMatchObject({
      model: MODEL,
      stream: true,
      temperature: 0.7,
      max_tokens: 321,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Alice: hi' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Hello Alice.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Bob: what is 2+2?' }] },
      ],
    });
  });

  it('sends no system prompt when it is empty', async () => {
    fake.setBehaviour({ kind: 'stream', chunks: ['ok'] });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput());
    expect(outcome.error).toBeUndefined();
    expect(fake.requests[0]!.body).not.toHaveProperty('system');
    expect(fake.requests[0]!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
    ]);
  });

  it('fails with MODEL_NOT_CONFIGURED, sending nothing, when no key is set', async () => {
    for (const apiKey of [undefined, null]) {
      const outcome = await runToEnd(
        runnerFor(fake.baseUrl, { api_key: apiKey }),
        modelRunnerInput(),
      );
      expect(outcome.deltas).toEqual([]);
      expect(outcome.error).toBeInstanceOf(BotwireError);
      expect(outcome.error).toMatchObject({
        code: 'MODEL_NOT_CONFIGURED',
        message: 'Pipeline has no API key for Anthropic; set runner.settings.api_key.',
      });
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('times out when the provider never answers', async () => {
    fake.setBehaviour({ kind: 'hang' });
    const started = Date.now();
    const outcome = await runToEnd(
      runnerFor(fake.baseUrl, { timeout_ms: 1_000 }),
      modelRunnerInput(),
    );
    expect(outcome.error).toMatchObject({ code: 'MODEL_TIMEOUT' });
    expect((outcome.error as Error).message).toMatch(/no complete reply within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await fake.waitForDisconnect(2_000);
  });

  it('reports an unreachable base URL', async () => {
    const closed = await startFakeAnthropicServer();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const outcome = await runToEnd(runnerFor(baseUrl), modelRunnerInput());
    expect(outcome.error).toMatchObject({ code: 'MODEL_UNREACHABLE' });
    expect((outcome.error as Error).message).toContain(baseUrl);
  });
});
