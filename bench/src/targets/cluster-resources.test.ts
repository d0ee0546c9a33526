import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClusterResources, deleteRedisKeys } from './cluster-resources.js';

// The machine's own servers, as the cluster tests use them (CI starts both).
const POSTGRES_URL =
  process.env.BOTWIRE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BOTWIRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let redis: Redis;
let unreachable: string | undefined;

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const result = await client.query('select 1 from pg_database where datname = $1', [name]);
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await databaseExists('postgres');
  } catch (error) {
    unreachable = error instanceof Error ? error.message : String(error);
    // CI must not pass by skipping.
    if (process.env.CI !== undefined && process.env.CI !== '') throw error;
  }
});

beforeEach((context) => {
  if (unreachable !== undefined) context.skip(`PostgreSQL or Redis unreachable: ${unreachable}`);
});

afterAll(() => {
  redis.disconnect();
});

describe('createClusterResources', () => {
  it('makes a database and a prefix of its own, and removes both (twice is harmless)', async () => {
    const resources = await createClusterResources({
      postgresUrl: POSTGRES_URL,
      redisUrl: REDIS_URL,
    });
    expect(resources.databaseName).toMatch(/^botwire_bench_\d+_[0-9a-f]{8}$/);
    expect(resources.databaseUrl).toContain(`/${resources.databaseName}`);
    expect(await databaseExists(resources.databaseName)).toBe(true);
    await redis.set(`${resources.redisPrefix}nodes`, 'x');
    await redis.set(`${resources.redisPrefix}conversation:1:seq`, '5');

    await resources.remove();
    await resources.remove();

    expect(await databaseExists(resources.databaseName)).toBe(false);
    expect(await redis.exists(`${resources.redisPrefix}nodes`)).toBe(0);
    expect(await redis.exists(`${resources.redisPrefix}conversation:1:seq`)).toBe(0);
  });
});

describe('deleteRedisKeys', () => {
  it('deletes every key under the prefix over several SCAN steps, and no other key', async () => {
    const prefix = `botwire-bench-test:${process.pid}:${Date.now()}:`;
    const neighbour = `${prefix.slice(0, -1)}-other:keep`;
    const keys = Array.from({ length: 2_500 }, (_unused, index) => `${prefix}key:${index}`);
    await redis.mset(...keys.flatMap((key) => [key, '1']));
    await redis.set(neighbour, '1');
    try {
      expect(await deleteRedisKeys(REDIS_URL, prefix)).toBe(2_500);
      expect(await redis.exists(...keys.slice(0, 10))).toBe(0);
      expect(await redis.exists(neighbour)).toBe(1);
    } finally {
      await redis.del(neighbour, ...keys);
    }
  });
});
