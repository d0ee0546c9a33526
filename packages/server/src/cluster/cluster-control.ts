import {
  CLOSE_CODES,
  type ConnectionInfo,
  type ConnectionStats,
  type ConnectionsData,
} from '@botwire/protocol';
import type { PlatformAdapter } from '../pipelines/platform-adapter.js';
import type { AuthService, Revocation } from '../auth/auth-service.js';
import type { ConnectionManager } from '../connections/connection-manager.js';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import type { PipelineChange, PipelineService } from '../pipelines/pipeline-service.js';
import { clusterUnavailable, type ChangeAnnouncer, type ClusterBus } from './cluster-bus.js';
import {
  MAX_LISTED_CONNECTIONS_PER_NODE,
  type ClusterMessage,
  type ClusterMessageBody,
} from './cluster-message.js';
import { ClusterRequests } from './cluster-requests.js';
import { closeConnectionsWithLostCredentials } from './credential-recheck.js';

/** The reason a client reads when an admin closed its connection. */
export const DISCONNECTED_BY_ADMIN = 'disconnected by an admin';

/** How long a listing or a disconnect waits for the other nodes' replies. */
export const CLUSTER_REQUEST_TIMEOUT_MS = 1_500;

/** Options for {@link ClusterControl}. */
export interface ClusterControlOptions {
  bus: ClusterBus;
  connections: ConnectionManager;
  logger: Logger;
  requestTimeoutMs?: number;
}

/** What the services this control wires need to be given once they exist. */
export interface ClusterControlTargets {
  auth: AuthService;
  pipelines: PipelineService;
  /** The adapter broadcasts leave through. */
  chatAdapter: PlatformAdapter;
  /** Public widgets, told when another node turned one off. */
  widgets?: { applyRemotePublicEnded(pipelineUuid: string): void };
}

type ConnectionsReply = { stats: ConnectionStats; connections: ConnectionInfo[] };

function toWireRevocation(revocation: Revocation): ClusterMessageBody & { type: 'revoked' } {
  return {
    type: 'revoked',
    revocation:
      'tokenHash' in revocation
        ? { token_hash: revocation.tokenHash }
        : {
            principal_id: revocation.principalId,
            ...(revocation.exceptTokenHash === undefined
              ? {}
              : { except_token_hash: revocation.exceptTokenHash }),
          },
  };
}

function fromWireRevocation(message: ClusterMessage & { type: 'revoked' }): Revocation {
  const { revocation } = message;
  if ('token_hash' in revocation) return { tokenHash: revocation.token_hash };
  return revocation.except_token_hash === undefined
    ? { principalId: revocation.principal_id }
    : { principalId: revocation.principal_id, exceptTokenHash: revocation.except_token_hash };
}

/** Adds `extra`'s counts into `total`. */
function addStats(total: ConnectionStats, extra: ConnectionStats): void {
  total.total_connections += extra.total_connections;
  total.connections_by_session_type.person += extra.connections_by_session_type.person;
  total.connections_by_session_type.group += extra.connections_by_session_type.group;
  for (const [uuid, count] of Object.entries(extra.connections_by_pipeline)) {
    total.connections_by_pipeline[uuid] = (total.connections_by_pipeline[uuid] ?? 0) + count;
  }
  for (const [kind, count] of Object.entries(extra.connections_by_principal_kind)) {
    total.connections_by_principal_kind[kind] =
      (total.connections_by_principal_kind[kind] ?? 0) + count;
  }
  total.active_conversations += extra.active_conversations;
}

/**
 * The control plane of a cluster: what one node decides and every node must apply. Revocations
 * and pipeline writes are announced on the bus (see {@link ChangeAnnouncer}) and applied by the
 * other nodes to their connections and caches; broadcasts are published once and encoded once
 * per node; connection listings and disconnects ask every live node. On a single node's
 * in-process bus all of it stays local and publishing costs nothing.
 */
export class ClusterControl {
  readonly #bus: ClusterBus;
  readonly #connections: ConnectionManager;
  readonly #logger: Logger;
  readonly #listings: ClusterRequests<ConnectionsReply>;
  readonly #disconnects: ClusterRequests<ConnectionInfo | null>;
  #targets: ClusterControlTargets | undefined;

  /** Announces revocations; give it to the `AuthService`. */
  readonly revocations: ChangeAnnouncer<Revocation>;
  /** Announces pipeline writes; give it to the `PipelineService`. */
  readonly pipelineChanges: ChangeAnnouncer<PipelineChange>;
  /** Announces a public widget turned off (its pipeline's uuid); give it to the `WidgetService`. */
  readonly widgetPublicEnded: ChangeAnnouncer<string>;

