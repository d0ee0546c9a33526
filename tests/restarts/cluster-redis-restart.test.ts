import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import {
  TEST_REDIS_URL,
  deleteRedisKeys,
  readiness,
  startClusterNode,
  uniqueRedisPrefix,
} from '../support/cluster-nodes.js';
import { closedWithin, waitUntil } from '../support/e2e-helpers.js';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import { rest } from '../support/rest-client.js';
import { ADMIN_PASSWORD, type ServerProcess } from '../support/server-process.js';

/** This machine's Redis, started as .ci/run starts it (it keeps nothing on disk). */
const REDIS_START = [
  '--daemonize',
  'yes',
  '--bind',
  '127.0.0.1',
  '-::1',
  '--port',
  '6379',
  '--save',
  '',
  '--appendonly',
  'no',
  '--dir',
  '/var/lib/redis',
  '--logfile',
  '/var/log/redis/ci.log',
];

function redisAnswers(): boolean {
  try {
    return (
      execFileSync('redis-cli', ['ping'], {
        encoding: 'utf8',
        timeout: 2_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() === 'PONG'
    );
  } catch {
    return false;
  }
}

async function startRedis(): Promise<void> {
  if (redisAnswers()) return;
  execFileSync('redis-server', REDIS_START, { timeout: 5_000 });
  await waitUntil(() => redisAnswers(), 'Redis answering again', 5_000, 50);
}

/**
 * The machine's real Redis goes down and comes back: nodes say they are not ready and refuse
 * what must reach every node, then reconnect and resubscribe by themselves. Other sessions use
 * this Redis too, so the outage lasts a few seconds and Redis is always started again.
 */
describe.runIf(
  new URL(TEST_REDIS_URL).port === '6379' && process.env.BOTWIRE_TEST_REDIS_URL === undefined,
)('cluster mode: a Redis restart', () => {
  const newDatabase = useTestPostgresDatabases();
  const prefix = uniqueRedisPrefix();
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let databaseUrl: string;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    databaseUrl = (await newDatabase()).url;
    nodeA = await startClusterNode({ databaseUrl, prefix, nodeId: 'restart-a' });
    nodeB = await startClusterNode({ databaseUrl, prefix, nodeId: 'restart-b' });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await nodeA?.[Symbol.asyncDispose]();
    await nodeB?.[Symbol.asyncDispose]();
    await startRedis();
    await deleteRedisKeys(prefix);
  });

  const createKey = async (name: string) => {
    const created = await rest(nodeA.url, 'POST', '/api/v1/keys', { body: { name } });
    expect(created.status).toBe(201);
    return { id: created.body.data.api_key.id as number, key: created.body.data.key as string };
  };

  it('reports 503 while Redis is down, refuses revocations, and revokes across nodes again after', async () => {
    const pipeline = nodeA.defaultPipelineUuid;
    const kept = await createKey('kept through the outage');
    const keptSocket = await connectChat(nodeB.wsUrl, pipeline, {
      token: kept.key,
      query: 'session_type=person',
    });
    sockets.push(keptSocket);
    const login = await rest(nodeA.url, 'POST', '/api/v1/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
      token: null,
    });
    const sessionSocket = await connectChat(nodeB.wsUrl, pipeline, {
      token: login.body.data.token as string,
      query: 'session_type=person',
    });
    sockets.push(sessionSocket);

    try {
      execFileSync('redis-cli', ['shutdown', 'nosave'], { timeout: 5_000, stdio: 'ignore' });
    } catch {
      // redis-cli reports the connection closing under it; whether Redis is down is checked next.
    }
    try {
      expect(redisAnswers()).toBe(false);
      for (const node of [nodeA, nodeB]) {
        await waitUntil(
          async () => (await readiness(node.url)).status === 503,
          'not ready while Redis is down',
          5_000,
          50,
        );
        expect((await readiness(node.url)).body).toMatchObject({
          status: 'not ready',
          cluster: 'unreachable',
          database: 'ok',
        });
      }
      // Chat refuses what it cannot queue for a reply, before storing it: nothing acknowledged
      // is left unanswered.
      keptSocket.sendText('during the outage', { client_id: 'outage-1' });
      expect((await keptSocket.next('error')).code).toBe('CLUSTER_UNAVAILABLE');
      expect(keptSocket.ofType('user_message')).toEqual([]);
      const refused = await rest(nodeA.url, 'DELETE', `/api/v1/keys/${kept.id}`);
      expect(refused.status).toBe(503);
      expect(refused.body.error).toBe('CLUSTER_UNAVAILABLE');
      const broadcast = await rest(
        nodeA.url,
        'POST',
        `/api/v1/pipelines/${pipeline}/ws/broadcast`,
        { body: { message: 'lost?' } },
      );
      expect(broadcast.status).toBe(503);
      expect(broadcast.body.error).toBe('CLUSTER_UNAVAILABLE');
      // A revocation node B cannot hear of: the session ends in the shared database meanwhile
      // (as a node whose message was lost would have done).
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query('delete from sessions');
      } finally {
        await client.end();
      }
    } finally {
      await startRedis();
    }

    // Refused means nothing changed: the key still works, its socket is still open.
    keptSocket.send({ type: 'ping' });
    await keptSocket.next('pong');
    expect(keptSocket.closeCode).toBeUndefined();
    expect(keptSocket.ofType('broadcast')).toEqual([]);

    for (const node of [nodeA, nodeB]) {
      await waitUntil(
        async () => (await readiness(node.url)).status === 200,
        'ready again once Redis is back',
        15_000,
        100,
      );
    }
    // Sent again once Redis is back: acknowledged and answered.
    keptSocket.sendText('during the outage', { client_id: 'outage-1' });
    const stored = await keptSocket.next(
      'user_message',
      (frame) => frame.data.client_id === 'outage-1',
    );
    await keptSocket.finalResponse(stored.data.id);
    // Back on the bus, B re-checks its open connections and closes the one it missed.
    expect((await closedWithin(sessionSocket, 5_000)).code).toBe(4001);
    // Resubscribed: a revocation on A reaches B's socket again.
    const revoked = await rest(nodeA.url, 'DELETE', `/api/v1/keys/${kept.id}`);
    expect(revoked.status).toBe(200);
    expect((await closedWithin(keptSocket, 1_000)).code).toBe(4001);
  });
});
