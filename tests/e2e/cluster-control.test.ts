import { CLOSE_CODES } from '@botwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import {
  deleteRedisKeys,
  readiness,
  startClusterNode,
  uniqueRedisPrefix,
} from '../support/cluster-nodes.js';
import { closedWithin, waitUntil } from '../support/e2e-helpers.js';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import { rest } from '../support/rest-client.js';
import {
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js';
import { createPublicPipeline, issueVisitor, openVisitorSocket } from '../support/widget-kit.js';

/** What the cluster promises: a change on one node reaches the others "within a second". */
const PROPAGATION_MS = 1_000;

interface Listed {
  connection_id: string;
  node_id?: string;
  principal: { id: string };
}

/**
 * Two real nodes on one fresh PostgreSQL database and the real Redis (a key prefix of their
 * own): what one node decides reaches the other's open connections and caches.
 */
describe('cluster mode: the control plane across two nodes', () => {
  const newDatabase = useTestPostgresDatabases();
  const prefix = uniqueRedisPrefix();
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let pipeline: string;
  let databaseUrl: string;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    databaseUrl = (await newDatabase()).url;
    // One after the other: the first start creates the admin and the default pipeline.
    nodeA = await startClusterNode({ databaseUrl, prefix, nodeId: 'node-a' });
    nodeB = await startClusterNode({ databaseUrl, prefix, nodeId: 'node-b' });
    pipeline = nodeA.defaultPipelineUuid;
    expect(nodeB.defaultPipelineUuid).toBe(pipeline);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await nodeA?.[Symbol.asyncDispose]();
    await nodeB?.[Symbol.asyncDispose]();
    await deleteRedisKeys(prefix);
  });

  const connect = async (
    node: ServerProcess,
    options: { token?: string; pipelineUuid?: string; query?: string } = {},
  ): Promise<ChatSocket> => {
    const socket = await connectChat(node.wsUrl, options.pipelineUuid ?? pipeline, {
      query: options.query ?? 'session_type=person',
      ...(options.token === undefined ? {} : { token: options.token }),
    });
    sockets.push(socket);
    return socket;
  };
  const idOf = (socket: ChatSocket): string => {
    const connected = socket.ofType('connected')[0];
    if (connected === undefined) throw new Error('not connected');
    return connected.connection_id;
  };
  const createKey = async (node: ServerProcess, name: string) => {
    const created = await rest(node.url, 'POST', '/api/v1/keys', { body: { name } });
    expect(created.status).toBe(201);
    return { id: created.body.data.api_key.id as number, key: created.body.data.key as string };
  };

  it('reports each node ready with its node id', async () => {
    expect(await readiness(nodeA.url)).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'ready', cluster: 'ok', node_id: 'node-a' }),
    });
    expect((await readiness(nodeB.url)).body).toMatchObject({ cluster: 'ok', node_id: 'node-b' });
  });

  it("lists both nodes' connections, with node ids, through either node", async () => {
    const onA = await connect(nodeA, { query: 'session_type=person&session=list-a' });
    const onB = await connect(nodeB, { query: 'session_type=group&session=list-b' });
    for (const node of [nodeA, nodeB]) {
      const listed = await rest<{
        stats: { total_connections: number; connections_by_session_type: object };
        connections: Listed[];
      }>(node.url, 'GET', `/api/v1/pipelines/${pipeline}/ws/connections`);
      expect(listed.status).toBe(200);
      const byId = new Map(listed.body.data.connections.map((c) => [c.connection_id, c.node_id]));
      expect(byId.get(idOf(onA))).toBe('node-a');
      expect(byId.get(idOf(onB))).toBe('node-b');
      expect(listed.body.data.stats.total_connections).toBe(listed.body.data.connections.length);
      expect(listed.body.data.stats.total_connections).toBeGreaterThanOrEqual(2);
      const all = await rest<{ connections: Listed[] }>(node.url, 'GET', '/api/v1/connections');
      expect(all.body.data.connections.map((c) => c.node_id)).toEqual(
        expect.arrayContaining(['node-a', 'node-b']),
      );
    }
    onA.close();
    onB.close();
  });

  it('broadcasts through one node to the sockets on both', async () => {
    const onA = await connect(nodeA);
    const onB = await connect(nodeB);
    const sent = await rest(nodeA.url, 'POST', `/api/v1/pipelines/${pipeline}/ws/broadcast`, {
      body: { message: 'to every node' },
    });
    expect(sent.status).toBe(200);
    for (const socket of [onA, onB]) {
      const frame = await socket.next('broadcast', (f) => f.message === 'to every node');
      expect(frame.message).toBe('to every node');
    }
    // Each socket gets it once: the origin does not deliver its own message a second time.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onA.ofType('broadcast').filter((f) => f.message === 'to every node')).toHaveLength(1);
    expect(onB.ofType('broadcast').filter((f) => f.message === 'to every node')).toHaveLength(1);
  });

  it("closes node B's socket within a second when node A revokes its API key", async () => {
    const { id, key } = await createKey(nodeA, 'revoked across nodes');
    const other = await createKey(nodeA, 'stays across nodes');
    const doomed = await connect(nodeB, { token: key });
    const survivor = await connect(nodeB, { token: other.key });
    const revoked = await rest(nodeA.url, 'DELETE', `/api/v1/keys/${id}`);
    expect(revoked.status).toBe(200);
    const closed = await closedWithin(doomed, PROPAGATION_MS);
    expect(closed).toEqual({ code: 4001, reason: 'credentials revoked' });
    survivor.send({ type: 'ping' });
    await survivor.next('pong');
    expect(survivor.closeCode).toBeUndefined();
  });

  it("closes node B's socket of a session signed out on node A", async () => {
    const login = await rest(nodeA.url, 'POST', '/api/v1/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
      token: null,
    });
    expect(login.status).toBe(200);
    const token = login.body.data.token as string;
    const socket = await connect(nodeB, { token });
    const logout = await rest(nodeA.url, 'POST', '/api/v1/auth/logout', { token });
    expect(logout.status).toBe(200);
    expect((await closedWithin(socket, PROPAGATION_MS)).code).toBe(4001);
  });

  it("closes node B's sockets of a user whose role node A changed", async () => {
    const created = await rest(nodeA.url, 'POST', '/api/v1/users', {
      body: { username: 'dora', password: 'dora-password-1', role: 'member' },
    });
    expect(created.status).toBe(201);
    const login = await rest(nodeB.url, 'POST', '/api/v1/auth/login', {
      body: { username: 'dora', password: 'dora-password-1' },
      token: null,
    });
    const socket = await connect(nodeB, { token: login.body.data.token as string });
    const changed = await rest(
      nodeA.url,
      'PATCH',
      `/api/v1/users/${created.body.data.user.id}/role`,
      {
        body: { role: 'admin' },
      },
    );
    expect(changed.status).toBe(200);
    expect((await closedWithin(socket, PROPAGATION_MS)).code).toBe(4001);
  });

  it("empties node B's pipeline cache when node A changes the pipeline", async () => {
    const created = await rest(nodeA.url, 'POST', '/api/v1/pipelines', {
      body: { name: 'before' },
    });
    expect(created.status).toBe(201);
    const uuid = created.body.data.pipeline.uuid as string;
    // B reads (and caches) it.
    expect(
      (await rest(nodeB.url, 'GET', `/api/v1/pipelines/${uuid}`)).body.data.pipeline.name,
    ).toBe('before');
    const patched = await rest(nodeA.url, 'PATCH', `/api/v1/pipelines/${uuid}`, {
      body: { name: 'after' },
    });
    expect(patched.status).toBe(200);
    await waitUntil(
      async () =>
        (await rest(nodeB.url, 'GET', `/api/v1/pipelines/${uuid}`)).body.data.pipeline.name ===
        'after',
      "node B seeing the pipeline's new name",
      PROPAGATION_MS,
    );
  });

  it("closes node B's connections of a pipeline node A deleted", async () => {
    const created = await rest(nodeA.url, 'POST', '/api/v1/pipelines', {
      body: { name: 'deleted across nodes' },
    });
    const uuid = created.body.data.pipeline.uuid as string;
    const onB = await connect(nodeB, { pipelineUuid: uuid });
    const onA = await connect(nodeA, { pipelineUuid: uuid });
    const deleted = await rest(nodeA.url, 'DELETE', `/api/v1/pipelines/${uuid}`);
    expect(deleted.status).toBe(200);
    expect((await closedWithin(onB, PROPAGATION_MS)).code).toBe(4004);
    expect((await closedWithin(onA, PROPAGATION_MS)).code).toBe(4004);
    // B forgot it too: no stale cached copy answers.
    expect((await rest(nodeB.url, 'GET', `/api/v1/pipelines/${uuid}`)).status).toBe(404);
  });

  it("closes node B's widget visitors when node A turns the pipeline's widget off", async () => {
    const publicPipeline = await createPublicPipeline(nodeA, { name: 'public across nodes' });
    const visitor = await issueVisitor(nodeA, publicPipeline);
    const onA = await openVisitorSocket(nodeA, publicPipeline.uuid, visitor.token);
    const onB = await openVisitorSocket(nodeB, publicPipeline.uuid, visitor.token);
    sockets.push(onA, onB);
    const ended = await rest(
      nodeA.url,
      'PATCH',
      `/api/v1/pipelines/${publicPipeline.uuid}/widget`,
      {
        body: { public: false },
      },
    );
    expect(ended.status).toBe(200);
    expect((await closedWithin(onB, PROPAGATION_MS)).code).toBe(CLOSE_CODES.FORBIDDEN);
    expect((await closedWithin(onA, PROPAGATION_MS)).code).toBe(CLOSE_CODES.FORBIDDEN);
    // B forgot its cached settings too: the same visitor is refused there at once.
    const again = await openVisitorSocket(nodeB, publicPipeline.uuid, visitor.token, {
      waitConnected: false,
    });
    expect((await closedWithin(again)).code).toBe(CLOSE_CODES.FORBIDDEN);
    expect(again.ofType('connected')).toEqual([]);
  });

  it('disconnects through node A a socket held by node B', async () => {
    const onB = await connect(nodeB);
    const response = await rest(nodeA.url, 'DELETE', `/api/v1/connections/${idOf(onB)}`);
    expect(response.status).toBe(200);
    expect(await closedWithin(onB, PROPAGATION_MS)).toEqual({
      code: 1000,
      reason: 'disconnected by an admin',
    });
    const again = await rest(nodeA.url, 'DELETE', `/api/v1/connections/${idOf(onB)}`);
    expect(again.status).toBe(404);
    expect(again.body.error).toBe('NOT_FOUND');
  });

  it('drops a stopped node from the listings', async () => {
    const extra = await startClusterNode({ databaseUrl, prefix, nodeId: 'node-c' });
    try {
      const socket = await connect(extra);
      const listed = await rest<{ connections: Listed[] }>(nodeA.url, 'GET', '/api/v1/connections');
      expect(listed.body.data.connections.map((c) => c.node_id)).toContain('node-c');
      socket.close();
    } finally {
      await extra.stop();
      await extra[Symbol.asyncDispose]();
    }
    const listed = await rest<{ connections: Listed[] }>(nodeA.url, 'GET', '/api/v1/connections');
    expect(listed.body.data.connections.map((c) => c.node_id)).not.toContain('node-c');
  });
});

describe('cluster mode: refused on SQLite', () => {
  it('stops at start with an error naming what to set', async () => {
    await expect(
      startServerProcess({ env: { BOTWIRE_REDIS_URL: 'redis://127.0.0.1:6379' } }),
    ).rejects.toThrow(
      /server exited with 2 before starting:[\s\S]*Cluster mode \(BOTWIRE_REDIS_URL\) needs PostgreSQL[\s\S]*BOTWIRE_DATABASE_URL=postgres:/,
    );
  });
});
