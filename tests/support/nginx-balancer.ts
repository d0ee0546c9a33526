import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, beforeEach } from 'vitest';
import { nginxTestConfig } from './nginx-config.js';

/** The nginx the tests run: `BOTWIRE_TEST_NGINX`, or Debian's (`nginx-light`; CI installs it). */
export const TEST_NGINX = process.env.BOTWIRE_TEST_NGINX ?? '/usr/sbin/nginx';

/** How long nginx may take to accept connections on a loaded machine. */
const START_TIMEOUT_MS = 20_000;
/** How long a fast shutdown may take before the process group is killed. */
const STOP_TIMEOUT_MS = 5_000;
/** Attempts at a free port: another process may take the one picked before nginx binds it. */
const PORT_ATTEMPTS = 3;

/** A running nginx balancing over Botwire nodes. */
export interface NginxBalancer {
  /** `http://127.0.0.1:<port>`: REST through nginx. */
  url: string;
  /** `ws://127.0.0.1:<port>`: WebSockets through nginx. */
  wsUrl: string;
  port: number;
  /** The generated `nginx.conf`. */
  config: string;
  /** What nginx wrote to stderr (its error log) so far. */
  output(): string;
  /** Stops nginx (fast shutdown, then SIGKILL to its process group) and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Fails the tests of the calling `describe` when nginx is missing and `CI` is set (CI must not
 * pass by skipping them), and skips them with the reason otherwise: as for PostgreSQL. Returns
 * whether nginx is missing, for a `beforeAll` that would start it (call it in that hook).
 */
export function requireNginx(): () => boolean {
  let missing: string | undefined;
  beforeAll(() => {
    try {
      accessSync(TEST_NGINX, constants.X_OK);
    } catch (error) {
      const reason = `nginx is not executable at ${TEST_NGINX} (${error instanceof Error ? error.message : String(error)})`;
      if (process.env.CI !== undefined && process.env.CI !== '') {
        throw new Error(
          `${reason}. CI is set, so the nginx tests fail instead of being skipped: install nginx-light (.ci/run does) or point BOTWIRE_TEST_NGINX at an nginx.`,
          { cause: error },
        );
      }
      missing = reason;
    }
  });
  beforeEach((context) => {
    if (missing !== undefined) context.skip(missing);
  });
  return () => missing !== undefined;
}

/** A loopback port nothing listens on right now (bound once, then released for nginx). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was bound');
  return address.port;
}

/** Signals nginx's master and worker; a group already gone is fine. */
function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // Already exited.
  }
}

/** Whether a TCP connection to the loopback port succeeds. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts `nginx` in the foreground in front of `upstreams` (`host:port` each), on a free
 * loopback port, with its config, pid file, logs and temp files in a fresh temp directory.
 * Resolves once nginx accepts connections.
 */
export async function startNginxBalancer(upstreams: readonly string[]): Promise<NginxBalancer> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
    try {
      return await startOnce(upstreams, await freePort());
    } catch (error) {
      lastError = error;
      // Only a lost race for the port is worth another try.
      if (!(error instanceof Error) || !/Address already in use/.test(error.message)) throw error;
    }
  }
  throw lastError;
}

async function startOnce(upstreams: readonly string[], port: number): Promise<NginxBalancer> {
  const directory = mkdtempSync(path.join(tmpdir(), 'botwire-nginx-'));
  const config = nginxTestConfig({
    upstreams,
    listen: `127.0.0.1:${port}`,
    directory,
    asRoot: process.getuid?.() === 0,
  });
  const configFile = path.join(directory, 'nginx.conf');
  writeFileSync(configFile, config);
  // Its own process group, so stop() can reach the worker too if the master does not exit.
  const child = spawn(TEST_NGINX, ['-p', `${directory}/`, '-c', configFile, '-e', 'stderr'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      output += `${error.message}\n`;
      exited = true;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    const group = child.pid;
    if (!exited && group !== undefined) {
      signalGroup(group, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS);
      });
      if ((await Promise.race([exit, late])) === 'late') {
        signalGroup(group, 'SIGKILL');
        await exit;
      }
      clearTimeout(timer);
    }
    rmSync(directory, { recursive: true, force: true });
  };

  // The pid file is written once the port is bound: a connection accepted before that would be
  // another process's, one that took the port first.
  const pidFile = path.join(directory, 'nginx.pid');
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (exited || !existsSync(pidFile) || !(await accepts(port))) {
    if (exited || Date.now() > deadline) {
      await stop();
      throw new Error(
        `nginx ${exited ? 'exited' : `did not accept connections within ${START_TIMEOUT_MS} ms`} on 127.0.0.1:${port}:\n${output}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    config,
    output: () => output,
    stop,
  };
}
