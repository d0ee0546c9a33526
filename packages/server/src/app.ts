import path from 'node:path';
import { CLOSE_CODES } from '@botwire/protocol';
import type { FastifyInstance } from 'fastify';
import { AdapterRegistry, WEBSOCKET_PROXY_BOT_UUID } from './adapters/adapter-registry.js';
import { WebSocketAdapter } from './adapters/websocket-adapter.js';
import { AuthService, type EnsureAdminResult } from './auth/auth-service.js';
import { ClusterControl } from './cluster/cluster-control.js';
import { openClusterConnections, type ClusterConnections } from './cluster/cluster-connections.js';
import { clusterConfigProblem, type Config } from './config/config.js';
import { closeRevokedConnections } from './connections/close-revoked-connections.js';
import { ConnectionManager } from './connections/connection-manager.js';
import { HeartbeatMonitor } from './connections/heartbeat-monitor.js';
import { WebSocketGateway } from './connections/websocket-gateway.js';
import { ConversationService } from './pipelines/conversation-service.js';
import { inMemoryChannelFactory } from './conversations/in-memory-channel-factory.js';
import { ReplayMemory } from './conversations/replay-memory.js';
import { BotwireError } from './errors/botwire-error.js';
import { createHttpServer } from './http/create-http-server.js';
import { FileImageStore } from './images/file-image-store.js';
import { ImageService } from './images/image-service.js';
import { ImageSweeper } from './images/image-sweeper.js';
import type { ImageStore } from './images/image-store.js';
import { PostgresImageStore } from './images/postgres-image-store.js';
import type { Logger } from './logging/logger.js';
import { Metrics } from './metrics/metrics.js';
import { generationJobCodec } from './pipelines/generation-job-codec.js';
import { PipelineExecutor } from './pipelines/pipeline-executor.js';
import { defaultRunnerFor } from './pipelines/default-runner.js';
import { PipelineService } from './pipelines/pipeline-service.js';
import { MessageBudget } from './quotas/message-budget.js';
import { openStore } from './storage/open-store.js';
import type { Store } from './storage/store.js';
import { WidgetService } from './widget/widget-service.js';

/** Options for {@link startBotwire}. */
export interface BotwireOptions {
  config: Config;
  logger: Logger;
}

/** A running Botwire server. */
export interface BotwireServer {
  /** Base URL, e.g. `http://127.0.0.1:8000`. */
  readonly url: string;
  readonly port: number;
  /** What first start did about the admin account (the caller prints a generated password once). */
  readonly admin: EnsureAdminResult;
  readonly defaultPipelineUuid: string;
  readonly store: Store;
  readonly connections: ConnectionManager;
  readonly heartbeat: HeartbeatMonitor;
  /** This node's id (generated unless `nodeId` is configured). */
  readonly nodeId: string;
  /**
   * Graceful shutdown: refuse new connections and messages, let replies in flight finish within
   * the grace period (then store them as interrupted), close every connection with 1001 so
   * clients reconnect elsewhere or later, and close the store.
   */
  stop(): Promise<void>;
}

/** How often idle conversations are checked for eviction, and how long they stay idle first. */
const CONVERSATION_SWEEP_MS = 60_000;
const CONVERSATION_IDLE_MS = 10 * 60_000;

