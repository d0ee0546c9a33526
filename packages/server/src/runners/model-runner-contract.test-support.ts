import { expect, it } from 'vitest';
import type { FakeProviderServer } from '../../../../tests/support/fake-provider-server.js';
import { BotwireError } from '../errors/botwire-error.js';
import { modelRunnerInput, runToEnd } from './model-runner.test-support.js';
import type { Runner } from './runner.js';

/** What the shared model runner cases need to know about one provider. */
export interface ModelRunnerContractProvider {
  /** The fake provider of the current test (started and closed by the caller's hooks). */
  fake(): FakeProviderServer;
  /** A runner of this provider pointed at `baseUrl`, with the key `apiKey`. */
  runnerFor: (baseUrl: string) => Runner;
  /** The key `runnerFor` configures; it must never show in an error message. */
  apiKey: string;
  /** A streamed reply: the chunks the fake sends and the text they make. */
  streamed: { chunks: string[]; text: string };
  /** What the error message of each mapped HTTP status must match. */
  httpErrorMessages: Record<401 | 404 | 429 | 500, RegExp>;
}

/**
 * Declares, inside the caller's `describe`, the cases every model runner passes alike:
 * streaming, cancelling, HTTP error mapping and a dropped connection.
 */
export function declareModelRunnerContract(provider: ModelRunnerContractProvider): void {
  const { apiKey, runnerFor } = provider;

  it('yields the streamed deltas in order', async () => {
    const fake = provider.fake();
    const { chunks, text } = provider.streamed;
    fake.setBehaviour({ kind: 'stream', chunks, delayMs: 5 });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput());
    expect(outcome.error).toBeUndefined();
    expect(outcome.deltas).toEqual(chunks);
    expect(outcome.deltas.join('')).toBe(text);
  });

  it('stops quietly when the input signal aborts mid-stream, closing the upstream request', async () => {
    const fake = provider.fake();
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

  const messages = provider.httpErrorMessages;
  it.each([
    [401, 'MODEL_AUTH_FAILED', messages[401]],
    [404, 'MODEL_NOT_FOUND', messages[404]],
    [429, 'MODEL_RATE_LIMITED', messages[429]],
    [500, 'MODEL_ERROR', messages[500]],
  ] as const)('maps HTTP %i to %s', async (status, code, message) => {
    const fake = provider.fake();
    fake.setBehaviour({ kind: 'status', status });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput());
    expect(outcome.deltas).toEqual([]);
    expect(outcome.error).toBeInstanceOf(BotwireError);
    const error = outcome.error as BotwireError;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(fake.baseUrl);
    expect(error.message).not.toContain(apiKey);
    expect(fake.requests).toHaveLength(1);
  });

  it('fails after the first deltas when the connection drops mid-stream', async () => {
    const fake = provider.fake();
    fake.setBehaviour({ kind: 'fail-mid-stream', chunks: ['one ', 'two '], delayMs: 10 });
    const outcome = await runToEnd(runnerFor(fake.baseUrl), modelRunnerInput());
    expect(outcome.deltas).toEqual(['one ', 'two ']);
    expect(outcome.error).toMatchObject({ code: 'MODEL_ERROR' });
    expect((outcome.error as Error).message).toMatch(/closed before the reply was complete/);
  });
}
