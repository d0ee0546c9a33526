import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** The server serves a built console at `/`, publicly, without shadowing the API. */
describe('console serving', () => {
  const consoleDir = mkdtempSync(path.join(tmpdir(), 'botwire-console-'));
  let server: ServerProcess;
  let bare: ServerProcess;

  beforeAll(async () => {
    mkdirSync(path.join(consoleDir, 'assets'));
    writeFileSync(
      path.join(consoleDir, 'index.html'),
      '<!doctype html><title>Botwire console</title>',
    );
    writeFileSync(path.join(consoleDir, 'assets', 'app.js'), 'console.log("app");');
    server = await startServerProcess({ env: { BOTWIRE_CONSOLE_DIR: consoleDir } });
    bare = await startServerProcess({
      env: { BOTWIRE_CONSOLE_DIR: path.join(consoleDir, 'missing') },
    });
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
    await bare[Symbol.asyncDispose]();
    rmSync(consoleDir, { recursive: true, force: true });
  });

  it('serves the index page and assets without credentials', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Botwire console');
    const asset = await fetch(`${server.url}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
  });

  it('answers client-side routes with the index page, but API misses with JSON', async () => {
    const route = await fetch(`${server.url}/pipelines/some-uuid/chat`, {
      headers: { accept: 'text/html' },
    });
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('Botwire console');
    const api = await fetch(`${server.url}/api/v1/nothing-here`, {
      headers: { accept: 'text/html' },
    });
    expect(api.status).toBe(401);
    expect((await api.json()) as { error: string }).toMatchObject({ error: 'NOT_AUTHENTICATED' });
    const metrics = await fetch(`${server.url}/metrics`, { headers: { accept: 'text/html' } });
    expect(metrics.status).toBe(401);
  });

  it('says how to build the console when there is none', async () => {
    const page = await fetch(`${bare.url}/`);
    expect(page.status).toBe(404);
    const body = (await page.json()) as { error: string; msg: string };
    expect(body.error).toBe('NOT_FOUND');
    expect(body.msg).toContain('npm run build:web');
  });
});