  readonly #dependencies: { readonly available: boolean }[] = [];

  constructor(options: ClusterControlOptions) {
    this.#bus = options.bus;
    this.#connections = options.connections;
    this.#logger = options.logger;
    const timeoutMs = options.requestTimeoutMs ?? CLUSTER_REQUEST_TIMEOUT_MS;
    this.#listings = new ClusterRequests(timeoutMs);
    this.#disconnects = new ClusterRequests(timeoutMs);
    const assertCanAnnounce = (): void => this.#assertAvailable();
    this.revocations = {
      assertCanAnnounce,
      announce: (revocation) => this.#announce(toWireRevocation(revocation)),
    };
    this.pipelineChanges = {
      assertCanAnnounce,
      announce: (change) =>
        this.#announce({
          type: change.kind === 'deleted' ? 'pipeline_deleted' : 'pipeline_changed',
          pipeline_uuid: change.uuid,
        }),
    };
    this.widgetPublicEnded = {
      assertCanAnnounce,
      announce: (pipelineUuid) =>
        this.#announce({ type: 'widget_public_ended', pipeline_uuid: pipelineUuid }),
    };
    this.#bus.onMessage((message) => this.#receive(message));
    this.#bus.onReconnected(() => {
      const targets = this.#targets;
      if (targets === undefined) return;
      // Pipeline changes and revocations published while this node was cut off were lost:
      // re-read the pipelines and re-check the open connections' credentials.
      targets.pipelines.forgetCached();
      this.#logger.info('reconnected to the cluster bus; forgot cached pipelines');
      closeConnectionsWithLostCredentials({
        auth: targets.auth,
        connections: this.#connections,
        logger: this.#logger,
      }).catch((error: unknown) =>
        this.#logger.warn({ err: error }, 'could not re-check open connections after reconnecting'),
      );
    });
  }

  /** This node's id. */
  get nodeId(): string {
    return this.#bus.nodeId;
  }

  /**
   * Whether this node can reach the other nodes (always true for a single node): the bus and
   * every other part it was told to depend on (the conversation channels' Redis connections).
   */
  get available(): boolean {
    return this.#bus.available && this.#dependencies.every((part) => part.available);
  }

  /** Counts `part` in {@link available}, hence in `/readyz`. */
  dependOn(part: { readonly available: boolean }): void {
    this.#dependencies.push(part);
  }

  /** Whether this node is part of a cluster (Redis). */
  get clustered(): boolean {
    return this.#bus.clustered;
  }

  /** Connects the services built after this control; messages before that are ignored. */
  attach(targets: ClusterControlTargets): void {
    this.#targets = targets;
  }

  /**
   * Sends a broadcast to every connection of the pipeline on every node: published once, then
   * encoded once here (and once by each other node). Returns how many of this node's
   * connections it reached. Fails with `CLUSTER_UNAVAILABLE`, before sending anything, when
   * Redis cannot be reached.
   */
  async broadcast(pipelineUuid: string, text: string): Promise<number> {
    const targets = this.#requireTargets();
    await this.#bus.publish({ type: 'broadcast', pipeline_uuid: pipelineUuid, message: text });
    return targets.chatAdapter.broadcast(pipelineUuid, text);
  }

  /**
   * The connections of a pipeline (or of every pipeline) on every live node, each with its node
   * id, and totals over all of them. Each node lists at most
   * {@link MAX_LISTED_CONNECTIONS_PER_NODE}; the totals count every connection.
   */
  async listConnections(pipelineUuid?: string): Promise<ConnectionsData> {
    const local = this.#localConnections(pipelineUuid);
    if (!this.#bus.clustered) return local;
    this.#assertAvailable();
    const peers = (await this.#bus.liveNodes()).filter((node) => node !== this.nodeId);
    const { replies, missing } = await this.#listings.gather({
      peers,
      send: (requestId) =>
        this.#bus.publish({
          type: 'connections_request',
          request_id: requestId,
          ...(pipelineUuid === undefined ? {} : { pipeline_uuid: pipelineUuid }),
        }),
    });
    if (missing.length > 0) {
      this.#logger.warn({ nodes: missing }, 'nodes did not answer a connection listing in time');
    }
    const stats = structuredClone(local.stats);
    const connections = [...local.connections];
    for (const reply of replies.values()) {
      addStats(stats, reply.stats);
      connections.push(...reply.connections);
    }
    return { stats, connections };
  }

  /**
   * Closes one connection, wherever it is, with 1000. Returns its description, or undefined
   * when no live node holds it.
   */
  async disconnect(connectionId: string): Promise<ConnectionInfo | undefined> {
    const local = this.#disconnectLocal(connectionId);
    if (local !== undefined || !this.#bus.clustered) return local;
    this.#assertAvailable();
    const peers = (await this.#bus.liveNodes()).filter((node) => node !== this.nodeId);
    const { replies } = await this.#disconnects.gather({
      peers,
      send: (requestId) =>
        this.#bus.publish({
          type: 'disconnect_request',
          request_id: requestId,
          connection_id: connectionId,
        }),
      isFinal: (reply) => reply !== null,
    });
    for (const reply of replies.values()) if (reply !== null) return reply;
    return undefined;
  }

  #assertAvailable(): void {
    if (!this.#bus.available) throw clusterUnavailable();
  }

  async #announce(body: ClusterMessageBody): Promise<void> {
    try {
      await this.#bus.publish(body);
    } catch (error) {
      this.#logger.error(
        { err: error, type: body.type },
        'a change was stored and applied on this node, but the other nodes could not be told',
      );
      throw new BotwireError(
        'CLUSTER_UNAVAILABLE',
        'The change is stored and applied on this node, but Redis could not be reached to tell the other nodes of the cluster; their open connections and caches may keep the old state until they reconnect to Redis.',
        { cause: error },
      );
    }
  }

  #requireTargets(): ClusterControlTargets {
    if (this.#targets === undefined)
      throw new BotwireError('INTERNAL_ERROR', 'cluster control used before it was attached');
    return this.#targets;
  }

  #localConnections(pipelineUuid: string | undefined): ConnectionsData {
    const listed = this.#connections.list(pipelineUuid);
    const nodeId = this.#bus.clustered ? this.nodeId : undefined;
    return {
      stats: this.#connections.stats(pipelineUuid),
      connections: listed.slice(0, MAX_LISTED_CONNECTIONS_PER_NODE).map((connection) => {
        const info = this.#connections.describe(connection);
        return nodeId === undefined ? info : { ...info, node_id: nodeId };
      }),
    };
  }

  #disconnectLocal(connectionId: string): ConnectionInfo | undefined {
    const connection = this.#connections.get(connectionId);
    if (connection === undefined) return undefined;
    const info = this.#connections.describe(connection);
    connection.close(CLOSE_CODES.NORMAL, DISCONNECTED_BY_ADMIN);
    return this.#bus.clustered ? { ...info, node_id: this.nodeId } : info;
  }

  #receive(message: ClusterMessage): void {
    const targets = this.#targets;
    if (targets === undefined) return;
    try {
      this.#apply(message, targets);
    } catch (error) {
      this.#logger.error(
        { err: error, type: message.type, origin: message.origin },
        'could not apply a message from another node',
      );
    }
  }

  #apply(message: ClusterMessage, targets: ClusterControlTargets): void {
    switch (message.type) {
      case 'revoked':
        targets.auth.applyRemoteRevocation(fromWireRevocation(message));
        return;
      case 'pipeline_changed':
        targets.pipelines.applyRemoteChange({ kind: 'changed', uuid: message.pipeline_uuid });
        return;
      case 'pipeline_deleted':
        targets.pipelines.applyRemoteChange({ kind: 'deleted', uuid: message.pipeline_uuid });
        return;
      case 'widget_public_ended':
        targets.widgets?.applyRemotePublicEnded(message.pipeline_uuid);
        return;
      case 'broadcast':
        targets.chatAdapter.broadcast(message.pipeline_uuid, message.message);
        return;
      case 'connections_request': {
        const local = this.#localConnections(message.pipeline_uuid);
        this.#reply({
          type: 'connections_reply',
          to: message.origin,
          request_id: message.request_id,
          ...local,
        });
        return;
      }
      case 'connections_reply':
        this.#listings.receive(message.request_id, message.origin, {
          stats: message.stats,
          connections: message.connections,
        });
        return;
      case 'disconnect_request': {
        const info = this.#disconnectLocal(message.connection_id);
        if (info !== undefined) {
          this.#logger.info(
            {
              audit: 'connection.disconnect',
              connection: message.connection_id,
              via: message.origin,
            },
            `connection ${message.connection_id} disconnected by an admin through node ${message.origin}`,
          );
        }
        this.#reply({
          type: 'disconnect_reply',
          to: message.origin,
          request_id: message.request_id,
          connection: info ?? null,
        });
        return;
      }
      case 'disconnect_reply':
        this.#disconnects.receive(message.request_id, message.origin, message.connection);
        return;
      case 'generation_request':
      case 'generation_reply':
        // The reply queues' own business: RedisGenerationHub listens for them.
        return;
    }
  }

  #reply(body: ClusterMessageBody): void {
    this.#bus.publish(body).catch((error: unknown) => {
      this.#logger.warn({ err: error, type: body.type }, 'could not answer another node');
    });
  }
}
