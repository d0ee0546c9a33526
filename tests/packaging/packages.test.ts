import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../browser/support/chromium.js';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from '../support/server-process.js';
import {
  PUBLISHED_PACKAGES,
  REPOSITORY_ROOT,
  createInstalledProject,
  installGlobally,
  type InstalledProject,
} from './installed-project.js';

/** The budget of a minified, gzipped browser bundle of `WebSocketClient` alone. */
const BUNDLE_BUDGET_BYTES = 15 * 1024;

/** What the echo runner of the default pipeline answers. */
const echo = (text: string) => `[echo: no model configured] ${text}`;

const TSC = path.join(REPOSITORY_ROOT, 'node_modules/typescript/bin/tsc');

/** A consumer using the SDK's main types, compiled under each module resolution. */
const CONSUMER_SOURCE = `import {
  BackendClient,
  BotwireClientError,
  SHAPE_FRAME_VALIDATOR,
  WebSocketClient,
  type ChatMessage,
  type Reply,
  type ReplyResult,
  type WebSocketClientOptions,
} from '@botwire/client';
import { CLOSE_CODES, decodeServerFrame, type ServerFrame } from '@botwire/protocol';

const options: WebSocketClientOptions = {
  baseUrl: 'http://127.0.0.1:8000',
  getToken: async () => 'bw_key_x',
  reconnectWindowMs: Infinity,
  frameValidator: SHAPE_FRAME_VALIDATOR,
};
export async function chat(client: WebSocketClient): Promise<ReplyResult> {
  const reply: Reply = await client.send('hi');
  for await (const delta of reply) {
    const text: string = delta;
    void text;
  }
  client.on('message', (message: ChatMessage) => void message.content);
  return reply.done;
}
export const made = new WebSocketClient('uuid', 'person', options);
export const backend = new BackendClient({ baseUrl: 'http://127.0.0.1:8000' });
export const code: number = CLOSE_CODES.GOING_AWAY;
const decoded = decodeServerFrame('{}');
export const frame: ServerFrame | undefined = decoded.ok ? decoded.value : undefined;
export const isError = (error: unknown) => error instanceof BotwireClientError;
`;

/** The resolutions a consumer may compile with, and the module setting each needs. */
const RESOLUTIONS = [
  { moduleResolution: 'nodenext', module: 'nodenext' },
  { moduleResolution: 'bundler', module: 'esnext' },
  { moduleResolution: 'node10', module: 'commonjs' },
] as const;

/** A chat in Node with the installed SDK and `ws`: one reply streamed and awaited. */
const NODE_CHAT = `import WebSocket from 'ws';
import { WebSocketClient } from '@botwire/client';

const [baseUrl, token, pipeline, text] = process.argv.slice(2);
const client = new WebSocketClient(pipeline, 'person', { baseUrl, token, WebSocket });
await client.connect();
const reply = await client.send(text);
const deltas = [];
for await (const delta of reply) deltas.push(delta);
const { status, text: whole } = await reply.done;
client.disconnect();
console.log(JSON.stringify({ status, text: whole, streamed: deltas.join('') }));
`;

/** The browser app: the same chat, reporting through `window.chatResult`. */
const BROWSER_APP = `import { WebSocketClient } from '@botwire/client';

const query = new URLSearchParams(location.search);
const client = new WebSocketClient(query.get('pipeline'), 'person', {
  baseUrl: query.get('base'),
  token: query.get('token'),
});
async function chat() {
  await client.connect();
  const reply = await client.send(query.get('text'));
  let streamed = '';
  for await (const delta of reply) streamed += delta;
  const { status, text } = await reply.done;
  client.disconnect();
  return { status, text, streamed };
}
chat().then(
  (result) => (window.chatResult = result),
  (error) => (window.chatResult = { error: String(error) }),
);
`;

