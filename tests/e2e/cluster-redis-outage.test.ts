import type { ChatMessage } from '@botwire/protocol';
import { CLOSE_CODES } from '@botwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openChatSocket } from '../support/chat-socket.js';
import {
  TEST_REDIS_URL,
  deleteRedisKeys,
  readiness,
  startClusterNode,
  uniqueRedisPrefix,
} from '../support/cluster-nodes.js';
import { expectRefusal, nextError, waitUntil } from '../support/e2e-helpers.js';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import { rest } from '../support/rest-client.js';
import type { ServerProcess } from '../support/server-process.js';
import {
  TestResources,
  barrier,
  createBenchPipeline,
  eventFrames,
  fetchHistory,
} from '../support/stream-test-kit.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { createPublicPipeline } from '../support/widget-kit.js';

/** Events each conversation keeps: small, so an outage can outlast it. */
const REPLAY_WINDOW = 10;

/**
 * Node A reaches Redis through a TCP proxy the test cuts; node B reaches it directly. The
 * machine's Redis, which other sessions share, keeps running: only A loses it.
 */
describe('cluster mode: one node cut off from Redis', () => {
  const newDatabase = useTestPostgresDatabases();
  const prefix = uniqueRedisPrefix();
  const resources = new TestResources();
  let proxy: TcpProxy;
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let pipeline: string;

  const waitForReadiness = async (node: ServerProcess, status: number): Promise<void> => {
    await waitUntil(
      async () => (await readiness(node.url)).status === status,
      `readiness ${status}`,
      15_000,
      50,
    );
  };
  const cut = async (): Promise<void> => {
    await proxy.cut();
    await waitForReadiness(nodeA, 503);
  };
  const restore = async (): Promise<void> => {
    if (!proxy.listening) await proxy.restore();
    await waitForReadiness(nodeA, 200);
  };

  beforeAll(async () => {
    const redis = new URL(TEST_REDIS_URL);
    proxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
    const databaseUrl = (await newDatabase()).url;
    const env = { BOTWIRE_REPLAY_WINDOW: String(REPLAY_WINDOW) };
    nodeA = await startClusterNode({
      databaseUrl,
      prefix,
      nodeId: 'outage-a',
      env: { ...env, BOTWIRE_REDIS_URL: `redis://127.0.0.1:${proxy.port}` },
    });
    nodeB = await startClusterNode({ databaseUrl, prefix, nodeId: 'outage-b', env });
    pipeline = await createBenchPipeline(nodeB, 'outage', {
      chunks: 20,
      chunk_bytes: 8,
      interval_ms: 5,
    });
  });
  afterEach(async () => {
    await resources.dispose();
    await restore();
  });
  afterAll(async () => {
    await nodeA?.[Symbol.asyncDispose]();
    await nodeB?.[Symbol.asyncDispose]();
    await proxy?.close();
    await deleteRedisKeys(prefix);
  });

  it('refuses joins and messages with CLUSTER_UNAVAILABLE and loses no acknowledged message', async () => {
    const query = 'session_type=person&session=outage';
    const chat = await resources.connect(nodeA, pipeline, { query });
    chat.sendText('before', { client_id: 'before-1' });
    const before = await chat.next('user_message', (frame) => frame.data.client_id === 'before-1');
    await chat.finalResponse(before.data.id);

    await cut();
    // A conversation already open on A, and one A has not opened yet.
    for (const session of ['outage', 'never-opened']) {
      const refused = await openChatSocket(nodeA.wsUrl, pipeline, {
        query: `session_type=person&session=${session}`,
      });
      await expectRefusal(refused, 'CLUSTER_UNAVAILABLE', CLOSE_CODES.INTERNAL_ERROR);
    }
    // A message during the outage: an error, never an acknowledgement.
    chat.sendText('during', { client_id: 'during-1' });
    const failed = await nextError(chat, 'CLUSTER_UNAVAILABLE');
    expect(failed.message).toMatch(/Redis/);
    // A reset cannot reach the other nodes' connections either: refused.
    const reset = await rest(
      nodeA.url,
      'POST',
      `/api/v1/pipelines/${pipeline}/ws/reset/person?session=outage`,
    );
    expect(reset.status).toBe(503);
    expect(reset.body.error).toBe('CLUSTER_UNAVAILABLE');
    // Turning a widget off could not close the visitors on other nodes: refused, nothing stored.
    const publicPipeline = await createPublicPipeline(nodeB, { name: 'public during outage' });
    const widgetPath = `/api/v1/pipelines/${publicPipeline.uuid}/widget`;
    const ended = await rest(nodeA.url, 'PATCH', widgetPath, { body: { public: false } });
    expect(ended.status).toBe(503);
    expect(ended.body.error).toBe('CLUSTER_UNAVAILABLE');
    expect((await rest(nodeB.url, 'GET', widgetPath)).body.data.widget.public).toBe(true);
    await barrier(chat);
    // The acknowledgement of a message is its user_message event: none for the refused one.
    expect(chat.ofType('user_message').map((frame) => frame.data.client_id)).toEqual(['before-1']);

    await restore();
    // Sent again with its client_id, once Redis is back: acknowledged, and stored once.
    chat.sendText('during', { client_id: 'during-1' });
    const acknowledged = await chat.next(
      'user_message',
      (frame) => frame.data.client_id === 'during-1',
    );
    const history = await fetchHistory(nodeB, pipeline, 'person', { session: 'outage' });
    const users = history.messages.filter((message: ChatMessage) => message.role === 'user');
    expect(users.map((message) => message.content)).toEqual(['before', 'during']);
    expect(users.map((message) => message.id)).toEqual([before.data.id, acknowledged.data.id]);
    // And joining works again.
    await resources.connect(nodeA, pipeline, { query });
  });

  it('tells connections to resync when their node missed more events than Redis keeps', async () => {
    const query = 'session_type=person&session=gap';
    const onA = await resources.connect(nodeA, pipeline, { query });
    const onB = await resources.connect(nodeB, pipeline, { query });
    await cut();
    // 22 events (the message, 20 chunks, the final one) while A hears nothing: more than the 10
    // Redis keeps.
    onB.sendText('a long reply while node a is away');
    await onB.finalResponse();
    const newest = Math.max(...eventFrames(onB.frames).map((frame) => frame.seq));
    expect(eventFrames(onA.frames)).toEqual([]);

    await restore();
    const resync = await onA.next('resync_required');
    // The client is told where the stream goes on: the events it still gets follow seamlessly.
    expect(resync.last_seq).toBeLessThan(newest);
    await onA.waitFor((frames) => eventFrames(frames).some((frame) => frame.seq === newest));
    const after = eventFrames(onA.frames);
    // Every event after the resync point, in order, and the resync before the first of them.
    expect(after.map((frame) => frame.seq)).toEqual(
      Array.from({ length: newest - resync.last_seq }, (_, index) => resync.last_seq + 1 + index),
    );
    expect(onA.frames.indexOf(resync)).toBeLessThan(onA.frames.indexOf(after[0] as never));
    expect(resync.reason).toMatch(/reload the history/i);
    expect(onA.ofType('resync_required')).toHaveLength(1);
    // Live delivery goes on after the resync.
    onB.sendText('after the outage');
    await onA.waitFor((frames) =>
      eventFrames(frames).some(
        (frame) => frame.type === 'user_message' && frame.data.content === 'after the outage',
      ),
    );
    const seqs = eventFrames(onA.frames).map((frame) => frame.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
