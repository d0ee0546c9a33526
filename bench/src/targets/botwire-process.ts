import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild, trackChild, waitForOutput } from '../child-processes.js';

const SERVER_MAIN = fileURLToPath(
  new URL('../../../packages/server/dist/main.js', import.meta.url),
);

/** The static admin key the benchmark's Botwire accepts (loopback only, thrown away after). */
export const BENCH_KEY = 'bench-static-key-0123456789abcdef';

/**
 * Settings every benchmarked Botwire process gets. Limits that exist to protect a server from
 * abusive clients are raised so they do not cap the measurement: the connection limits (every
 * bench client uses the same key) and the frame rate limit.
 */
const COMMON_ENVIRONMENT: Record<string, string> = {
  BOTWIRE_HOST: '127.0.0.1',
  BOTWIRE_PORT: '0',
  BOTWIRE_LOG_LEVEL: 'warn',
  BOTWIRE_API_KEYS: BENCH_KEY,
  BOTWIRE_ADMIN_PASSWORD: 'bench-admin-password',
  BOTWIRE_MAX_CONNECTIONS: '1000000',
  BOTWIRE_MAX_CONNECTIONS_PER_PRINCIPAL: '1000000',
  BOTWIRE_MAX_FRAMES_PER_SECOND: '100000',
};

/** Options for {@link startBotwireProcess}. */
export interface BotwireProcessOptions {
  /** Settings on top of the common ones (data directory, database, cluster). */
  environment: Record<string, string>;
  /** Node.js arguments before the entry point, e.g. `--cpu-prof`. */
  nodeArguments: string[];
  /** Names the process in errors, e.g. `Botwire node 2`. */
  label: string;
}

/** A Botwire server process that printed its URL. */
export interface BotwireProcess {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  stop(): Promise<void>;
}

/** Starts `node packages/server/dist/main.js` as a user would, and waits for its URL. */
export async function startBotwireProcess(options: BotwireProcessOptions): Promise<BotwireProcess> {
  const child = trackChild(
    spawn(process.execPath, [...options.nodeArguments, SERVER_MAIN], {
      env: { PATH: process.env.PATH ?? '', ...COMMON_ENVIRONMENT, ...options.environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let baseUrl: string;
  try {
    const ready = await waitForOutput(child, /running at (http:\/\/\S+)/, 30_000, options.label);
    baseUrl = ready[1] ?? '';
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  if (child.pid === undefined) throw new Error(`${options.label} has no pid`);
  // Nobody reads the output from here on; keep the pipes flowing so a chatty log cannot block.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, pid: child.pid, baseUrl, stop: () => stopChild(child, 10_000) };
}

/** Sends an admin REST request to Botwire and returns `data` of the envelope. */
export async function restCall(
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

/** Creates the pipeline on the `bench` runner every scenario talks to; returns its uuid. */
export async function createBenchPipeline(
  baseUrl: string,
  reply: { chunks: number; chunkBytes: number; intervalMs: number },
): Promise<string> {
  const created = await restCall(baseUrl, 'POST', '/api/v1/pipelines', {
    name: 'bench',
    runner: {
      type: 'bench',
      settings: {
        chunks: reply.chunks,
        chunk_bytes: reply.chunkBytes,
        interval_ms: reply.intervalMs,
      },
    },
  });
  return (created.pipeline as { uuid: string }).uuid;
}

/** The WebSocket URL of the bench pipeline on one node, up to its query. */
export function connectUrl(baseUrl: string, pipelineUuid: string): string {
  return `${baseUrl.replace(/^http/, 'ws')}/api/v1/pipelines/${pipelineUuid}/ws/connect?session_type=person`;
}

/** Sends a broadcast through one node; returns how many connections that node says it reached. */
export async function broadcastThrough(
  baseUrl: string,
  pipelineUuid: string,
  message: string,
): Promise<number> {
  const data = await restCall(baseUrl, 'POST', `/api/v1/pipelines/${pipelineUuid}/ws/broadcast`, {
    message,
  });
  return Number(data.sent);
}
