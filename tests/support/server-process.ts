import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../packages/server/dist/main.js', import.meta.url));

/** A static admin key every test server accepts. */
export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';
export const ADMIN_PASSWORD = 'admin-password-123';

/** Options for {@link startServerProcess}. */
export interface ServerProcessOptions {
  /** Extra environment, e.g. `{ BOTWIRE_HEARTBEAT_INTERVAL_MS: '200' }`. */
  env?: Record<string, string>;
  /** Reuse a data directory (to test restarts); a fresh temp one otherwise. */
  dataDir?: string;
}

/** A real Botwire server process on a free port, with its own SQLite file. */
export interface ServerProcess {
  url: string;
  wsUrl: string;
  dataDir: string;
  defaultPipelineUuid: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a crash) and wait for exit. */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts `node packages/server/dist/main.js` (built by `npm test`'s pretest) on port 0. */
export async function startServerProcess(
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'botwire-e2e-'));
  const ownsDataDir = options.dataDir === undefined;
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      BOTWIRE_PORT: '0',
      BOTWIRE_HOST: '127.0.0.1',
      BOTWIRE_DATA_DIR: dataDir,
      BOTWIRE_API_KEYS: ADMIN_KEY,
      BOTWIRE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      BOTWIRE_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const starting = new Promise<{ url: string; pipeline: string }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in time:\n${output}`)),
      15_000,
    );
    const check = (): void => {
      const url = /running at (http:\/\/[^\s]+)/.exec(output)?.[1];
      const pipeline = /pipelines\/([0-9a-f-]{36})\/ws\/connect/.exec(output)?.[1];
      if (url !== undefined && pipeline !== undefined) {
        clearTimeout(timer);
        resolve({ url, pipeline });
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before starting:\n${output}`));
    });
  });
  let started: { url: string; pipeline: string };
  try {
    started = await starting;
  } catch (error) {
    child.kill('SIGKILL');
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  let stopped = false;
  const cleanUp = (): void => {
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const server: ServerProcess = {
    url: started.url,
    wsUrl: started.url.replace(/^http/, 'ws'),
    dataDir,
    defaultPipelineUuid: started.pipeline,
    child,
    output: () => output,
    async stop() {
      if (!stopped) {
        stopped = true;
        child.kill('SIGTERM');
      }
      return exited;
    },
    async kill() {
      stopped = true;
      child.kill('SIGKILL');
      await exited;
    },
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null && child.signalCode === null) await server.kill();
      cleanUp();
    },
  };
  return server;
}
