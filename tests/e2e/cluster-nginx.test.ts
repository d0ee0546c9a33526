import { readFileSync } from 'node:fs';
import type { ConnectionsData } from '@botwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionNodes,
  startBalancedCluster,
  type BalancedCluster,
} from '../support/balanced-cluster.js';
import type { ChatSocket } from '../support/chat-socket.js';
import { requireNginx } from '../support/nginx-balancer.js';
import { nginxProxyConfig } from '../support/nginx-config.js';
import { finalFor, sendAndAck } from '../support/model-test-kit.js';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import { rest } from '../support/rest-client.js';
import {
  TestResources,
  barrier,
  closeSocket,
  eventFrames,
  responseCount,
  type BenchSettings,
  connectedOf,
  seqsOf,
  range,
} from '../support/stream-test-kit.js';

/** Events each conversation keeps for resuming, small so a test can fall out of it. */
const REPLAY_WINDOW = 30;
/** A reply of 20 chunks and its final frame: with the user message, 22 events per message. */
const BENCH: BenchSettings = { chunks: 20, chunk_bytes: 8, interval_ms: 15 };
const EVENTS_PER_MESSAGE = 22;
/** A reply that streams for about six seconds: long enough to cancel, reset or kill in it. */
const SLOW: BenchSettings = { chunks: 300, chunk_bytes: 8, interval_ms: 20 };
/** The generation lease the nodes run with: a killed node's replies end within it plus 1 s. */
const LEASE_MS = 2_000;
const TAKEOVER_MS = LEASE_MS + 1_000 + 12_000;
/** Three nodes and nginx start one after another on a machine that may be busy. */
const START_MS = 120_000;
const TEST_MS = 60_000;

const idOf = (chat: ChatSocket): string => connectedOf(chat).connection_id;

/**
 * Three real nodes on one PostgreSQL database and the real Redis, behind the machine's real
 * nginx doing plain round-robin (no affinity), every request and socket going through nginx:
 * the items 1 (one ordered stream), 2 (resume on another node), 4 (cancel and reset
 * through other nodes), 5 (a node killed mid-reply) and 7 (broadcast and listings across the
 * cluster).
 */
