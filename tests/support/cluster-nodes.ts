import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** The Redis cluster tests use: `BOTWIRE_TEST_REDIS_URL`, or this machine's (CI starts it). */
export const TEST_REDIS_URL = process.env.BOTWIRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own for one test file, so tests sharing the Redis never meet. */
export function uniqueRedisPrefix(): string {
  return `botwire-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** Deletes every key under `prefix` (the node list Botwire keeps there). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Options for {@link startClusterNode}. */
export interface ClusterNodeOptions {
  databaseUrl: string;
  prefix: string;
  nodeId: string;
  env?: Record<string, string>;
}

/** A real server process in cluster mode: the shared database and Redis, its own port. */
export function startClusterNode(options: ClusterNodeOptions): Promise<ServerProcess> {
  return startServerProcess({
    env: {
      BOTWIRE_DATABASE_URL: options.databaseUrl,
      BOTWIRE_REDIS_URL: TEST_REDIS_URL,
      BOTWIRE_REDIS_PREFIX: options.prefix,
      BOTWIRE_NODE_ID: options.nodeId,
      ...options.env,
    },
  });
}

/** `/readyz` as status and body. */
export async function readiness(
  url: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
