import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BENCH_KEY,
  broadcastThrough,
  connectUrl,
  createBenchPipeline,
  startBotwireProcess,
} from './botwire-process.js';
import type { RunningTarget, TargetStartOptions } from './target.js';

/**
 * Starts Botwire as a user would (`node packages/server/dist/main.js`) on a free port with its
 * own temporary data directory, and creates a pipeline on the `bench` runner.
 */
export async function startBotwireTarget(options: TargetStartOptions): Promise<RunningTarget> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'botwire-bench-'));
  const removeDataDir = (): void => rmSync(dataDir, { recursive: true, force: true });
  let server;
  try {
    server = await startBotwireProcess({
      environment: {
        BOTWIRE_DATA_DIR: dataDir,
        // Set it to measure Botwire on PostgreSQL (a fresh database); SQLite otherwise.
        ...(process.env.BOTWIRE_DATABASE_URL === undefined
          ? {}
          : { BOTWIRE_DATABASE_URL: process.env.BOTWIRE_DATABASE_URL }),
      },
      nodeArguments: options.nodeArguments ?? [],
      label: 'Botwire',
    });
  } catch (error) {
    removeDataDir();
    throw error;
  }
  const { baseUrl } = server;
  const stop = async (): Promise<void> => {
    await server.stop();
    removeDataDir();
  };
  let uuid: string;
  try {
    uuid = await createBenchPipeline(baseUrl, options.reply);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name: 'botwire',
    pids: [server.pid],
    connect: {
      dialect: 'ws',
      urls: [connectUrl(baseUrl, uuid)],
      headers: { authorization: `Bearer ${BENCH_KEY}` },
    },
    broadcast: (message) => broadcastThrough(baseUrl, uuid, message),
    stop,
  };
}
