import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { Logger } from '../logging/logger.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterMessage } from './cluster-message.js';
import { RedisClusterBus } from './redis-cluster-bus.js';

/** The machine's Redis (CI starts it); `BOTWIRE_TEST_REDIS_URL` points elsewhere. */
const REDIS_URL = process.env.BOTWIRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `botwire-test:${process.pid}:${randomBytes(4).toString('hex')}:`;

let admin: Redis;
const buses: RedisClusterBus[] = [];

function captureLogger(): { logger: Logger; lines: () => string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
  return { logger, lines: () => lines };
}

async function join(
  nodeId: string,
  logger: Logger = pino({ level: 'silent' }),
): Promise<RedisClusterBus> {
  const bus = await RedisClusterBus.connect({ url: REDIS_URL, prefix, nodeId, logger });
  buses.push(bus);
  return bus;
}

function nextMessage(bus: RedisClusterBus): Promise<ClusterMessage> {
  return new Promise((resolve) => bus.onMessage(resolve));
}

beforeAll(async () => {
  admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
});

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

describe('RedisClusterBus', () => {
  it('delivers a message to the other nodes with its origin, not back to the sender', async () => {
    const a = await join('node-a');
    const b = await join('node-b');
    const toSelf: ClusterMessage[] = [];
    a.onMessage((message) => toSelf.push(message));
    const received = nextMessage(b);
    await a.publish({ type: 'pipeline_deleted', pipeline_uuid: 'p1' });
    expect(await received).toEqual({
      type: 'pipeline_deleted',
      origin: 'node-a',
      pipeline_uuid: 'p1',
    });
    // a's own copy arrives on its subscriber too and is dropped there.
    await b.publish({ type: 'pipeline_changed', pipeline_uuid: 'p2' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(toSelf).toEqual([{ type: 'pipeline_changed', origin: 'node-b', pipeline_uuid: 'p2' }]);
    expect(a.available).toBe(true);
    expect(a.clustered).toBe(true);
  });

  it('logs and drops a malformed message, then keeps delivering', async () => {
    const capture = captureLogger();
    const b = await join('node-b', capture.logger);
    const received: ClusterMessage[] = [];
    b.onMessage((message) => received.push(message));
    const a = await join('node-a');
    await admin.publish(`${prefix}bus`, '{"type":"revoked","origin":"x","revocation":{}}');
    await admin.publish(`${prefix}bus`, 'not json at all');
    const next = nextMessage(b);
    await a.publish({ type: 'broadcast', pipeline_uuid: 'p', message: 'still here' });
    expect(await next).toMatchObject({ type: 'broadcast', message: 'still here' });
    expect(received).toHaveLength(1);
    const drops = capture.lines().filter((line) => line.includes('dropped a malformed message'));
    expect(drops).toHaveLength(2);
  });

  it('keeps a handler that throws from reaching the process', async () => {
    const capture = captureLogger();
    const b = await join('node-b', capture.logger);
    b.onMessage(() => {
      throw new Error('handler bug');
    });
    const after = nextMessage(b);
    const a = await join('node-a');
    await a.publish({ type: 'pipeline_changed', pipeline_uuid: 'p' });
    await after;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(capture.lines().join('')).toContain('could not apply a message from the cluster bus');
  });

  it('lists the live nodes and forgets a node that closed', async () => {
    const a = await join('node-a');
    const b = await join('node-b');
    expect((await a.liveNodes()).sort()).toEqual(['node-a', 'node-b']);
    await b.close();
    expect(await a.liveNodes()).toEqual(['node-a']);
  });

  it('refuses to start when Redis cannot be reached, with CLUSTER_UNAVAILABLE', async () => {
    await expect(
      RedisClusterBus.connect({
        url: 'redis://:secret@127.0.0.1:1',
        prefix,
        nodeId: 'nowhere',
        logger: pino({ level: 'silent' }),
      }),
    ).rejects.toMatchObject({
      code: 'CLUSTER_UNAVAILABLE',
      message: expect.stringMatching(
        /^Redis \(redis:\/\/:\*\*\*@127\.0\.0\.1:1\) cannot be reached/,
      ),
    });
  });
});
