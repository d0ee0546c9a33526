import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  GenerationContext,
  ReplyQueue,
  ReplyQueueTarget,
} from '../conversations/reply-queue.js';
import { createLogger } from '../logging/logger.js';
import { InProcessClusterHub } from './in-process-cluster-bus.js';
import { RedisGenerationHub } from './redis-generation-hub.js';
import type { JobCodec } from './redis-reply-queue.js';

/** The machine's Redis (CI starts it); `BOTWIRE_TEST_REDIS_URL` points elsewhere. */
const REDIS_URL = process.env.BOTWIRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `botwire-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
const logger = createLogger({ level: 'silent' });
const LEASE_MS = 1_000;
const identity = { pipelineUuid: 'p', sessionType: 'person', key: 'alice' } as const;
const codec: JobCodec<string> = {
  encode: (job) => JSON.stringify(job),
  decode: (text) => {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  },
};

/** What one node saw of the conversation's jobs. */
interface NodeLog {
  started: string[];
  recovered: number;
  /** Resolvers of the running jobs: a job runs until released (or aborted). */
  release: Map<string, () => void>;
  contexts: Map<string, GenerationContext>;
}

let admin: Redis;
const bus = new InProcessClusterHub();
const hubs: RedisGenerationHub[] = [];
let nextConversation = 1;

beforeAll(async () => {
  admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
});

afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

/** A node: its own hub (own Redis connection) and its queue of conversation `conversationId`. */
async function node(nodeId: string, conversationId: number, maxQueued = 5) {
  const hub = await RedisGenerationHub.connect({
    url: REDIS_URL,
    prefix,
    bus: bus.join(`${nodeId}-${conversationId}`),
    logger,
    leaseMs: LEASE_MS,
    sweepIntervalMs: 100,
  });
  hubs.push(hub);
  const log: NodeLog = { started: [], recovered: 0, release: new Map(), contexts: new Map() };
  const target: ReplyQueueTarget<string> = {
    identity,
    key: 'alice',
    conversationId,
    maxQueued,
    run: (job, context) =>
      new Promise<void>((resolve, reject) => {
        log.started.push(job);
        log.contexts.set(job, context);
        log.release.set(job, resolve);
        context.signal.addEventListener('abort', () => reject(new Error('aborted')));
      }),
    onError: () => undefined,
    recoverAbandoned: () => {
      log.recovered += 1;
      return Promise.resolve();
    },
  };
  const queue = hub.createQueue(codec)(target);
  hub.start(() => Promise.resolve({ conversationId }));
  return { hub, queue, log };
}

async function add(queue: ReplyQueue<string>, job: string): Promise<void> {
  const reservation = await queue.reserve();
  if (reservation === undefined) throw new Error(`no room for ${job}`);
  reservation.add(job);
}

async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Two nodes of a new conversation, node a running its job `one`. */
async function runningOnA() {
  const conversation = nextConversation++;
  const a = await node('a', conversation);
  const b = await node('b', conversation);
  await add(a.queue, 'one');
  await eventually(() => a.log.started.length === 1);
  return { a, b };
}

describe('RedisReplyQueue', () => {
  it('runs the jobs both nodes add on the lease holder, one at a time and in order', async () => {
    const { a, b } = await runningOnA();
    await add(b.queue, 'two');
    await add(a.queue, 'three');
    expect(a.queue.isBusy).toBe(true);
    a.log.release.get('one')?.();
    await eventually(() => a.log.started.length === 2);
    a.log.release.get('two')?.();
    await eventually(() => a.log.started.length === 3);
    a.log.release.get('three')?.();
    await a.queue.drained();
    expect(a.log.started).toEqual(['one', 'two', 'three']);
    expect(b.log.started).toEqual([]);
    // Idle again: the next job starts on whichever node adds it.
    await add(b.queue, 'four');
    await eventually(() => b.log.started.length === 1);
    b.log.release.get('four')?.();
    await b.queue.drained();
  });

  it('counts running, waiting and reserved slots of every node against one limit', async () => {
    const conversation = nextConversation++;
    const a = await node('a', conversation, 1);
    const b = await node('b', conversation, 1);
    const first = await a.queue.reserve();
    expect(first?.first).toBe(true);
    const second = await b.queue.reserve();
    expect(second?.first).toBe(false);
    expect(await a.queue.reserve()).toBeUndefined();
    second?.release();
    const again = await b.queue.reserve();
    expect(again).toBeDefined();
    first?.add('x');
    again?.add('y');
    await eventually(() => a.log.started.length === 1 || b.log.started.length === 1);
    expect(await a.queue.reserve()).toBeUndefined();
    const holder = a.log.started.length === 1 ? a : b;
    holder.log.release.get('x')?.();
    await eventually(() => holder.log.started.length === 2);
    holder.log.release.get('y')?.();
    await holder.queue.drained();
  });

  it('cancels and stops a reply running on another node', async () => {
    const { a, b } = await runningOnA();
    a.log.contexts.get('one')?.setReplyId(41);
    expect(await b.queue.cancel(40)).toBe(false);
    expect(await b.queue.cancel(41)).toBe(true);
    expect(a.log.contexts.get('one')?.signal.reason).toBe('cancelled');
    await a.queue.drained();
    await add(a.queue, 'two');
    await add(a.queue, 'three');
    await eventually(() => a.log.started.length === 2);
    // Stop: the waiting job is dropped, the running one stopped before stopAll resolves.
    await b.queue.stopAll('cancelled');
    expect(a.log.contexts.get('two')?.signal.aborted).toBe(true);
    await a.queue.drained();
    expect(a.log.started).toEqual(['one', 'two']);
  });

  it('is taken over when its holder stops renewing: abandoned reply ended, waiting job run', async () => {
    const { a, b } = await runningOnA();
    await add(b.queue, 'two');
    // Node a dies: its Redis connection and timers go, its lease is never renewed again.
    await a.hub.close();
    await eventually(() => b.log.started.includes('two'), LEASE_MS + 3_000);
    expect(b.log.recovered).toBe(1);
    expect(b.log.started).toEqual(['two']);
    b.log.release.get('two')?.();
    await b.queue.drained();
  });

  it('hands waiting jobs over at shutdown, after the running one', async () => {
    const { a, b } = await runningOnA();
    await add(a.queue, 'two');
    a.hub.beginShutdown();
    await a.queue.relinquish();
    expect(a.log.contexts.get('one')?.signal.reason).toBe('interrupted');
    await eventually(() => b.log.started.includes('two'));
    expect(a.log.started).toEqual(['one']);
    b.log.release.get('two')?.();
    await b.queue.drained();
  });
});
