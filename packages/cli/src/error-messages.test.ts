import { BotwireClientError, type BotwireClientErrorCode } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import { describeError } from './error-messages.js';
import { UsageError } from './exit-codes.js';

const URL = 'http://127.0.0.1:8000';
const PIPELINE = 'e24f7ca1-8598-4f51-b333-18d4c3ff9838';

function error(code: BotwireClientErrorCode, message = 'The server said so.', status?: number) {
  return new BotwireClientError({ code, message, status });
}

describe('describeError', () => {
  it('says a rejected key is a 401 and how to pass another', () => {
    expect(describeError(error('AUTH_FAILED', 'rejected', 401), { url: URL })).toBe(
      '401: API key rejected, pass --api-key or set BOTWIRE_API_KEY',
    );
    // Over WebSocket the refusal has no HTTP status; the line is the same.
    expect(describeError(error('AUTH_FAILED'), { url: URL })).toBe(
      '401: API key rejected, pass --api-key or set BOTWIRE_API_KEY',
    );
    expect(describeError(error('NOT_AUTHENTICATED', 'missing', 401), { url: URL })).toBe(
      '401: no API key given, pass --api-key or set BOTWIRE_API_KEY',
    );
  });

  it('says where the server was looked for when it cannot be reached', () => {
    expect(describeError(error('NETWORK_ERROR', 'fetch failed'), { url: URL })).toBe(
      'Cannot reach Botwire at http://127.0.0.1:8000: is it running? (botwire serve)',
    );
  });

  it('tells a host that does not resolve (DNS) apart from a server that refuses', () => {
    const failure = (code: string) =>
      new BotwireClientError({
        code: 'NETWORK_ERROR',
        message: 'GET /api/v1/pipelines got no answer: fetch failed',
        cause: new TypeError('fetch failed', {
          cause: Object.assign(new Error(`getaddrinfo ${code} botwire.example`), { code }),
        }),
      });
    const url = 'http://botwire.example:8000';
    expect(describeError(failure('ENOTFOUND'), { url })).toBe(
      'Cannot resolve the host of http://botwire.example:8000 (DNS lookup failed: ENOTFOUND); check the host name in --url or BOTWIRE_URL',
    );
    expect(describeError(failure('EAI_AGAIN'), { url })).toContain('DNS lookup failed: EAI_AGAIN');
    expect(describeError(failure('ECONNREFUSED'), { url })).toBe(
      'Cannot reach Botwire at http://botwire.example:8000: connection refused; is it running? (botwire serve)',
    );
  });

  it('names the pipeline and how to list them when it does not exist', () => {
    expect(
      describeError(error('PIPELINE_NOT_FOUND', 'No pipeline has this uuid.', 404), {
        url: URL,
        pipeline: PIPELINE,
      }),
    ).toBe(
      `PIPELINE_NOT_FOUND: there is no pipeline ${PIPELINE} at ${URL}; list pipelines with: botwire pipelines list`,
    );
  });

  it('explains forbidden, not found, bad responses and model trouble', () => {
    expect(describeError(error('FORBIDDEN', 'Admins only.', 403), { url: URL })).toMatch(
      /^403: this API key may not do that \(Admins only\); use an admin key/,
    );
    expect(
      describeError(error('NOT_FOUND', 'No API key 9.', 404), {
        url: URL,
        notFoundHint: 'list keys with: botwire keys list',
      }),
    ).toBe('NOT_FOUND: No API key 9; list keys with: botwire keys list');
    expect(describeError(error('BAD_RESPONSE', 'HTML'), { url: URL })).toBe(
      `${URL} did not answer like a Botwire server (HTML); check --url or BOTWIRE_URL`,
    );
    expect(
      describeError(error('MODEL_AUTH_FAILED', 'Key rejected.'), { url: URL, pipeline: PIPELINE }),
    ).toBe(
      `MODEL_AUTH_FAILED: Key rejected; check the pipeline's model with: botwire pipelines show ${PIPELINE}`,
    );
  });

  it('falls back to the code and message, and a 401 status to the key hint', () => {
    expect(describeError(error('QUEUE_FULL', 'Too many waiting.'), { url: URL })).toBe(
      'QUEUE_FULL: Too many waiting.',
    );
    expect(describeError(error('INTERNAL_ERROR', 'Session expired.', 401), { url: URL })).toBe(
      '401: Session expired, pass --api-key or set BOTWIRE_API_KEY',
    );
  });

  it('shows other errors by their message', () => {
    expect(describeError(new UsageError('--model is needed'), { url: URL })).toBe(
      '--model is needed',
    );
    expect(describeError(new Error('boom'), { url: URL })).toBe('boom');
    expect(describeError('plain', { url: URL })).toBe('plain');
  });
});
