import { APICallError, RetryError } from 'ai';
import { describe, expect, it } from 'vitest';
import { BotwireError } from '../errors/botwire-error.js';
import { toModelError, type ModelErrorContext } from './model-error.js';

const KEY = 'sk-live-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const context: ModelErrorContext = {
  provider: 'openai-compatible',
  model: 'gpt-test',
  baseUrl: 'https://api.example.com/v1',
  timeoutMs: 5_000,
  timedOut: false,
  apiKey: KEY,
};

function apiError(statusCode: number, message = 'Provider says no') {
  return new APICallError({
    message,
    url: 'https://api.example.com/v1/chat/completions',
    requestBodyValues: {},
    statusCode,
  });
}

function networkError(code: string) {
  return new APICallError({
    message: `Cannot connect to API: getaddrinfo ${code} api.example.com`,
    url: 'https://api.example.com/v1/chat/completions',
    requestBodyValues: {},
    cause: Object.assign(new Error(`getaddrinfo ${code} api.example.com`), { code }),
    isRetryable: true,
  });
}

describe('toModelError', () => {
  it.each([
    [401, 'MODEL_AUTH_FAILED'],
    [403, 'MODEL_AUTH_FAILED'],
    [404, 'MODEL_NOT_FOUND'],
    [429, 'MODEL_RATE_LIMITED'],
    [400, 'MODEL_ERROR'],
    [503, 'MODEL_ERROR'],
  ] as const)('classifies HTTP %i as %s', (status, code) => {
    const error = toModelError(apiError(status), context);
    expect(error).toBeInstanceOf(BotwireError);
    expect(error.code).toBe(code);
    expect(error.message).toContain('https://api.example.com/v1');
    expect(error.cause).toBeInstanceOf(APICallError);
  });

  it('names the status in an auth failure', () => {
    expect(toModelError(apiError(403), context).message).toBe(
      "The model provider rejected the API key (403) for openai-compatible at https://api.example.com/v1; check the pipeline's api_key.",
    );
  });

  it('looks inside a RetryError', () => {
    const retry = new RetryError({
      message: 'Failed after 3 attempts',
      reason: 'maxRetriesExceeded',
      errors: [apiError(500), apiError(429)],
    });
    expect(toModelError(retry, context).code).toBe('MODEL_RATE_LIMITED');
  });

  it('reports our own timeout whatever the error looks like', () => {
    const error = toModelError(new DOMException('aborted', 'AbortError'), {
      ...context,
      timedOut: true,
    });
    expect(error.code).toBe('MODEL_TIMEOUT');
    expect(error.message).toContain('no complete reply within 5000 ms');
  });

  it.each(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT'])(
    'classifies %s as unreachable',
    (code) => {
      const error = toModelError(networkError(code), context);
      expect(error.code).toBe('MODEL_UNREACHABLE');
      expect(error.message).toContain(code);
      expect(error.message).toContain('https://api.example.com/v1');
    },
  );

  it("classifies undici's header and body timeouts as MODEL_TIMEOUT", () => {
    for (const code of ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
      const error = toModelError(networkError(code), context);
      expect(error.code).toBe('MODEL_TIMEOUT');
      expect(error.message).toContain(code);
    }
  });

  it('classifies a bare "fetch failed" as unreachable', () => {
    const error = toModelError(new TypeError('fetch failed'), context);
    expect(error.code).toBe('MODEL_UNREACHABLE');
  });

  it('classifies error objects streamed by the provider by their type', () => {
    // Anthropic's SSE `error` event, and an OpenAI-style error chunk.
    expect(toModelError({ type: 'rate_limit_error', message: 'Slow down' }, context).code).toBe(
      'MODEL_RATE_LIMITED',
    );
    expect(
      toModelError(
        { message: 'Quota', type: 'insufficient_quota', code: 'insufficient_quota' },
        context,
      ).code,
    ).toBe('MODEL_RATE_LIMITED');
    const overloaded = toModelError({ type: 'overloaded_error', message: 'Overloaded' }, context);
    expect(overloaded.code).toBe('MODEL_ERROR');
    expect(overloaded.message).toMatch(/: Overloaded$/);
  });

  it('truncates long provider messages', () => {
    const error = toModelError(apiError(500, 'x'.repeat(5_000)), context);
    expect(error.code).toBe('MODEL_ERROR');
    expect(error.message.length).toBeLessThan(500);
    expect(error.message.endsWith('…')).toBe(true);
  });

  it('never repeats the key or the credentials of the base URL', () => {
    const echoed = apiError(
      500,
      `Incorrect API key provided: ${KEY.slice(0, 14)}****${KEY.slice(-4)}`,
    );
    const error = toModelError(echoed, {
      ...context,
      baseUrl: 'https://user:hunter2@api.example.com/v1',
    });
    expect(error.message).not.toContain(KEY.slice(0, 14));
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('[redacted]');
  });
});