/** The composition root: builds every part of the server from the config and starts it. */
export async function startBotwire(options: BotwireOptions): Promise<BotwireServer> {
  const { config, logger } = options;
  const problem = clusterConfigProblem(config);
  if (problem !== undefined) throw new BotwireError('VALIDATION_FAILED', problem);
  const { store, dialect, location: databaseLocation } = await openStore(config, logger);
  let clusterConnections: ClusterConnections;
  try {
    clusterConnections = await openClusterConnections({ config, store, logger });
  } catch (error) {
    await store.close();
    throw error;
  }
  const { bus, channelHub, generationHub } = clusterConnections;
  // A single node's replies left streaming are its own, from its last run. In a cluster they may
  // be another node's, in progress: there the node that takes over a lapsed lease ends them.
  if (!bus.clustered) {
    const interrupted = await store.messages.markStreamingAsInterrupted();
    if (interrupted > 0)
      logger.warn({ interrupted }, 'marked replies left streaming by the last run as interrupted');
  }

  const metrics = new Metrics();
  const connections = new ConnectionManager();
  const cluster = new ClusterControl({
    bus,
    connections,
    logger: logger.child({ module: 'cluster' }),
  });
  const auth = new AuthService({
    store,
    config: config.auth,
    logger,
    ...(bus.clustered ? { announcer: cluster.revocations } : {}),
  });
  const pipelines = new PipelineService({
    store,
    logger: logger.child({ module: 'pipelines' }),
    ...(bus.clustered ? { announcer: cluster.pipelineChanges } : {}),
  });
  // Nodes of a cluster starting together on a new database create the admin and the default
  // pipeline once between them.
  const { admin, defaultPipeline, created } = await store.withStartupLock(async () => {
    const ensured = await pipelines.ensureDefault(defaultRunnerFor(config.defaultModel));
    return { admin: await auth.ensureAdmin(), ...ensured, defaultPipeline: ensured.pipeline };
  });
  if (!created && Object.values(config.defaultModel).some((value) => value !== undefined)) {
    // Otherwise a user who sets OPENAI_API_KEY on an existing install wonders why nothing changed.
    logger.warn(
      { pipeline: defaultPipeline.uuid },
      'OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY and BOTWIRE_MODEL only configure the default pipeline when it is created at first start; change an existing pipeline with PATCH /api/v1/pipelines/<uuid> (see docs/pipelines.md)',
    );
  }

  const adapters = new AdapterRegistry();
  const websocketAdapter = new WebSocketAdapter(connections);
  adapters.register(websocketAdapter);
  const bot = adapters.createBot({
    uuid: WEBSOCKET_PROXY_BOT_UUID,
    name: 'WebSocket',
    adapterName: 'websocket',
  });

  const messageBudget = new MessageBudget({ usage: store.usage, limits: config.limits });
  // Image bytes live with the store: in PostgreSQL beside its tables (every process on the
  // database serves every image), or as files under the data directory beside SQLite.
  const imageStore: ImageStore =
    dialect === 'postgres'
      ? new PostgresImageStore(store.database)
      : new FileImageStore(path.resolve(config.dataDir, 'images'));
  const images = new ImageService({
    store,
    imageStore,
    budget: messageBudget,
    maxImageBytes: config.limits.maxImageBytes,
    logger: logger.child({ module: 'images' }),
  });
  const imageSweeper = new ImageSweeper({
    images,
    ttlMs: config.limits.unattachedImageTtlMs,
    logger: logger.child({ module: 'images' }),
  });
  const executor = new PipelineExecutor({
    store,
    logger: logger.child({ module: 'pipelines' }),
    metrics,
    maxQueuedMessages: config.websocket.maxQueuedMessages,
    images,
  });
  const replayMemory = new ReplayMemory({ budgetBytes: config.websocket.replayTotalBytes });
  // The conversation channels: in memory for a single node (no cost for the cluster), a Redis
  // stream and pub/sub channel per conversation in cluster mode. Nothing else knows which.
  // Reply queues likewise: in memory, or shared through Redis where the holder of a
  // conversation's lease generates its replies.
  for (const part of clusterConnections.dependencies) cluster.dependOn(part);
  const createChannel =
    channelHub?.createChannel ??
    inMemoryChannelFactory({
      store,
      logger: logger.child({ module: 'conversations' }),
      replayWindow: config.websocket.replayWindow,
      replayBudgetBytes: config.websocket.replayBudgetBytes,
      replayMemory,
    });
  const conversations = new ConversationService({
    memoryLimits: { maxLiveConversations: config.limits.maxLiveConversations },
    createChannel,
    ...(generationHub === undefined
      ? {}
      : { createQueue: generationHub.createQueue(generationJobCodec(bot.adapter)) }),
    onMessagesDeleted: () => messageBudget.forgetUsage(),
    images,
    maxHistoryPageBytes: config.limits.maxHistoryPageBytes,
    store,
    logger: logger.child({ module: 'conversations' }),
    metrics,
    pipelines,
    executor,
    maxQueuedMessages: config.websocket.maxQueuedMessages,
  });
  generationHub?.start((identity) => conversations.registry.open(identity));
  metrics.observeMemory({
    replayBytes: () => replayMemory.bytes,
    liveConversations: () => conversations.registry.size,
  });
  pipelines.onDeleted((pipelineUuid) => {
    messageBudget.forgetUsage();
    connections.closePipeline(pipelineUuid, CLOSE_CODES.PIPELINE_NOT_FOUND, 'pipeline deleted');
    conversations.dropPipeline(pipelineUuid).catch((error: unknown) => {
      logger.error(
        { err: error, pipeline: pipelineUuid },
        'could not stop the replies of a deleted pipeline',
      );
    });
  });

  auth.onRevoked((revocation) => closeRevokedConnections({ connections, revocation, logger }));

  const widgets = new WidgetService({
    store,
    pipelines,
    logger: logger.child({ module: 'widget' }),
    announcer: cluster.widgetPublicEnded,
  });
  cluster.attach({ auth, pipelines, chatAdapter: bot.adapter, widgets });
  widgets.onPublicEnded((pipelineUuid) => {
    connections.closeMatching(
      (connection) =>
        connection.principal.kind === 'visitor' &&
        connection.placement.pipelineUuid === pipelineUuid,
      CLOSE_CODES.FORBIDDEN,
      'the pipeline is no longer public',
    );
  });

  let ready = true;
  const gateway = new WebSocketGateway({
    config,
    logger: logger.child({ module: 'connections' }),
    metrics,
    auth,
    pipelines,
    conversations,
    connections,
    adapter: bot.adapter,
    messageBudget,
    widgets,
  });
  const http: FastifyInstance = await createHttpServer({
    config,
    logger,
    metrics,
    store,
    auth,
    pipelines,
    conversations,
    connections,
    widgets,
    adapters,
    images,
    chatAdapter: bot.adapter,
    cluster,
    isReady: () => ready,
  });
  http.server.on('upgrade', (request, socket, head) =>
    gateway.handleUpgrade(request, socket, head),
  );

  const heartbeat = new HeartbeatMonitor({
    connections,
    logger: logger.child({ module: 'heartbeat' }),
    intervalMs: config.websocket.heartbeatIntervalMs,
    timeoutMs: config.websocket.heartbeatTimeoutMs,
  });
  const sweeper = setInterval(() => {
    conversations.registry.sweep(CONVERSATION_IDLE_MS);
    auth
      .deleteExpiredSessions()
      .catch((error: unknown) => logger.warn({ err: error }, 'could not delete expired sessions'));
  }, CONVERSATION_SWEEP_MS);
  sweeper.unref();

  try {
    await http.listen({ host: config.host, port: config.port });
  } catch (error) {
    clearInterval(sweeper);
    auth.close();
    await clusterConnections.close();
    await store.close();
    throw error;
  }
  heartbeat.start();
  imageSweeper.start();
  const address = http.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info(
    {
      url,
      pipeline: defaultPipeline.uuid,
      runner: defaultPipeline.runner.type,
      database: databaseLocation,
      node: bus.nodeId,
      cluster: bus.clustered,
    },
    `Botwire listening on ${url}`,
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      logger.info('shutting down');
      ready = false;
      gateway.stopAccepting();
      heartbeat.stop();
      clearInterval(sweeper);
      auth.close();
      await gateway.idle();
      // Replies running here finish (or are stopped), then their waiting jobs go to other nodes.
      generationHub?.beginShutdown();
      await conversations.shutdown(config.shutdownGraceMs);
      const closed = Promise.all(
        connections
          .list()
          .map(
            (connection) =>
              new Promise<void>((resolve) => connection.socket.once('close', () => resolve())),
          ),
      );
      connections.closeAll(CLOSE_CODES.GOING_AWAY, 'server shutting down');
      await closed;
      await http.close();
      await imageSweeper.stop();
      await clusterConnections.close();
      await store.close();
      logger.info('shut down');
    })();
    return stopping;
  };

  return {
    url,
    port,
    admin,
    defaultPipelineUuid: defaultPipeline.uuid,
    store,
    connections,
    heartbeat,
    nodeId: bus.nodeId,
    stop,
  };
}
