import { Redis, type RedisOptions } from 'ioredis';
import { BotwireError } from '../errors/botwire-error.js';

const REDIS_CONNECT_TIMEOUT_MS = 5_000;

/** A Redis URL fit for logs and errors: its password replaced by `***`. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparsable URL)';
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One of a node's Redis connections, not yet connected. Every one retries for ever, at most every
 * 2 seconds, so a node waits out a Redis restart by itself. A command connection (`subscriber`
 * false) has no offline queue: a command while Redis is down fails at once instead of being
 * held and sent late; a subscriber resubscribes its channels after a reconnect.
 */
export function createRedisConnection(options: {
  url: string;
  /** Named in `CLIENT LIST` as `botwire:<node id>:<role>`. */
  nodeId: string;
  role: string;
  subscriber?: boolean;
}): Redis {
  const common: RedisOptions = {
    lazyConnect: true,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    retryStrategy: (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2_000),
    maxRetriesPerRequest: 1,
    connectionName: `botwire:${options.nodeId}:${options.role}`,
  };
  return new Redis(
    options.url,
    options.subscriber === true
      ? { ...common, autoResubscribe: true }
      : { ...common, enableOfflineQueue: false },
  );
}

/** Connects `connections` in turn; fails with `CLUSTER_UNAVAILABLE` naming the URL and cause. */
export async function connectRedis(url: string, connections: readonly Redis[]): Promise<void> {
  try {
    for (const connection of connections) await connection.connect();
  } catch (error) {
    throw new BotwireError(
      'CLUSTER_UNAVAILABLE',
      `Redis (${describeRedisUrl(url)}) cannot be reached: ${reasonOf(error)}.`,
      { cause: error },
    );
  }
}
