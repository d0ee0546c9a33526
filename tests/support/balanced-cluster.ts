import type { ConnectionsData } from '@botwire/protocol';
import { deleteRedisKeys, startClusterNode, uniqueRedisPrefix } from './cluster-nodes.js';
import { startNginxBalancer, type NginxBalancer } from './nginx-balancer.js';
import { rest } from './rest-client.js';
import type { ServerProcess } from './server-process.js';

/** Options for {@link startBalancedCluster}. */
export interface BalancedClusterOptions {
  /** A fresh database for this cluster alone (see `useTestPostgresDatabases`). */
  databaseUrl: string;
  /** One node per id, in the upstream's order; three by default. */
  nodeIds?: readonly string[];
  /** Extra environment for every node. */
  env?: Record<string, string>;
}

/** Botwire nodes in cluster mode behind a real nginx; reach them through `url` and `wsUrl`. */
export interface BalancedCluster {
  /** `http://` of nginx. */
  url: string;
  /** `ws://` of nginx. */
  wsUrl: string;
  balancer: NginxBalancer;
  /** The nodes, in `nodeIds` order (a test may kill one). */
  nodes: ServerProcess[];
  nodeIds: readonly string[];
  /** The Redis key prefix the nodes share, unique to this cluster. */
  prefix: string;
  defaultPipelineUuid: string;
  /** Stops nginx and every node still running, and deletes the cluster's Redis keys. */
  stop(): Promise<void>;
}

/** The `host:port` a node listens on, for nginx's upstream. */
function addressOf(node: ServerProcess): string {
  return new URL(node.url).host;
}

/**
 * Starts the nodes on one database and a Redis prefix of their own, then nginx round-robin in
 * front of them. The first node starts alone (it creates the admin and the default pipeline),
 * the others together. On a failure everything started so far is stopped again.
 */
export async function startBalancedCluster(
  options: BalancedClusterOptions,
): Promise<BalancedCluster> {
  const nodeIds = options.nodeIds ?? ['node-a', 'node-b', 'node-c'];
  const prefix = uniqueRedisPrefix();
  // By position in nodeIds, filled as each node starts, so a failure still stops the others.
  const started: (ServerProcess | undefined)[] = nodeIds.map(() => undefined);
  const running = (): ServerProcess[] =>
    started.filter((node): node is ServerProcess => node !== undefined);
  let balancer: NginxBalancer | undefined;
  const stop = async (): Promise<void> => {
    await balancer?.stop();
    await Promise.all(running().map((node) => node[Symbol.asyncDispose]()));
    await deleteRedisKeys(prefix);
  };
  const start = async (index: number): Promise<void> => {
    const nodeId = nodeIds[index];
    if (nodeId === undefined) throw new Error(`no node id at ${index}`);
    started[index] = await startClusterNode({
      databaseUrl: options.databaseUrl,
      prefix,
      nodeId,
      ...(options.env === undefined ? {} : { env: options.env }),
    });
  };

  try {
    if (nodeIds.length === 0) throw new Error('a cluster needs at least one node');
    await start(0);
    const others = nodeIds.slice(1).map((_nodeId, index) => start(index + 1));
    // allSettled: every start has ended (started or failed) before a failure stops the rest.
    const failed = (await Promise.allSettled(others)).find(
      (result) => result.status === 'rejected',
    );
    if (failed !== undefined) throw failed.reason;
    balancer = await startNginxBalancer(running().map(addressOf));
  } catch (error) {
    await stop();
    throw error;
  }

  const nodes = running();
  const first = nodes[0];
  if (first === undefined) throw new Error('no node started');
  return {
    url: balancer.url,
    wsUrl: balancer.wsUrl,
    balancer,
    nodes,
    nodeIds,
    prefix,
    defaultPipelineUuid: first.defaultPipelineUuid,
    stop,
  };
}

/**
 * The node holding each of `connectionIds`, from `GET /api/v1/pipelines/<uuid>/ws/connections`
 * asked through `baseUrl` (nginx: whichever node answers merges the whole cluster). Asks again
 * until every id is listed: a node too slow for the listing's 1.5 s is left out of one answer.
 */
export async function connectionNodes(
  baseUrl: string,
  pipelineUuid: string,
  connectionIds: readonly string[],
  timeoutMs = 15_000,
): Promise<Map<string, string>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listed = await rest<ConnectionsData>(
      baseUrl,
      'GET',
      `/api/v1/pipelines/${pipelineUuid}/ws/connections`,
    );
    if (listed.status !== 200) {
      throw new Error(`listing failed: ${listed.status} ${JSON.stringify(listed.body)}`);
    }
    const nodes = new Map<string, string>();
    for (const connection of listed.body.data.connections) {
      if (connection.node_id !== undefined) nodes.set(connection.connection_id, connection.node_id);
    }
    if (connectionIds.every((id) => nodes.has(id))) {
      return new Map(connectionIds.map((id) => [id, nodes.get(id) ?? '']));
    }
    if (Date.now() > deadline) {
      throw new Error(
        `connections ${connectionIds.join(', ')} not all listed within ${timeoutMs} ms: ${JSON.stringify(listed.body.data.connections)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
