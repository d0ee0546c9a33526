import { principalKindSchema } from '@botwire/protocol';
import type { ConnectionInfo, ConnectionStats, SessionType } from '@botwire/protocol';
import type { Connection } from './connection.js';

function addToIndex<TKey>(
  index: Map<TKey, Set<Connection>>,
  key: TKey,
  connection: Connection,
): void {
  let set = index.get(key);
  if (set === undefined) {
    set = new Set();
    index.set(key, set);
  }
  set.add(connection);
}

function removeFromIndex<TKey>(
  index: Map<TKey, Set<Connection>>,
  key: TKey,
  connection: Connection,
): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(connection);
  if (set.size === 0) index.delete(key);
}

/**
 * The registry of live connections, indexed by id, pipeline, (pipeline, session type),
 * conversation and principal. Node runs it on one thread, so plain maps are safe; every
 * lookup used on a hot path is a map access, never a scan.
 */
export class ConnectionManager {
  private readonly byId = new Map<string, Connection>();
  private readonly byPipeline = new Map<string, Set<Connection>>();
  private readonly byPipelineSessionType = new Map<string, Set<Connection>>();
  private readonly byConversation = new Map<string, Set<Connection>>();
  private readonly byPrincipal = new Map<string, Set<Connection>>();

  get size(): number {
    return this.byId.size;
  }

  add(connection: Connection): void {
    const { pipelineUuid, sessionType, conversationKey } = connection.placement;
    this.byId.set(connection.id, connection);
    addToIndex(this.byPipeline, pipelineUuid, connection);
    addToIndex(this.byPipelineSessionType, `${pipelineUuid}\u0000${sessionType}`, connection);
    addToIndex(this.byConversation, conversationKey, connection);
    addToIndex(this.byPrincipal, connection.principal.id, connection);
  }

  remove(connection: Connection): void {
    if (this.byId.get(connection.id) !== connection) return;
    const { pipelineUuid, sessionType, conversationKey } = connection.placement;
    this.byId.delete(connection.id);
    removeFromIndex(this.byPipeline, pipelineUuid, connection);
    removeFromIndex(this.byPipelineSessionType, `${pipelineUuid}\u0000${sessionType}`, connection);
    removeFromIndex(this.byConversation, conversationKey, connection);
    removeFromIndex(this.byPrincipal, connection.principal.id, connection);
  }

  get(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  countForPrincipal(principalId: string): number {
    return this.byPrincipal.get(principalId)?.size ?? 0;
  }

  /** Sends encoded text to one connection; false when it is not here or not open. */
  unicast(id: string, text: string): boolean {
    return this.byId.get(id)?.sendText(text) ?? false;
  }

  /** Sends encoded text to every connection of a conversation; returns how many it reached. */
  sendToConversation(conversationKey: string, text: string): number {
    return this.sendToAll(this.byConversation.get(conversationKey), text);
  }

  /** Sends encoded text to every connection of a pipeline (optionally of one session type). */
  broadcast(pipelineUuid: string, text: string, sessionType?: SessionType): number {
    const set =
      sessionType === undefined
        ? this.byPipeline.get(pipelineUuid)
        : this.byPipelineSessionType.get(`${pipelineUuid}\u0000${sessionType}`);
    return this.sendToAll(set, text);
  }

  /** Connections of a pipeline, or of every pipeline. */
  list(pipelineUuid?: string): Connection[] {
    const source =
      pipelineUuid === undefined ? this.byId.values() : (this.byPipeline.get(pipelineUuid) ?? []);
    return [...source];
  }

  /** Totals for one pipeline, or for the whole server. */
  stats(pipelineUuid?: string): ConnectionStats {
    const connections = this.list(pipelineUuid);
    const bySessionType = { person: 0, group: 0 };
    const byPipeline: Record<string, number> = {};
    const conversations = new Set<string>();
    // Every kind is listed, zeros included, so readers see the same keys whoever is connected.
    const byPrincipalKind: Record<string, number> = Object.fromEntries(
      principalKindSchema.options.map((kind) => [kind, 0]),
    );
    for (const connection of connections) {
      byPrincipalKind[connection.principal.kind] =
        (byPrincipalKind[connection.principal.kind] ?? 0) + 1;
      bySessionType[connection.placement.sessionType] += 1;
      byPipeline[connection.placement.pipelineUuid] =
        (byPipeline[connection.placement.pipelineUuid] ?? 0) + 1;
      conversations.add(connection.placement.conversationKey);
    }
    return {
      total_connections: connections.length,
      connections_by_session_type: bySessionType,
      connections_by_pipeline: byPipeline,
      connections_by_principal_kind: byPrincipalKind,
      active_conversations: conversations.size,
    };
  }

  /** Public description of a connection, for the connections endpoint. */
  describe(connection: Connection): ConnectionInfo {
    return {
      connection_id: connection.id,
      pipeline_uuid: connection.placement.pipelineUuid,
      session_type: connection.placement.sessionType,
      session: connection.placement.session,
      created_at: new Date(connection.createdAt).toISOString(),
      last_active: new Date(connection.lastActiveAt).toISOString(),
      is_active: connection.isOpen,
      remote_address: connection.remoteAddress,
      principal: {
        id: connection.principal.id,
        name: connection.principal.name,
        kind: connection.principal.kind,
      },
    };
  }

  /** Closes every connection of a pipeline (for example after it was deleted). */
  closePipeline(pipelineUuid: string, code: number, reason: string): void {
    for (const connection of this.list(pipelineUuid)) connection.close(code, reason);
  }

  /** Closes every connection `predicate` picks; returns how many. */
  closeMatching(
    predicate: (connection: Connection) => boolean,
    code: number,
    reason: string,
  ): number {
    let closed = 0;
    for (const connection of this.byId.values()) {
      if (predicate(connection)) {
        connection.close(code, reason);
        closed += 1;
      }
    }
    return closed;
  }

  closeAll(code: number, reason: string): void {
    for (const connection of this.byId.values()) connection.close(code, reason);
  }

  private sendToAll(set: Set<Connection> | undefined, text: string): number {
    if (set === undefined) return 0;
    let reached = 0;
    for (const connection of set) if (connection.sendText(text)) reached += 1;
    return reached;
  }
}
