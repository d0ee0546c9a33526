import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild, trackChild, waitForOutput } from '../child-processes.js';
import type { RunningTarget, TargetStartOptions } from './target.js';

const SERVER_MAIN = fileURLToPath(
  new URL('../../../packages/server/dist/main.js', import.meta.url),
);

/** The static admin key the benchmark's Botwire accepts (loopback only, thrown away after). */
const BENCH_KEY = 'bench-static-key-0123456789abcdef';

/** Sends an admin REST request to Botwire and returns `data` of the envelope. */
async function restCall(
  baseUrl: string,
  method: string,
  route: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const envelope = (await response.json()) as { data?: Record<string, unknown> };
  if (!response.ok || envelope.data === undefined) {
    throw new Error(`${method} ${route} answered ${response.status}: ${JSON.stringify(envelope)}`);
  }
  return envelope.data;
}

/**
 * Starts Botwire as a user would (`node packages/server/dist/main.js`) on a free port with its
 * own temporary data directory, and creates a pipeline on the `bench` runner. Limits that exist
 * to protect a server from abusive clients are raised so they do not cap the measurement: the
 * connection limits (every bench client uses the same key) and the frame rate limit.
 */
export async function startBotwireTarget(options: TargetStartOptions): Promise<RunningTarget> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'botwire-bench-'));
  const child = trackChild(
    spawn(process.execPath, [...(options.nodeArguments ?? []), SERVER_MAIN], {
      env: {
        PATH: process.env.PATH ?? '',
        BOTWIRE_HOST: '127.0.0.1',
        BOTWIRE_PORT: '0',
        BOTWIRE_DATA_DIR: dataDir,
        BOTWIRE_LOG_LEVEL: 'warn',
        BOTWIRE_API_KEYS: BENCH_KEY,
        BOTWIRE_ADMIN_PASSWORD: 'bench-admin-password',
        BOTWIRE_MAX_CONNECTIONS: '1000000',
        BOTWIRE_MAX_CONNECTIONS_PER_PRINCIPAL: '1000000',
        BOTWIRE_MAX_FRAMES_PER_SECOND: '100000',
        // Set it to measure Botwire on PostgreSQL (a fresh database); SQLite otherwise.
        ...(process.env.BOTWIRE_DATABASE_URL === undefined
          ? {}
          : { BOTWIRE_DATABASE_URL: process.env.BOTWIRE_DATABASE_URL }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const removeDataDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  let baseUrl: string;
  try {
    const ready = await waitForOutput(child, /running at (http:\/\/\S+)/, 20_000, 'Botwire');
    baseUrl = ready[1] ?? '';
  } catch (error) {
    child.kill('SIGKILL');
    removeDataDir();
    throw error;
  }
  const created = await restCall(baseUrl, 'POST', '/api/v1/pipelines', {
    name: 'bench',
    runner: {
      type: 'bench',
      settings: {
        chunks: options.reply.chunks,
        chunk_bytes: options.reply.chunkBytes,
        interval_ms: options.reply.intervalMs,
      },
    },
  });
  const uuid = (created.pipeline as { uuid: string }).uuid;
  if (child.pid === undefined) throw new Error('Botwire has no pid');
  return {
    name: 'botwire',
    pid: child.pid,
    connect: {
      dialect: 'ws',
      url: `${baseUrl.replace(/^http/, 'ws')}/api/v1/pipelines/${uuid}/ws/connect?session_type=person`,
      headers: { authorization: `Bearer ${BENCH_KEY}` },
    },
    async broadcast(message: string): Promise<number> {
      const data = await restCall(baseUrl, 'POST', `/api/v1/pipelines/${uuid}/ws/broadcast`, {
        message,
      });
      return Number(data.sent);
    },
    async stop(): Promise<void> {
      await stopChild(child, 10_000);
      removeDataDir();
    },
  };
}
