import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  BENCH_KEY,
  broadcastThrough,
  connectUrl,
  createBenchPipeline,
  startBotwireProcess,
  type BotwireProcess,
} from './botwire-process.js';
import { createClusterResources } from './cluster-resources.js';
import type { ClusterSettings, RunningTarget, TargetStartOptions } from './target.js';

/**
 * Starts Botwire in cluster mode: `nodes` real node processes sharing a fresh PostgreSQL database
 * and a Redis key prefix of their own, and creates the bench pipeline. Clients are spread over
 * the nodes round-robin (`ConnectSpec.urls`); broadcasts go through the first node and reach the
 * others over Redis. Everything (processes, database, keys, data directories) is removed on stop
 * and on any failure while starting.
 */
export async function startBotwireClusterTarget(
  options: TargetStartOptions,
): Promise<RunningTarget> {
  const cluster: ClusterSettings = options.cluster ?? {
    nodes: 3,
    postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: 'redis://127.0.0.1:6379',
  };
  const resources = await createClusterResources(cluster);
  const nodes: (BotwireProcess & { number: number })[] = [];
  const dataDirs: string[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((node) => node.stop()));
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
    await resources.remove();
  };
  const startNode = (number: number): Promise<BotwireProcess> => {
    // Nothing is stored there in cluster mode, but each node gets a directory of its own.
    const dataDir = mkdtempSync(path.join(tmpdir(), 'botwire-bench-node-'));
    dataDirs.push(dataDir);
    return startBotwireProcess({
      environment: {
        BOTWIRE_DATA_DIR: dataDir,
        BOTWIRE_DATABASE_URL: resources.databaseUrl,
        BOTWIRE_REDIS_URL: cluster.redisUrl,
        BOTWIRE_REDIS_PREFIX: resources.redisPrefix,
        BOTWIRE_NODE_ID: `bench-node-${number}`,
      },
      nodeArguments: options.nodeArguments ?? [],
      label: `Botwire node ${number}`,
    }).then((node) => {
      nodes.push({ ...node, number });
      return node;
    });
  };
  try {
    // The first start of a database creates the admin account: one node alone first
    // (docs/scaling.md), then the others together.
    const first = await startNode(1);
    const uuid = await createBenchPipeline(first.baseUrl, options.reply);
    const others = await Promise.allSettled(
      Array.from({ length: Math.max(0, cluster.nodes - 1) }, (_unused, index) =>
        startNode(index + 2),
      ),
    );
    const failed = others.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    // Node 1 first, then the others in the order they came up: report by node id instead.
    nodes.sort((left, right) => left.number - right.number);
    return {
      name: 'botwire-cluster',
      pids: nodes.map((node) => node.pid),
      connect: {
        dialect: 'ws',
        urls: nodes.map((node) => connectUrl(node.baseUrl, uuid)),
        headers: { authorization: `Bearer ${BENCH_KEY}` },
      },
      broadcast: (message) => broadcastThrough(first.baseUrl, uuid, message),
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
