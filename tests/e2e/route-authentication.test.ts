import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPublicPipeline, issueVisitor } from '../support/widget-kit.js';

/** One row of the route table the server logs at debug level when it starts. */
interface LoggedRoute {
  method: string;
  url: string;
  public: boolean;
  visitor: boolean;
}

/** The API routes that may be reached without credentials; anything else public is a leak. */
const PUBLIC_API_ROUTES = [
  'GET /healthz',
  'GET /readyz',
  'GET /widget.js',
  'HEAD /healthz',
  'HEAD /readyz',
  'HEAD /widget.js',
  'OPTIONS *',
  'POST /api/v1/auth/login',
  'POST /api/v1/widget/visitors',
];

/**
 * The only routes a widget visitor's token opens: its own conversation's history, reset and
 * images (sorted as the test sorts the table).
 */
const VISITOR_ROUTES = [
  'GET /api/v1/widget/images/:id',
  'GET /api/v1/widget/messages',
  'HEAD /api/v1/widget/images/:id',
  'HEAD /api/v1/widget/messages',
  'POST /api/v1/widget/images',
  'POST /api/v1/widget/reset',
];

function routeTable(server: ServerProcess): LoggedRoute[] {
  const line = server
    .output()
    .split('\n')
    .find((candidate) => candidate.includes('"msg":"HTTP routes"'));
  if (line === undefined) throw new Error(`no "HTTP routes" log line in:\n${server.output()}`);
  return (JSON.parse(line) as { routes: LoggedRoute[] }).routes;
}

/** A concrete path for a route pattern: parameters filled in, wildcards given a value. */
function concretePath(pattern: string, pipelineUuid: string): string {
  return pattern
    .replace(':uuid', pipelineUuid)
    .replace(':sessionType', 'group')
    .replace(':id', '1')
    .replace('*', 'anything');
}

/**
 * The spellings a router decodes to the same route: the plain path, and the path with one
 * letter of a static segment percent-encoded (lower and upper case hex), first and last segment.
 */
function spellings(concrete: string): string[] {
  const encodeAt = (index: number, upper: boolean): string | undefined => {
    const character = concrete[index];
    if (character === undefined || !/[a-z]/i.test(character)) return undefined;
    const hex = character.charCodeAt(0).toString(16);
    return `${concrete.slice(0, index)}%${upper ? hex.toUpperCase() : hex}${concrete.slice(index + 1)}`;
  };
  const lastSegment = concrete.lastIndexOf('/') + 1;
  const variants = [
    concrete,
    encodeAt(1, false),
    encodeAt(1, true),
    encodeAt(lastSegment, false),
    encodeAt(lastSegment, true),
  ];
  return [...new Set(variants.filter((variant): variant is string => variant !== undefined))];
}

/**
 * Deny by default: every registered route, walked without credentials in plain and
 * percent-encoded spellings, answers 401 unless its definition declares it public.
 */
describe('route authentication', () => {
  const consoleDir = mkdtempSync(path.join(tmpdir(), 'botwire-routes-console-'));
  let server: ServerProcess;

  beforeAll(async () => {
    mkdirSync(path.join(consoleDir, 'assets'));
    writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(consoleDir, 'assets', 'app.js'), 'export {};');
    server = await startServerProcess({
      env: { BOTWIRE_LOG_LEVEL: 'debug', BOTWIRE_CONSOLE_DIR: consoleDir },
    });
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('does not serve metrics or runners to a percent-encoded path without credentials', async () => {
    for (const spelling of ['/%6detrics', '/%61pi/v1/runners', '/%61pi/v1/adapters']) {
      const response = await fetch(`${server.url}${spelling}`);
      expect({ spelling, status: response.status }).toEqual({ spelling, status: 401 });
      expect(((await response.json()) as { error: string }).error).toBe('NOT_AUTHENTICATED');
    }
  });

  it('answers 401 on every non-public route, in every spelling, and declares only the known ones public', async () => {
    const routes = routeTable(server);
    // The walk is only meaningful if it covers the API; a table of three routes would pass.
    expect(routes.length).toBeGreaterThan(40);
    const publicApi = routes
      .filter((route) => route.public && !route.url.startsWith('/assets') && route.url !== '/')
      .filter((route) => route.url !== '/index.html')
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect(publicApi).toEqual(PUBLIC_API_ROUTES);

    const failures: string[] = [];
    let walked = 0;
    for (const route of routes.filter((candidate) => !candidate.public)) {
      for (const spelling of spellings(concretePath(route.url, server.defaultPipelineUuid))) {
        const response = await fetch(`${server.url}${spelling}`, { method: route.method });
        const body = route.method === 'HEAD' ? '' : await response.text();
        walked += 1;
        const typed = route.method === 'HEAD' || body.includes('"error":"NOT_AUTHENTICATED"');
        if (response.status !== 401 || !typed) {
          failures.push(`${route.method} ${spelling} -> ${response.status} ${body.slice(0, 80)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(walked).toBeGreaterThan(100);
  });

  it("refuses a valid visitor token on every route but its own conversation's, in every spelling", async () => {
    const routes = routeTable(server);
    const visitorRoutes = routes
      .filter((route) => route.visitor)
      .map((route) => `${route.method} ${route.url}`)
      .sort();
    expect(visitorRoutes).toEqual(VISITOR_ROUTES);
    const pipeline = await createPublicPipeline(server);
    const visitor = await issueVisitor(server, pipeline);
    const failures: string[] = [];
    let walked = 0;
    for (const route of routes.filter((candidate) => !candidate.public && !candidate.visitor)) {
      for (const spelling of spellings(concretePath(route.url, pipeline.uuid))) {
        const response = await fetch(`${server.url}${spelling}`, {
          method: route.method,
          // No Origin: a non-browser client holding a stolen token, which no Origin check stops.
          headers: { authorization: `Bearer ${visitor.token}` },
        });
        const body = route.method === 'HEAD' ? '' : await response.text();
        walked += 1;
        const typed = route.method === 'HEAD' || body.includes('"error":"FORBIDDEN"');
        if (response.status !== 403 || !typed) {
          failures.push(`${route.method} ${spelling} -> ${response.status} ${body.slice(0, 80)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(walked).toBeGreaterThan(100);
  });

  it('keeps the console files and client-side routes public, and API misses typed', async () => {
    for (const spelling of ['/', '/assets/app.js', '/%61ssets/app.js']) {
      expect((await fetch(`${server.url}${spelling}`)).status).toBe(200);
    }
    const page = await fetch(`${server.url}/pipelines/x/chat`, {
      headers: { accept: 'text/html' },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    for (const spelling of ['/api/v1/nothing-here', '/%61pi/v1/nothing-here']) {
      const miss = await fetch(`${server.url}${spelling}`, { headers: { accept: 'text/html' } });
      expect(miss.status).toBe(401);
      expect(((await miss.json()) as { error: string }).error).toBe('NOT_AUTHENTICATED');
    }
  });
});
