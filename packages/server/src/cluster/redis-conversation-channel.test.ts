import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  ConversationChannel,
  ConversationChannelTarget,
} from '../conversations/conversation-channel.js';
import type { ConversationEvent } from '../conversations/conversation-event.js';
import { createLogger } from '../logging/logger.js';
import type { Store } from '../storage/store.js';
import { useTemporaryStores } from '../storage/temporary-store.test-support.js';
import {
  RedisChannelCommands,
  conversationRedisNames,
  defineChannelScripts,
} from './redis-channel-commands.js';
import { RedisChannelHub } from './redis-channel-hub.js';
import { RedisConversationChannel } from './redis-conversation-channel.js';

/** The machine's Redis (CI starts it); `BOTWIRE_TEST_REDIS_URL` points elsewhere. */
const REDIS_URL = process.env.BOTWIRE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `botwire-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
const logger = createLogger({ level: 'silent' });
const reset = { type: 'session_reset', timestamp: '2026-12-06T00:00:00.000Z' } as const;
const WINDOW = 20;

const stores = useTemporaryStores();
let admin: Redis;
const hubs: RedisChannelHub[] = [];

beforeAll(async () => {
  admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await admin.connect();
  defineChannelScripts(admin);
});

afterEach(async () => {
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length > 0) await admin.del(...keys);
  admin.disconnect();
});

/** One store (the shared database) and a conversation in it. */
async function conversationIn(): Promise<{ store: Store; target: ConversationChannelTarget }> {
  const { store } = await stores.open();
  const pipeline = await store.pipelines.create({
    name: 'P',
    description: '',
    runner: { type: 'echo', settings: { delay_ms: 0 } },
  });
  const stored = await store.conversations.getOrCreate({
    pipelineUuid: pipeline.uuid,
    sessionType: 'person',
    key: 'alice',
  });
  return {
    store,
    target: { key: 'alice', conversationId: stored.id, seqReserved: stored.seqReserved },
  };
}

/** A node: its own hub (own Redis connections) on the shared store. */
async function node(
  store: Store,
  nodeId: string,
  replayBudgetBytes?: number,
): Promise<RedisChannelHub> {
  const hub = await RedisChannelHub.connect({
    url: REDIS_URL,
    prefix,
    nodeId,
    store,
    logger,
    replayWindow: WINDOW,
    ...(replayBudgetBytes === undefined ? {} : { replayBudgetBytes }),
  });
  hubs.push(hub);
  return hub;
}

/**
 * A node's channel of `target` whose Redis messages the test hands over itself with `receive`
 * (nothing subscribes for it), delivered so far up to `lastSeq`.
 */
function handFedChannel(
  target: ConversationChannelTarget,
  lastSeq: number,
): RedisConversationChannel {
  const names = conversationRedisNames(prefix, target.conversationId);
  return new RedisConversationChannel(
    new RedisChannelCommands(admin, names, { window: WINDOW, ttlMs: 60_000 }),
    {
      lastSeq,
      logger,
      onSequence: () => undefined,
      storedReservation: () => Promise.resolve(0),
      detach: () => undefined,
    },
  );
}

/** Collects what a started subscription delivers. */
async function listen(channel: ConversationChannel, afterSeq?: number) {
  const seen: ConversationEvent[] = [];
  const subscription = await channel.subscribe((event) => seen.push(event), afterSeq);
  subscription.start();
  return { subscription, seen };
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

describe('RedisConversationChannel', () => {
  it('numbers concurrent appends of two nodes uniquely, and both nodes see one order', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const b = await (await node(store, 'b')).createChannel(target);
    const first = a.lastSeq;
    expect(b.lastSeq).toBe(first);
    const onA = await listen(a);
    const onB = await listen(b);
    const appends: Promise<ConversationEvent>[] = [];
    for (let index = 0; index < 50; index += 1) {
      appends.push(a.append({ ...reset, timestamp: `a${index}` }));
      appends.push(b.append({ ...reset, timestamp: `b${index}` }));
    }
    const events = await Promise.all(appends);
    const seqs = events.map((event) => event.seq);
    expect(new Set(seqs).size).toBe(100);
    expect([...seqs].sort((x, y) => x - y)).toEqual(range(first + 1, first + 100));
    // Call order is seq order within each node.
    const ofNode = (index: number) => seqs.filter((_, position) => position % 2 === index);
    for (const own of [ofNode(0), ofNode(1)]) expect(own).toEqual([...own].sort((x, y) => x - y));
    await until(() => onA.seen.length === 100 && onB.seen.length === 100);
    const texts = (seen: ConversationEvent[]) => seen.map((event) => event.encode('delta'));
    expect(onA.seen.map((event) => event.seq)).toEqual(range(first + 1, first + 100));
    expect(texts(onB.seen)).toEqual(texts(onA.seen));
  });

  it('replays the events after a seq from the shared stream to another node', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const sent = [];
    for (let index = 0; index < 5; index += 1) sent.push(await a.append(reset));
    const b = await (await node(store, 'b')).createChannel(target);
    const after = sent[1]?.seq ?? 0;
    const { subscription, seen } = await listen(b, after);
    expect(subscription.outcome.kind).toBe('resumed');
    if (subscription.outcome.kind !== 'resumed') return;
    expect(subscription.outcome.missed.map((event) => event.seq)).toEqual(
      sent.slice(2).map((event) => event.seq),
    );
    expect(subscription.outcome.missed[0]?.encode('delta')).toBe(sent[2]?.encode('delta'));
    const next = await a.append(reset);
    await until(() => seen.length === 1);
    expect(seen.map((event) => event.seq)).toEqual([next.seq]);
    const latest = await b.subscribe(() => undefined, next.seq);
    expect(latest.outcome.kind).toBe('live');
    latest.unsubscribe();
  });

  it('tells a subscriber to resync past the window, or when it is ahead', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const first = a.lastSeq;
    for (let index = 0; index < WINDOW + 5; index += 1) await a.append(reset);
    const kindAfter = async (seq: number) => {
      const subscription = await a.subscribe(() => undefined, seq);
      subscription.unsubscribe();
      return subscription.outcome.kind;
    };
    expect(await kindAfter(first + 4)).toBe('resync');
    expect(await kindAfter(first + 5)).toBe('resumed');
    expect(await kindAfter(first + WINDOW + 6)).toBe('resync');
  });

  it('keeps no more bytes of events in the stream than the replay budget, as a single node', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a', 1_000)).createChannel(target);
    const names = conversationRedisNames(prefix, target.conversationId);
    const sized = (bytes: number) => ({ ...reset, timestamp: 'x'.repeat(bytes) });
    const jsonBytes = (bytes: number) => JSON.stringify(sized(bytes)).length;
    const sent: ConversationEvent[] = [];
    for (let index = 0; index < 10; index += 1) sent.push(await a.append(sized(250)));
    // Three events of about 300 bytes fit in 1,000; the count (20) would keep all ten.
    const kept = Math.floor(1_000 / jsonBytes(250));
    expect(kept).toBe(3);
    expect(await admin.xlen(names.eventsKey)).toBe(kept);
    expect(Number(await admin.get(names.bytesKey))).toBe(kept * jsonBytes(250));
    expect(await admin.pttl(names.bytesKey)).toBeGreaterThan(0);
    const kindAfter = async (event: ConversationEvent | undefined) => {
      const subscription = await a.subscribe(() => undefined, event?.seq);
      subscription.unsubscribe();
      return subscription.outcome.kind;
    };
    expect(await kindAfter(sent[10 - kept - 1])).toBe('resumed');
    expect(await kindAfter(sent[10 - kept - 2])).toBe('resync');
    // An event larger than the whole budget is delivered but not kept, nor anything before it.
    const large = await a.append(sized(2_000));
    expect(await admin.xlen(names.eventsKey)).toBe(0);
    expect(Number(await admin.get(names.bytesKey))).toBe(0);
    expect(await kindAfter(sent[9])).toBe('resync');
    await a.append(sized(10));
    expect(await admin.xlen(names.eventsKey)).toBe(1);
    expect(await kindAfter(large)).toBe('resumed');
  });

  it('delivers nothing twice or out of order to a subscriber joining while another node appends', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const b = await (await node(store, 'b')).createChannel(target);
    const first = a.lastSeq;
    let appending = true;
    const appender = (async () => {
      while (appending) await a.append(reset);
    })();
    await until(() => a.lastSeq >= first + 5);
    const after = a.lastSeq - 2;
    const { subscription, seen } = await listen(b, after);
    await until(() => seen.length >= 10);
    appending = false;
    await appender;
    await until(() => b.lastSeq === a.lastSeq);
    if (subscription.outcome.kind !== 'resumed') throw new Error(subscription.outcome.kind);
    const all = [...subscription.outcome.missed, ...seen].map((event) => event.seq);
    expect(all).toEqual(range(after + 1, a.lastSeq));
  });

  it('delivers nothing twice to a subscriber whose node receives what it read only later', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const after = a.lastSeq;
    await a.append(reset);
    await a.append(reset);
    // Node b's channel, its messages handed over by hand: they arrive after the read below.
    const late = handFedChannel(target, after);
    const { subscription, seen } = await listen(late, after);
    if (subscription.outcome.kind !== 'resumed') throw new Error(subscription.outcome.kind);
    expect(subscription.outcome.missed.map((event) => event.seq)).toEqual([after + 1, after + 2]);
    late.receive(after + 1, JSON.stringify(reset));
    late.receive(after + 2, JSON.stringify(reset));
    late.receive(after + 3, JSON.stringify(reset));
    expect(seen.map((event) => event.seq)).toEqual([after + 3]);
  });

  it('tells its subscribers which events it lost when they left the stream before it got them', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const after = a.lastSeq;
    // Node b's channel, its live messages handed over by hand: here, none until the catch-up.
    const cutOff = handFedChannel(target, after);
    const order: string[] = [];
    const subscription = await cutOff.subscribe(
      (event) => order.push(`event ${event.seq}`),
      after,
      {
        onMissed: (missed) => order.push(`missed ${missed.from}-${missed.to}`),
      },
    );
    subscription.start();
    for (let index = 0; index < WINDOW + 5; index += 1) await a.append(reset);
    // Its subscriber reconnected: the five oldest events are no longer kept.
    cutOff.catchUp();
    await until(() => order.length === WINDOW + 1);
    expect(order).toEqual([
      `missed ${after + 1}-${after + 5}`,
      ...range(after + 6, after + WINDOW + 5).map((seq) => `event ${seq}`),
    ]);
    // A live message after a gap the stream cannot fill: told too, then the message.
    const names = conversationRedisNames(prefix, target.conversationId);
    await admin.del(names.eventsKey);
    cutOff.receive(after + WINDOW + 8, JSON.stringify(reset));
    await until(() => order.length === WINDOW + 3);
    expect(order.slice(-2)).toEqual([
      `missed ${after + WINDOW + 6}-${after + WINDOW + 7}`,
      `event ${after + WINDOW + 8}`,
    ]);
  });

  it('delivers what was published while its subscriber connection was cut, once and in order', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const b = await (await node(store, 'b')).createChannel(target);
    const first = a.lastSeq;
    const onB = await listen(b);
    await a.append(reset);
    await until(() => onB.seen.length === 1);
    const clients = (await admin.client('LIST')) as string;
    const line = clients
      .split('\n')
      .find((entry) => entry.includes('name=botwire:b:channel-subscriber'));
    const id = line?.match(/\bid=(\d+)/)?.[1];
    if (id === undefined) throw new Error('subscriber connection not found');
    await admin.client('KILL', 'ID', id);
    // Published while node b is not subscribed: Redis pub/sub keeps none of these for it.
    for (let index = 0; index < 5; index += 1) await a.append(reset);
    await until(() => onB.seen.length === 6, 5_000);
    await a.append(reset);
    await until(() => onB.seen.length === 7);
    expect(onB.seen.map((event) => event.seq)).toEqual(range(first + 1, first + 7));
  });

  it('continues from the database reservation when Redis lost the conversation', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const before = await a.append(reset);
    const names = conversationRedisNames(prefix, target.conversationId);
    await admin.del(names.seqKey, names.eventsKey);
    const after = await a.append(reset);
    expect(after.seq).toBeGreaterThan(before.seq);
    // A client holding a seq from before the loss must resync, not silently miss events.
    const subscription = await a.subscribe(() => undefined, before.seq);
    expect(subscription.outcome.kind).toBe('resync');
    subscription.unsubscribe();
    expect(await admin.pttl(names.seqKey)).toBeGreaterThan(0);
    expect(await admin.pttl(names.eventsKey)).toBeGreaterThan(0);
  });

  it('finds a kept user message by id', async () => {
    const { store, target } = await conversationIn();
    const a = await (await node(store, 'a')).createChannel(target);
    const data = {
      id: 7,
      role: 'user' as const,
      content: 'hi',
      message_chain: [{ type: 'Plain' as const, text: 'hi' }],
      timestamp: 't',
      is_final: true,
      status: 'complete' as const,
      reply_to: null,
    };
    const appended = await a.append({ type: 'user_message', data });
    await a.append(reset);
    expect((await a.findUserMessage(7))?.seq).toBe(appended.seq);
    expect(await a.findUserMessage(8)).toBeUndefined();
  });

  it('rejects appends with CLUSTER_UNAVAILABLE once its connections are gone', async () => {
    const { store, target } = await conversationIn();
    const hub = await node(store, 'a');
    const a = await hub.createChannel(target);
    expect(hub.available).toBe(true);
    await hub.close();
    expect(hub.available).toBe(false);
    await expect(a.append(reset)).rejects.toMatchObject({ code: 'CLUSTER_UNAVAILABLE' });
  });
});
