import type { RunnerConfig } from '@botwire/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startFakeAnthropicServer,
  type FakeProviderServer,
} from '../../../../tests/support/fake-anthropic-server.js';
import { BotwireError } from '../errors/botwire-error.js';
import { createAnthropicRunner } from './anthropic-runner.js';
import { modelRunnerInput, runToEnd } from './model-runner.test-support.js';

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

  it('yields the streamed deltas in order', async () => {
    const chunks = ['Bon', 'jour', ', ', 'monde', '.'];
    fake.setBehaviour({ kind: 'stream', chunks, delayMs: 5 });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput());
    expect(outcome.error).toBeUndefined();
    expect(outcome.deltas).toEqual(chunks);
    expect(outcome.deltas.join('')).toBe('Bonjour, monde.');
  });

  it('sends the system prompt, the history in order, the parameters and the x-api-key', async () => {
    fake.setBehaviour({ kind: 'stream', chunks: ['ok'] });
    const input = modelRunnerInput({
      prompt: {
        system: 'You are terse.',
        messages: [
          { role: 'user', text: 'Alice: hi' },
          { role: 'assistant', text: 'Hello Alice.' },
          { role: 'user', text: 'Bob: what is 2+2?' },
        ],
      },
      parameters: { temperature: 0.7, max_output_tokens: 321 },
    });
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

  it('stops quietly when the input signal aborts mid-stream, closing the upstream request', async () => {
    const chunks = Array.from({ length: 50 }, (_, index) => `w${index} `);
    fake.setBehaviour({ kind: 'stream', chunks, delayMs: 40 });
    const controller = new AbortController();
    const outcome = await runToEnd(
      runnerFor(fake.baseUrl),
      modelRunnerInput({ signal: controller.signal }),
      (_text, index) => {
        if (index === 1) controller.abort(new Error('cancelled by user'));
      },
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.deltas.length).toBeGreaterThanOrEqual(2);
    expect(outcome.deltas.length).toBeLessThan(chunks.length);
    await fake.waitForDisconnect(2_000);
    expect(fake.disconnects).toBe(1);
  });

  it.each([
    [401, 'MODEL_AUTH_FAILED', /rejected the API key \(401\).*check the pipeline's api_key/],
    [404, 'MODEL_NOT_FOUND', /"claude-sonnet-4-5".*\(404\).*127\.0\.0\.1.*claude-does-not-exist/],
    [429, 'MODEL_RATE_LIMITED', /rate limiting.*\(429\).*exceed the rate limit/],
    [500, 'MODEL_ERROR', /HTTP 500.*Internal server error/],
  ] as const)('maps HTTP %i to %s', async (status, code, message) => {
    fake.setBehaviour({ kind: 'status', status });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput());
    expect(outcome.deltas).toEqual([]);
    expect(outcome.error).toBeInstanceOf(BotwireError);
    const error = outcome.error as BotwireError;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(fake.baseUrl);
    expect(error.message).not.toContain(API_KEY);
    expect(fake.requests).toHaveLength(1);
  });

  it('fails after the first deltas when the connection drops mid-stream', async () => {
    fake.setBehaviour({ kind: 'fail-mid-stream', chunks: ['one ', 'two '], delayMs: 10 });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput());
    expect(outcome.deltas).toEqual(['one ', 'two ']);
    expect(outcome.error).toMatchObject({ code: 'MODEL_ERROR' });
    expect((outcome.error as Error).message).toMatch(/closed before the reply was complete/);
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
