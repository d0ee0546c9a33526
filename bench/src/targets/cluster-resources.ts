import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { registerCleanup } from '../child-processes.js';

/** Keys deleted per UNLINK, and SCAN's hint of keys per step. */
const KEY_BATCH = 1_000;
/** Bounds the SCAN loop: 100 000 steps of about 1 000 keys is far more than a run makes. */
const MAX_SCAN_STEPS = 100_000;

/** What a cluster run stores outside its processes, made fresh for one target start. */
export interface ClusterResources {
  /** `botwire_bench_<pid>_<hex>`. */
  databaseName: string;
  /** What the nodes get as `BOTWIRE_DATABASE_URL`. */
  databaseUrl: string;
  /** `botwire-bench:<pid>:<hex>:`, what the nodes get as `BOTWIRE_REDIS_PREFIX`. */
  redisPrefix: string;
  /** Drops the database and deletes every key under the prefix; safe to call twice. */
  remove(): Promise<void>;
}

async function onPostgres(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Deletes every key whose name starts with `prefix`, in batches, without blocking Redis. */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    for (let step = 0; step < MAX_SCAN_STEPS; step += 1) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', KEY_BATCH);
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/**
 * Makes a fresh PostgreSQL database and picks a Redis key prefix of its own, so a run never
 * meets other data on shared servers. Removal is registered with the interrupt handlers too, so
 * a run stopped by a signal or the watchdog still drops what it made.
 */
export async function createClusterResources(settings: {
  postgresUrl: string;
  redisUrl: string;
}): Promise<ClusterResources> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const databaseName = `botwire_bench_${suffix}`;
  const redisPrefix = `botwire-bench:${suffix.replace('_', ':')}:`;
  await onPostgres(settings.postgresUrl, `create database "${databaseName}"`);
  const databaseUrl = new URL(settings.postgresUrl);
  databaseUrl.pathname = `/${databaseName}`;
  let removed: Promise<void> | undefined;
  const remove = (): Promise<void> => {
    removed ??= (async () => {
      unregister();
      // FORCE ends connections a killed node left behind.
      await onPostgres(
        settings.postgresUrl,
        `drop database if exists "${databaseName}" with (force)`,
      ).finally(() => deleteRedisKeys(settings.redisUrl, redisPrefix));
    })();
    return removed;
  };
  const unregister = registerCleanup(remove);
  return { databaseName, databaseUrl: databaseUrl.toString(), redisPrefix, remove };
}