describe('the published packages, installed from their tarballs', { timeout: 180_000 }, () => {
  let project: InstalledProject;
  let server: ServerProcess;
  let staticServer: Server;
  let staticOrigin: string;
  const globalPrefixes: string[] = [];

  beforeAll(async () => {
    // The page's origin must be allowed by the Botwire server, so it is known first.
    staticServer = createServer();
    await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
    staticOrigin = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}`;
    [project, server] = await Promise.all([
      createInstalledProject(),
      startServerProcess({ env: { BOTWIRE_ALLOWED_ORIGINS: staticOrigin } }),
    ]);
  }, 180_000);

  afterAll(async () => {
    staticServer?.close();
    await server?.[Symbol.asyncDispose]();
    project?.remove();
    for (const prefix of globalPrefixes) rmSync(prefix, { recursive: true, force: true });
  });

  it('installs copies, not links into the checkout', () => {
    for (const name of PUBLISHED_PACKAGES) {
      const installed = path.join(project.directory, 'node_modules', name);
      expect(statSync(installed).isDirectory()).toBe(true);
      expect(path.relative(REPOSITORY_ROOT, installed).startsWith('..')).toBe(true);
    }
    expect(project.directory.startsWith(REPOSITORY_ROOT)).toBe(false);
  });

  it('ships versions, license, repository, entry points and source maps with sources', () => {
    const rootLicense = readFileSync(path.join(REPOSITORY_ROOT, 'LICENSE'), 'utf8');
    expect(rootLicense).toContain('MIT License');
    for (const name of PUBLISHED_PACKAGES) {
      const manifest = project.installedManifest(name);
      const directory = path.join(project.directory, 'node_modules', name);
      expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(manifest.license).toBe('MIT');
      expect(readFileSync(path.join(directory, 'LICENSE'), 'utf8')).toBe(rootLicense);
      expect(manifest.repository).toMatchObject({
        type: 'git',
        directory: `packages/${name.slice(9)}`,
      });
      expect(existsSync(path.join(directory, manifest.main as string))).toBe(true);
      expect(existsSync(path.join(directory, manifest.types as string))).toBe(true);
      expect(manifest.exports).toMatchObject({
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      });
      // No tests, no build info: only what a user runs or reads.
      const packed = project.packedFiles[name].map((file) => file.path);
      expect(packed.filter((file) => /\.test(-support)?\.|tsbuildinfo/.test(file))).toEqual([]);
      // Every source map carries its sources, or points at shipped ones.
      const maps = readdirSync(path.join(directory, 'dist')).filter((file) =>
        file.endsWith('.map'),
      );
      expect(maps.length).toBeGreaterThan(0);
      for (const map of maps) {
        const { sources, sourcesContent } = JSON.parse(
          readFileSync(path.join(directory, 'dist', map), 'utf8'),
        ) as { sources: string[]; sourcesContent?: string[] };
        for (const [index, source] of sources.entries()) {
          const shipped = existsSync(path.join(directory, 'dist', source));
          expect(shipped || typeof sourcesContent?.[index] === 'string', `${name} ${map}`).toBe(
            true,
          );
        }
      }
    }
  });

  it('depends on each other with semver ranges that the packed versions satisfy', () => {
    const version = (name: string) => project.installedManifest(name).version as string;
    const client = project.installedManifest('@botwire/client');
    const cli = project.installedManifest('@botwire/cli');
    const clientDependencies = client.dependencies as Record<string, string>;
    const cliDependencies = cli.dependencies as Record<string, string>;
    expect(clientDependencies['@botwire/protocol']).toBe(`^${version('@botwire/protocol')}`);
    expect(cliDependencies['@botwire/client']).toBe(`^${version('@botwire/client')}`);
    // The CLI runs a server only when one is installed next to it; it never requires the
    // private server package.
    expect(cliDependencies['@botwire/server']).toBeUndefined();
    expect(cli.peerDependenciesMeta).toMatchObject({ '@botwire/server': { optional: true } });
    // One copy of each, the packed one: nothing nested was fetched instead.
    for (const name of ['@botwire/client', '@botwire/cli']) {
      const nested = path.join(project.directory, 'node_modules', name, 'node_modules/@botwire');
      expect(existsSync(nested), nested).toBe(false);
    }
  });

  it.each(RESOLUTIONS)(
    'resolves the types under moduleResolution $moduleResolution',
    async ({ moduleResolution, module }) => {
      project.write(`types-${moduleResolution}/consumer.ts`, CONSUMER_SOURCE);
      project.write(
        `types-${moduleResolution}/tsconfig.json`,
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution,
            target: 'es2022',
            lib: ['es2023', 'dom'],
            types: [],
            strict: true,
            // zod's own declarations need it under node10; every node10 project sets it.
            esModuleInterop: true,
            noEmit: true,
            // Type-check the packages' own declarations too, not only the consumer.
            skipLibCheck: false,
          },
          files: ['consumer.ts'],
        }),
      );
      const tsconfig = path.join(project.directory, `types-${moduleResolution}/tsconfig.json`);
      await expect(project.exec(process.execPath, [TSC, '-p', tsconfig])).resolves.toBe('');
    },
  );

  it('chats in Node with ws: the reply streams and ends complete', async () => {
    project.write('chat.mjs', NODE_CHAT);
    const output = await project.exec(process.execPath, [
      'chat.mjs',
      server.url,
      ADMIN_KEY,
      server.defaultPipelineUuid,
      'hello from node',
    ]);
    expect(JSON.parse(output)).toEqual({
      status: 'complete',
      text: echo('hello from node'),
      streamed: echo('hello from node'),
    });
  });

  it(`bundles WebSocketClient for browsers in at most ${BUNDLE_BUDGET_BYTES / 1024} KB gzip`, async () => {
    const entry = project.write(
      'bundle-size/entry.js',
      "export { WebSocketClient } from '@botwire/client';\n",
    );
    const result = await build({
      entryPoints: [entry],
      absWorkingDir: project.directory,
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
    });
    const bundle = result.outputFiles[0]?.contents ?? new Uint8Array();
    const gzipped = gzipSync(bundle, { level: 9 }).length;
    console.info(
      `WebSocketClient browser bundle: ${bundle.length} bytes minified, ${gzipped} bytes gzip`,
    );
    expect(gzipped).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES);
    // zod stays out: server frames get the shape check unless the app opts into full decoding.
    expect(new TextDecoder().decode(bundle)).not.toMatch(/ZodError|\$ZodType/);
  });

  it.runIf(chromiumAvailable())(
    'chats in Chromium from an esbuild bundle of the installed SDK',
    async () => {
      const entry = project.write('browser/app.js', BROWSER_APP);
      const result = await build({
        entryPoints: [entry],
        absWorkingDir: project.directory,
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
      });
      const script = result.outputFiles[0]?.text ?? '';
      const page =
        '<!doctype html><meta charset="utf-8"><title>SDK</title><script type="module" src="/app.js"></script>';
      staticServer.on('request', (request, response) => {
        const isScript = request.url === '/app.js';
        response.writeHead(200, {
          'content-type': isScript ? 'text/javascript' : 'text/html; charset=utf-8',
        });
        response.end(isScript ? script : page);
      });
      let browser: Browser | undefined;
      try {
        browser = await launchChromium();
        const tab = await browser.newPage();
        const query = new URLSearchParams({
          base: server.url,
          token: ADMIN_KEY,
          pipeline: server.defaultPipelineUuid,
          text: 'hello from chromium',
        });
        await tab.goto(`${staticOrigin}/?${query.toString()}`);
        const handle = await tab.waitForFunction(
          () => (globalThis as { chatResult?: unknown }).chatResult,
          undefined,
          { timeout: 30_000 },
        );
        expect(await handle.jsonValue()).toEqual({
          status: 'complete',
          text: echo('hello from chromium'),
          streamed: echo('hello from chromium'),
        });
      } finally {
        await browser?.close();
      }
    },
  );

  it('gives a working botwire command, from the project and from npm i -g', async () => {
    const local = path.join(project.directory, 'node_modules/.bin/botwire');
    await expect(project.exec(local, ['--version'])).resolves.toBe(
      `${project.installedManifest('@botwire/cli').version as string}\n`,
    );
    // Without the registry, the CLI's dependencies come from their tarballs too.
    const prefix = await installGlobally(PUBLISHED_PACKAGES.map((name) => project.tarballs[name]));
    globalPrefixes.push(prefix);
    const global = path.join(prefix, 'bin/botwire');
    const env = { ...process.env, BOTWIRE_URL: server.url, BOTWIRE_API_KEY: ADMIN_KEY };
    const listed = await project.exec(global, ['pipelines', 'list', '--json'], { env });
    const pipelines = JSON.parse(listed) as { uuid: string }[];
    expect(pipelines.map((pipeline) => pipeline.uuid)).toContain(server.defaultPipelineUuid);
    // `serve` says what to install rather than crashing when the server package is absent.
    await expect(project.exec(global, ['serve'], { env })).rejects.toThrow(/@botwire\/server/);
  });

  it('links the botwire bin at a workspace root before the build, as npm ci in the repository does', async () => {
    // The repository's layout, from the packed packages: a root with the three as workspaces,
    // installed while dist/ does not exist yet (npm ci runs before npm run build).
    const run = promisify(execFile);
    const root = mkdtempSync(path.join(tmpdir(), 'botwire-workspace-'));
    globalPrefixes.push(root);
    for (const name of PUBLISHED_PACKAGES) {
      const target = path.join(root, 'packages', name.slice('@botwire/'.length));
      mkdirSync(target, { recursive: true });
      await run('tar', ['-xzf', project.tarballs[name], '-C', target, '--strip-components=1']);
      rmSync(path.join(target, 'dist'), { recursive: true });
    }
    writeFileSync(
      path.join(root, 'package.json'),
      JSON.stringify({
        name: 'workspace',
        private: true,
        workspaces: ['packages/protocol', 'packages/client', 'packages/cli'],
      }),
    );
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
      {
        cwd: root,
      },
    );
    const bin = path.join(root, 'node_modules/.bin/botwire');
    expect(existsSync(bin)).toBe(true);
    // "npm run build": dist/ appears; the linked command then works through npx.
    for (const name of PUBLISHED_PACKAGES) {
      cpSync(
        path.join(project.directory, 'node_modules', name, 'dist'),
        path.join(root, 'packages', name.slice('@botwire/'.length), 'dist'),
        { recursive: true },
      );
    }
    const { stdout } = await run('npx', ['--no-install', 'botwire', '--version'], { cwd: root });
    expect(stdout).toBe(`${project.installedManifest('@botwire/cli').version as string}\n`);
  });
});