describe('cluster mode behind nginx: three nodes, round-robin, no affinity', () => {
  const nginxMissing = requireNginx();
  const newDatabase = useTestPostgresDatabases();
  const resources = new TestResources();
  let cluster: BalancedCluster;
  let pipeline: string;

  const createPipeline = async (name: string, settings = BENCH): Promise<string> => {
    const created = await rest(cluster.url, 'POST', '/api/v1/pipelines', {
      body: { name, runner: { type: 'bench', settings } },
    });
    expect(created.status).toBe(201);
    return created.body.data.pipeline.uuid as string;
  };
  const connect = (query: string, pipelineUuid = pipeline): Promise<ChatSocket> =>
    resources.connect(cluster, pipelineUuid, { query });
  const nodesOf = async (sockets: readonly ChatSocket[], pipelineUuid = pipeline) => {
    const nodes = await connectionNodes(cluster.url, pipelineUuid, sockets.map(idOf));
    return sockets.map((socket) => nodes.get(idOf(socket)));
  };
  /**
   * Connects through nginx until the socket lands on a node other than `avoid`, closing those
   * that land on it. Round-robin makes the first or second attempt land elsewhere; the listing
   * requests between attempts move nginx's counter too, hence a few attempts.
   */
  const connectElsewhere = async (avoid: string, query: string, pipelineUuid = pipeline) => {
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const chat = await connect(query, pipelineUuid);
      const [node] = await nodesOf([chat], pipelineUuid);
      if (node !== avoid) return { chat, node };
      await closeSocket(chat);
    }
    throw new Error(`five connections through nginx all landed on ${avoid}`);
  };

  beforeAll(async () => {
    if (nginxMissing()) return;
    cluster = await startBalancedCluster({
      databaseUrl: (await newDatabase()).url,
      env: {
        BOTWIRE_REPLAY_WINDOW: String(REPLAY_WINDOW),
        BOTWIRE_GENERATION_LEASE_MS: String(LEASE_MS),
      },
    });
    pipeline = await createPipeline('through nginx');
  }, START_MS);
  afterEach(async () => {
    await resources.dispose();
  });
  afterAll(async () => {
    await cluster?.stop();
  }, START_MS);

  it(
    'spreads consecutive connections over the nodes in turn',
    async () => {
      const sockets: ChatSocket[] = [];
      // One conversation, one client: nothing ties them to a node.
      for (let index = 0; index < 6; index += 1)
        sockets.push(await connect('session_type=person&session=spread'));
      const nodes = await nodesOf(sockets);
      expect(new Set(nodes.slice(0, 3))).toEqual(new Set(cluster.nodeIds));
      expect(nodes.slice(3)).toEqual(nodes.slice(0, 3));
    },
    TEST_MS,
  );

  it(
    'shows connections on three nodes the same events in one gapless seq order',
    async () => {
      const query = 'session_type=person&session=shared';
      const sockets = [await connect(query), await connect(query), await connect(query)];
      const [first, second, third] = sockets as [ChatSocket, ChatSocket, ChatSocket];
      expect(new Set(await nodesOf(sockets))).toEqual(new Set(cluster.nodeIds));
      const start = connectedOf(first).last_seq;
      for (const socket of sockets) expect(connectedOf(socket).last_seq).toBe(start);
      // One message through each node, each while the reply before it still streams.
      first.sendText('through the first node');
      await second.waitFor((frames) => responseCount(frames) >= 3, 20_000);
      second.sendText('through the second node');
      await third.waitFor((frames) => eventFrames(frames).length >= EVENTS_PER_MESSAGE + 3, 20_000);
      third.sendText('through the third node');
      const total = 3 * EVENTS_PER_MESSAGE;
      for (const socket of sockets) {
        await socket.waitFor((frames) => eventFrames(frames).length >= total, 30_000);
        await barrier(socket);
      }
      const seen = eventFrames(first.frames);
      // Unique, strictly increasing, none skipped: numbered once for the whole cluster.
      expect(seqsOf(seen)).toEqual(range(start + 1, start + total));
      expect(eventFrames(second.frames)).toEqual(seen);
      expect(eventFrames(third.frames)).toEqual(seen);
      expect(seen.filter((frame) => frame.type === 'user_message')).toHaveLength(3);
      expect(seen.filter((frame) => frame.type === 'response' && frame.data.is_final)).toHaveLength(
        3,
      );
    },
    TEST_MS,
  );

  it(
    'replays every missed event exactly once to a client back through nginx on another node',
    async () => {
      const query = 'session_type=person&session=drop';
      const chat = await connect(query);
      const observer = await connect(query);
      const [droppedFrom] = await nodesOf([chat]);
      if (droppedFrom === undefined) throw new Error('dropped socket not listed');
      const start = connectedOf(chat).last_seq;
      chat.sendText('stream, then drop');
      await chat.waitFor((frames) => responseCount(frames) >= 5, 20_000);
      chat.socket.terminate();
      const before = eventFrames([...chat.frames]);
      const lastSeen = Math.max(...seqsOf(before));
      // Let the stream move on, so there is something to catch up on.
      await observer.waitFor(
        (frames) => eventFrames(frames).some((frame) => frame.seq >= lastSeen + 3),
        20_000,
      );
      const { chat: resumed, node } = await connectElsewhere(
        droppedFrom,
        `${query}&last_seq=${lastSeen}`,
      );
      expect(node).not.toBe(droppedFrom);
      expect(connectedOf(resumed).last_seq).toBeGreaterThanOrEqual(lastSeen + 3);
      await resumed.finalResponse();
      await observer.finalResponse();
      await barrier(resumed);
      expect(resumed.ofType('resync_required')).toEqual([]);
      const after = eventFrames(resumed.frames);
      expect(seqsOf([...before, ...after])).toEqual(range(start + 1, start + EVENTS_PER_MESSAGE));
      expect([...before, ...after]).toEqual(eventFrames(observer.frames));
    },
    TEST_MS,
  );

  it(
    'asks a client back through nginx on another node to resync when it fell out of the window',
    async () => {
      const query = 'session_type=person&session=window';
      const chat = await connect(query);
      const [chatNode] = await nodesOf([chat]);
      if (chatNode === undefined) throw new Error('socket not listed');
      const start = connectedOf(chat).last_seq;
      chat.sendText('one');
      await chat.finalResponse();
      chat.sendText('two');
      const final = await chat.next(
        'response',
        (frame) => frame.data.is_final && frame.seq > start + EVENTS_PER_MESSAGE,
      );
      // 44 events, more than the 30 kept.
      const late = await connectElsewhere(chatNode, `${query}&last_seq=${start + 1}`);
      const resync = await late.chat.next('resync_required');
      expect(resync.last_seq).toBe(final.seq);
      await barrier(late.chat);
      expect(eventFrames(late.chat.frames)).toEqual([]);
      // Inside the window another node resumes instead.
      const near = await connectElsewhere(chatNode, `${query}&last_seq=${final.seq - 5}`);
      await barrier(near.chat);
      expect(near.chat.ofType('resync_required')).toEqual([]);
      expect(seqsOf(eventFrames(near.chat.frames))).toEqual(range(final.seq - 4, final.seq));
    },
    TEST_MS,
  );

  it(
    "broadcasts through nginx to the pipeline's sockets on every node, and lists them all",
    async () => {
      const broadcastPipeline = await createPipeline('broadcast through nginx');
      const sockets: ChatSocket[] = [];
      for (const query of [
        'session_type=person&session=b1',
        'session_type=person&session=b2',
        'session_type=group&session=b3',
      ]) {
        sockets.push(await connect(query, broadcastPipeline));
        sockets.push(await connect(query, broadcastPipeline));
      }
      const elsewhere = await connect('session_type=person&session=b4');
      const nodes = await nodesOf(sockets, broadcastPipeline);
      expect(new Set(nodes)).toEqual(new Set(cluster.nodeIds));
      // Asked three times, so through each node in turn: the same whole-cluster answer.
      for (let ask = 0; ask < 3; ask += 1) {
        expect(await nodesOf(sockets, broadcastPipeline)).toEqual(nodes);
      }
      const listed = await rest<ConnectionsData>(
        cluster.url,
        'GET',
        `/api/v1/pipelines/${broadcastPipeline}/ws/connections`,
      );
      expect(listed.body.data.connections.map((c) => c.connection_id)).not.toContain(
        idOf(elsewhere),
      );
      expect(listed.body.data.stats.total_connections).toBe(listed.body.data.connections.length);

      const notices = ['notice 1', 'notice 2', 'notice 3'];
      for (const message of notices) {
        const sent = await rest(
          cluster.url,
          'POST',
          `/api/v1/pipelines/${broadcastPipeline}/ws/broadcast`,
          { body: { message } },
        );
        expect(sent.status).toBe(200);
      }
      for (const socket of sockets) {
        await socket.waitFor(
          (frames) =>
            notices.every((n) => frames.some((f) => f.type === 'broadcast' && f.message === n)),
          20_000,
        );
      }
      for (const socket of [...sockets, elsewhere]) await barrier(socket);
      // Each socket once each, whichever node took the request; none to another pipeline.
      for (const socket of sockets) {
        expect(
          socket
            .ofType('broadcast')
            .map((frame) => frame.message)
            .sort(),
        ).toEqual(notices);
      }
      expect(elsewhere.ofType('broadcast')).toEqual([]);
    },
    TEST_MS,
  );

  it(
    'cancels and resets through other nodes than the one generating the reply',
    async () => {
      const slow = await createPipeline('slow through nginx', SLOW);
      const query = 'session_type=person&session=cancel';
      const sender = await connect(query, slow);
      const [generating] = await nodesOf([sender], slow);
      const { chat: other } = await connectElsewhere(generating ?? '', query, slow);
      // Idle conversation: the node taking the message takes its lease and generates it.
      const ack = await sendAndAck(sender, 'long, please');
      await other.next('response', (frame) => frame.data.reply_to === ack.data.id);
      other.send({ type: 'cancel' });
      expect((await finalFor(sender, ack.data.id)).data.status).toBe('cancelled');
      expect((await finalFor(other, ack.data.id)).data.status).toBe('cancelled');

      const second = await sendAndAck(sender, 'long again');
      await other.next('response', (frame) => frame.data.reply_to === second.data.id);
      // Through nginx: whichever node takes it, the reply stops and every node's sockets hear.
      const reset = await rest(
        cluster.url,
        'POST',
        `/api/v1/pipelines/${slow}/ws/reset/person?session=cancel`,
      );
      expect(reset.status).toBe(200);
      expect((await finalFor(sender, second.data.id)).data.status).toBe('cancelled');
      await sender.next('session_reset');
      await other.next('session_reset');
      const history = await rest(
        cluster.url,
        'GET',
        `/api/v1/pipelines/${slow}/ws/messages/person?session=cancel`,
      );
      expect(history.body.data.messages).toEqual([]);
    },
    TEST_MS,
  );

  // Last: it kills a node.
  it(
    'ends a reply as interrupted when its node is killed, and the clients carry on elsewhere',
    async () => {
      const slow = await createPipeline('killed through nginx', SLOW);
      const query = 'session_type=person&session=kill';
      const sender = await connect(query, slow);
      const [generating] = await nodesOf([sender], slow);
      const { chat: observer } = await connectElsewhere(generating ?? '', query, slow);
      const ack = await sendAndAck(sender, 'stream until the node dies');
      await observer.next('response', (frame) => frame.data.reply_to === ack.data.id);
      await barrier(sender);
      const seenBySender = eventFrames(sender.frames);
      const lastSeen = Math.max(...seqsOf(seenBySender));
      const victim = cluster.nodes[cluster.nodeIds.indexOf(generating ?? '')];
      if (victim === undefined) throw new Error(`no node ${String(generating)}`);
      await victim.kill();
      // Ended by a surviving node once the lease lapsed (2 s here, plus the 1 s sweep).
      const interrupted = await finalFor(observer, ack.data.id, TAKEOVER_MS);
      expect(interrupted.data.status).toBe('interrupted');
      // The sender's client reconnects through nginx, which skips the dead node, and resumes.
      const resumed = await connect(`${query}&last_seq=${lastSeen}`, slow);
      await resumed.waitFor(
        (frames) => frames.some((frame) => frame.type === 'response' && frame.data.is_final),
        TAKEOVER_MS,
      );
      await barrier(resumed);
      expect(resumed.ofType('resync_required')).toEqual([]);
      const together = [...seenBySender, ...eventFrames(resumed.frames)];
      expect(together).toEqual(eventFrames(observer.frames));
      // And the conversation goes on.
      const next = await sendAndAck(resumed, 'anyone there?');
      expect((await finalFor(resumed, next.data.id, TAKEOVER_MS)).data.status).toBe('complete');
    },
    TEST_MS,
  );
});

describe('the nginx configuration in docs/scaling.md', () => {
  it('is the one the cluster tests run', () => {
    const docs = readFileSync(new URL('../../docs/scaling.md', import.meta.url), 'utf8');
    const blocks = [...docs.matchAll(/^```nginx\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
    expect(blocks).toEqual([
      nginxProxyConfig({
        upstreams: ['10.0.0.11:8000', '10.0.0.12:8000', '10.0.0.13:8000'],
        listen: '80',
      }),
    ]);
  });
});
