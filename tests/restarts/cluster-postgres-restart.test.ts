import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import {
  deleteRedisKeys,
  readiness,
  startClusterNode,
  uniqueRedisPrefix,
} from '../support/cluster-nodes.js';
import { waitUntil } from '../support/e2e-helpers.js';
import { finalFor, sendAndAck } from '../support/model-test-kit.js';
import { TEST_POSTGRES_URL, useTestPostgresDatabases } from '../support/postgres-database.js';
import type { ServerProcess } from '../support/server-process.js';
import { TestResources, createBenchPipeline, fetchHistory } from '../support/stream-test-kit.js';

/** The machine's PostgreSQL cluster, as `.ci/run` and the machine start it. */
function postgresVersion(): string | undefined {
  try {
    return readdirSync('/etc/postgresql')[0];
  } catch {
    return undefined;
  }
}

function pgCtl(action: 'start' | 'stop'): void {
  const version = postgresVersion();
  if (version === undefined) throw new Error('no PostgreSQL cluster under /etc/postgresql');
  const extra = action === 'stop' ? ['-m', 'fast'] : [];
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action, ...extra], {
    timeout: 30_000,
    stdio: 'ignore',
  });
}

function postgresAnswers(): boolean {
  try {
    execFileSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-t', '2'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function startPostgres(): Promise<void> {
  if (postgresAnswers()) return;
  pgCtl('start');
  await waitUntil(() => postgresAnswers(), 'PostgreSQL answering again', 20_000, 100);
}

const local = new URL(TEST_POSTGRES_URL);

/**
 * Issue 11, item 8, for PostgreSQL: the machine's real PostgreSQL is stopped and started again
 * with its usual command under two nodes. They report not ready, refuse messages with a typed
 * error instead of acknowledging what they cannot store, come back by themselves, and nothing
 * acknowledged is lost. Needs the local server and the right to restart it (root, as on CI).
 */
describe.runIf(
  local.hostname === '127.0.0.1' &&
    local.port === '5432' &&
    postgresVersion() !== undefined &&
    process.getuid?.() === 0,
)('cluster mode: a PostgreSQL restart', () => {
  const newDatabase = useTestPostgresDatabases();
  const prefix = uniqueRedisPrefix();
  const resources = new TestResources();
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let pipeline: string;

  beforeAll(async () => {
    const databaseUrl = (await newDatabase()).url;
    [nodeA, nodeB] = await Promise.all([
      startClusterNode({ databaseUrl, prefix, nodeId: 'pg-restart-a' }),
      startClusterNode({ databaseUrl, prefix, nodeId: 'pg-restart-b' }),
    ]);
    pipeline = await createBenchPipeline(nodeA, 'through a restart', {
      chunks: 3,
      chunk_bytes: 8,
      interval_ms: 5,
    });
  });
  afterAll(async () => {
    await resources.dispose();
    await startPostgres();
    await nodeA?.[Symbol.asyncDispose]();
    await nodeB?.[Symbol.asyncDispose]();
    await deleteRedisKeys(prefix);
  });

  it('is not ready, refuses messages with DATABASE_UNAVAILABLE, then serves again by itself', async () => {
    const query = 'session_type=person&session=restart';
    const onA: ChatSocket = await resources.connect(nodeA, pipeline, { query });
    const onB: ChatSocket = await resources.connect(nodeB, pipeline, { query });
    const before = await sendAndAck(onA, 'before the restart');
    await finalFor(onB, before.data.id);

    pgCtl('stop');
    try {
      for (const node of [nodeA, nodeB]) {
        await waitUntil(
          async () => (await readiness(node.url)).status === 503,
          'not ready while PostgreSQL is down',
          10_000,
          100,
        );
        expect((await readiness(node.url)).body).toMatchObject({ database: 'unreachable' });
      }
      const acknowledged = onB.ofType('user_message').length;
      onB.sendText('during the restart', { client_id: 'restart-1' });
      const refusal = await onB.next('error');
      expect(refusal.code).toBe('DATABASE_UNAVAILABLE');
      expect(onB.ofType('user_message')).toHaveLength(acknowledged);
    } finally {
      await startPostgres();
    }

    for (const node of [nodeA, nodeB]) {
      await waitUntil(
        async () => (await readiness(node.url)).status === 200,
        'ready again once PostgreSQL is back',
        20_000,
        100,
      );
    }
    // Sent again, as a client does after an error: stored once, answered.
    onB.sendText('during the restart', { client_id: 'restart-1' });
    const again = await onB.next('user_message', (frame) => frame.data.client_id === 'restart-1');
    await finalFor(onA, again.data.id);
    const history = await fetchHistory(nodeB, pipeline, 'person', { session: 'restart' });
    expect(
      history.messages
        .filter((message) => message.role === 'user')
        .map((message) => message.content),
    ).toEqual(['before the restart', 'during the restart']);
    expect(history.messages.filter((message) => message.role === 'assistant')).toHaveLength(2);
  });
});
