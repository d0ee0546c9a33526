import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteRedisKeys, startClusterNode, uniqueRedisPrefix } from '../support/cluster-nodes.js';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import type { ServerProcess } from '../support/server-process.js';
import {
  TestResources,
  barrier,
  createBenchPipeline,
  eventFrames,
  responseCount,
  connectedOf,
  seqsOf,
  range,
} from '../support/stream-test-kit.js';

/** Events each conversation keeps for resuming, small so a test can fall out of it. */
const REPLAY_WINDOW = 30;

/**
 * Issue 11, items 1 and 2: two real nodes on one PostgreSQL database and the real Redis share
 * each conversation's event stream (seqs, replay window, live delivery).
 */
describe('cluster mode: one conversation stream across two nodes', () => {
  const newDatabase = useTestPostgresDatabases();
  const prefix = uniqueRedisPrefix();
  const resources = new TestResources();
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let pipeline: string;

  beforeAll(async () => {
    const databaseUrl = (await newDatabase()).url;
    const env = { BOTWIRE_REPLAY_WINDOW: String(REPLAY_WINDOW) };
    nodeA = await startClusterNode({ databaseUrl, prefix, nodeId: 'node-a', env });
    nodeB = await startClusterNode({ databaseUrl, prefix, nodeId: 'node-b', env });
    pipeline = await createBenchPipeline(nodeA, 'cluster-stream', {
      chunks: 20,
      chunk_bytes: 8,
      interval_ms: 15,
    });
  });
  afterEach(async () => {
    await resources.dispose();
  });
  afterAll(async () => {
    await nodeA?.[Symbol.asyncDispose]();
    await nodeB?.[Symbol.asyncDispose]();
    await deleteRedisKeys(prefix);
  });

  it('shows connections on both nodes the same events in the same gapless seq order', async () => {
    const query = 'session_type=person&session=shared';
    const onA = await resources.connect(nodeA, pipeline, { query });
    const onB = await resources.connect(nodeB, pipeline, { query });
    const start = connectedOf(onA).last_seq;
    expect(connectedOf(onB).last_seq).toBe(start);
    // One message through each node, the second while the first reply still streams.
    onA.sendText('through node a');
    await onB.waitFor((frames) => responseCount(frames) >= 3);
    onB.sendText('through node b');
    await onA.waitFor((frames) => eventFrames(frames).length >= 2 * 22);
    await onB.waitFor((frames) => eventFrames(frames).length >= 2 * 22);
    await barrier(onA);
    await barrier(onB);
    const seenA = eventFrames(onA.frames);
    const seenB = eventFrames(onB.frames);
    // user message + 20 chunks + the final one, twice; each seq once, none skipped.
    expect(seqsOf(seenA)).toEqual(range(start + 1, start + 44));
    expect(seenB).toEqual(seenA);
    expect(seenA.filter((frame) => frame.type === 'user_message')).toHaveLength(2);
  });

  it('replays every missed event exactly once on the other node after a drop', async () => {
    const query = 'session_type=person&session=drop';
    const chat = await resources.connect(nodeA, pipeline, { query });
    const observer = await resources.connect(nodeA, pipeline, { query });
    const start = connectedOf(chat).last_seq;
    chat.sendText('stream, then drop');
    await chat.waitFor((frames) => responseCount(frames) >= 5);
    chat.socket.terminate();
    const before = eventFrames([...chat.frames]);
    const lastSeen = Math.max(...seqsOf(before));
    // Let the stream move on, so there is something to catch up on.
    await observer.waitFor((frames) =>
      eventFrames(frames).some((frame) => frame.seq >= lastSeen + 3),
    );
    const resumed = await resources.connect(nodeB, pipeline, {
      query: `${query}&last_seq=${lastSeen}`,
    });
    expect(connectedOf(resumed).last_seq).toBeGreaterThanOrEqual(lastSeen + 3);
    await resumed.finalResponse();
    await observer.finalResponse();
    await barrier(resumed);
    expect(resumed.ofType('resync_required')).toEqual([]);
    const after = eventFrames(resumed.frames);
    expect(seqsOf([...before, ...after])).toEqual(range(start + 1, start + 22));
    expect([...before, ...after]).toEqual(eventFrames(observer.frames));
  });

  it('asks a client that fell out of the window to resync, on the other node', async () => {
    const query = 'session_type=person&session=window';
    const chat = await resources.connect(nodeA, pipeline, { query });
    const start = connectedOf(chat).last_seq;
    chat.sendText('one');
    await chat.finalResponse();
    chat.sendText('two');
    const final = await chat.next(
      'response',
      (frame) => frame.data.is_final && frame.seq > start + 22,
    );
    // 44 events, more than the 30 kept.
    const late = await resources.connect(nodeB, pipeline, {
      query: `${query}&last_seq=${start + 1}`,
    });
    const resync = await late.next('resync_required');
    expect(resync.last_seq).toBe(final.seq);
    await barrier(late);
    expect(eventFrames(late.frames)).toEqual([]);
    // Inside the window the same node resumes instead.
    const near = await resources.connect(nodeB, pipeline, {
      query: `${query}&last_seq=${final.seq - 5}`,
    });
    await barrier(near);
    expect(near.ofType('resync_required')).toEqual([]);
    expect(seqsOf(eventFrames(near.frames))).toEqual(range(final.seq - 4, final.seq));
  });
});
