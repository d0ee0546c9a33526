import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../storage/store.js';
import type { ClusterBus } from './cluster-bus.js';
import { InProcessClusterHub } from './in-process-cluster-bus.js';
import { generateNodeId } from './node-id.js';
import { RedisChannelHub } from './redis-channel-hub.js';
import { RedisClusterBus } from './redis-cluster-bus.js';
import { RedisGenerationHub } from './redis-generation-hub.js';

/**
 * What connects a node to the others: the bus, and in cluster mode the Redis hubs of the
 * conversation channels and of the reply queues. A single node has the in-process bus only.
 */
export interface ClusterConnections {
  bus: ClusterBus;
  channelHub?: RedisChannelHub;
  generationHub?: RedisGenerationHub;
  /** Every part this node's readiness depends on, besides the bus. */
  readonly dependencies: readonly { readonly available: boolean }[];
  close(): Promise<void>;
}

/**
 * Opens the bus (Redis in cluster mode, else the in-process bus of a single node, a hub of one
 * where publishing costs nothing) and, in cluster mode, the hubs. Fails with
 * `CLUSTER_UNAVAILABLE` when Redis cannot be reached, having closed what it opened.
 */
export async function openClusterConnections(options: {
  config: Config;
  store: Store;
  logger: Logger;
}): Promise<ClusterConnections> {
  const { config, store, logger } = options;
  const nodeId = config.nodeId ?? generateNodeId();
  if (config.redisUrl === undefined) {
    const bus = new InProcessClusterHub().join(nodeId);
    return { bus, dependencies: [], close: () => bus.close() };
  }
  const url = config.redisUrl;
  const prefix = config.redisPrefix;
  const bus = await RedisClusterBus.connect({
    url,
    prefix,
    nodeId,
    logger: logger.child({ module: 'cluster', node: nodeId }),
  });
  let channelHub: RedisChannelHub | undefined;
  let generationHub: RedisGenerationHub | undefined;
  const close = async (): Promise<void> => {
    await generationHub?.close();
    await channelHub?.close();
    await bus.close();
  };
  try {
    channelHub = await RedisChannelHub.connect({
      url,
      prefix,
      nodeId,
      store,
      logger: logger.child({ module: 'conversations', node: nodeId }),
      replayWindow: config.websocket.replayWindow,
      replayBudgetBytes: config.websocket.replayBudgetBytes,
    });
    generationHub = await RedisGenerationHub.connect({
      url,
      prefix,
      bus,
      logger: logger.child({ module: 'generation', node: nodeId }),
      leaseMs: config.generationLeaseMs,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { bus, channelHub, generationHub, dependencies: [channelHub, generationHub], close };
}
