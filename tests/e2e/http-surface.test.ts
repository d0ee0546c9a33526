import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ERROR_CATALOGUE } from '@botwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/e2e-helpers.js';
import { rest } from '../support/rest-client.js';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from '../support/server-process.js';

const ALLOWED_ORIGIN = 'https://console.example.com';

/** A JSON error envelope, checked for shape: negative number, message, catalogue code. */
async function envelopeOf(
  response: Response,
): Promise<{ code: number; msg: string; error: string }> {
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = (await response.json()) as { code: number; msg: string; error: string };
  expect(body.code).toBeLessThan(0);
  expect(body.msg.length).toBeGreaterThan(0);
  expect(body.code).toBe(ERROR_CATALOGUE[body.error as keyof typeof ERROR_CATALOGUE].number);
  return body;
}

/** The edges of the HTTP surface: bodies, CORS, security headers, framework-level refusals. */
describe('HTTP surface', () => {
  const consoleDir = mkdtempSync(path.join(tmpdir(), 'botwire-surface-console-'));
  let server: ServerProcess;
  let bare: ServerProcess;

  beforeAll(async () => {
    mkdirSync(path.join(consoleDir, 'assets'));
    writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(consoleDir, 'assets', 'app.js'), 'export {};');
    [server, bare] = await Promise.all([
      startServerProcess({
        env: { BOTWIRE_CONSOLE_DIR: consoleDir, BOTWIRE_ALLOWED_ORIGINS: ALLOWED_ORIGIN },
      }),
      startServerProcess({ env: { BOTWIRE_CONSOLE_DIR: path.join(consoleDir, 'missing') } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server[Symbol.asyncDispose](), bare[Symbol.asyncDispose]()]);
    rmSync(consoleDir, { recursive: true, force: true });
  });

  describe('body-less POSTs', () => {
    const jsonWithoutBody = { rawBody: '', headers: { 'content-type': 'application/json' } };

    it('accepts content-type application/json with an empty body where the route takes none', async () => {
      const uuid = server.defaultPipelineUuid;
      const reset = await rest(server.url, 'POST', `/api/v1/pipelines/${uuid}/ws/reset/person`, {
        ...jsonWithoutBody,
      });
      expect({ status: reset.status, error: reset.body.error }).toEqual({
        status: 200,
        error: undefined,
      });
      const check = await rest(server.url, 'POST', `/api/v1/pipelines/${uuid}/check`, {
        ...jsonWithoutBody,
      });
      expect(check.status).toBe(200);
      const login = await rest(server.url, 'POST', '/api/v1/auth/login', {
        token: null,
        body: { username: 'admin', password: 'admin-password-123' },
      });
      const logout = await rest(server.url, 'POST', '/api/v1/auth/logout', {
        ...jsonWithoutBody,
        token: login.body.data.token as string,
      });
      expect(logout.status).toBe(200);
      expect(logout.body.data).toEqual({ message: 'Signed out.' });
    });

    it('answers an empty body where the route needs one with VALIDATION_FAILED, not BAD_JSON', async () => {
      const created = await rest(server.url, 'POST', '/api/v1/pipelines', { ...jsonWithoutBody });
      expect({ status: created.status, error: created.body.error }).toEqual({
        status: 400,
        error: 'VALIDATION_FAILED',
      });
    });
  });

  describe('login throttle', () => {
    it('answers repeated failed sign-ins with 429 LOGIN_THROTTLED and Retry-After, and logs the address', async () => {
      const attempt = (password: string) =>
        rest(server.url, 'POST', '/api/v1/auth/login', {
          token: null,
          body: { username: 'throttled-user', password },
        });
      const statuses: number[] = [];
      for (let index = 0; index < 5; index += 1) statuses.push((await attempt('guess')).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401]);
      const throttled = await attempt('guess');
      expect({ status: throttled.status, error: throttled.body.error }).toEqual({
        status: 429,
        error: 'LOGIN_THROTTLED',
      });
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The log comes through a pipe, the answer through a socket: wait for the line itself.
      const warningLine = () =>
        server
          .output()
          .split('\n')
          .find((line) => line.includes('login throttled'));
      await waitUntil(() => warningLine() !== undefined, 'the "login throttled" log line');
      const warning = warningLine();
      expect(JSON.parse(warning ?? '{}')).toMatchObject({
        username: 'throttled-user',
        remoteAddress: '127.0.0.1',
      });
    });
  });

  describe('CORS', () => {
    it.each(['PATCH', 'PUT', 'DELETE'])(
      'lets an allowed origin preflight %s, and the request then succeeds',
      async (method) => {
        const preflight = await fetch(`${server.url}/api/v1/keys/1`, {
          method: 'OPTIONS',
          headers: {
            origin: ALLOWED_ORIGIN,
            'access-control-request-method': method,
            'access-control-request-headers': 'authorization,content-type',
          },
        });
        expect(preflight.status).toBe(204);
        expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
        expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
        const methods = (preflight.headers.get('access-control-allow-methods') ?? '')
          .split(',')
          .map((allowed) => allowed.trim());
        expect(methods).toContain(method);
      },
    );

    it('gives a foreign origin no CORS headers on a preflight', async () => {
      const preflight = await fetch(`${server.url}/api/v1/keys/1`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'DELETE' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
    });

    it('serves a PATCH from an allowed origin with CORS headers', async () => {
      const patched = await fetch(`${server.url}/api/v1/pipelines/${server.defaultPipelineUuid}`, {
        method: 'PATCH',
        headers: {
          origin: ALLOWED_ORIGIN,
          authorization: `Bearer ${ADMIN_KEY}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ description: 'patched across origins' }),
      });
      expect(patched.status).toBe(200);
      expect(patched.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    });
  });

  describe('security headers', () => {
    it.each(['/', '/assets/app.js', '/api/v1/auth/me', '/healthz'])(
      'sends CSP, frame-ancestors, nosniff and Referrer-Policy on %s',
      async (route) => {
        const response = await fetch(`${server.url}${route}`);
        const csp = response.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).not.toContain('unsafe-eval');
        expect(response.headers.get('x-frame-options')).toBe('DENY');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      },
    );
  });

  describe('framework-level refusals', () => {
    it('answers a path parameter over the router limit with 414 in the error envelope', async () => {
      const response = await fetch(`${server.url}/api/v1/pipelines/${'a'.repeat(300)}`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(response.status).toBe(414);
      expect((await envelopeOf(response)).error).toBe('URI_TOO_LONG');
    });

    it('answers headers over the size limit with 431 in the error envelope', async () => {
      const response = await fetch(`${server.url}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-padding': 'p'.repeat(20_000) },
      });
      expect(response.status).toBe(431);
      expect((await envelopeOf(response)).error).toBe('HEADERS_TOO_LARGE');
    });

    it('answers a malformed percent-escape with 400 in the error envelope', async () => {
      const response = await fetch(`${server.url}/api/v1/pipelines/%E0%A4%A`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(response.status).toBe(400);
      expect((await envelopeOf(response)).error).toBe('BAD_REQUEST');
    });

    it('does not show a path of the server disk when no console is built', async () => {
      const page = await fetch(`${bare.url}/`);
      expect(page.status).toBe(404);
      const body = await envelopeOf(page);
      expect(body.error).toBe('NOT_FOUND');
      expect(body.msg).toContain('npm run build:web');
      expect(body.msg).not.toContain(consoleDir);
      expect(body.msg).not.toMatch(/(^|[\s(])\/[a-z]/i);
    });
  });
});
