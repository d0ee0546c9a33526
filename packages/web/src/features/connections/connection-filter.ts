import type { ConnectionsData } from './connection-statistics.js';

type ConnectionInfo = ConnectionsData['connections'][number];

/** Columns the connections table sorts by. */
export type ConnectionSortKey = 'created_at' | 'last_active' | 'principal' | 'pipeline';

/** How the table is narrowed and ordered. */
export interface ConnectionView {
  /** Matched against id, pipeline name, principal, address and session (case-insensitive). */
  text: string;
  sessionType: 'all' | 'person' | 'group';
  /** A `principal.kind` (`user`, `api_key`, `visitor`…), or `all`. */
  principalKind: string;
  /** A cluster node's id (`node_id`), or `all`. */
  node: string;
  sortKey: ConnectionSortKey;
  descending: boolean;
}

export const DEFAULT_CONNECTION_VIEW: ConnectionView = {
  text: '',
  sessionType: 'all',
  principalKind: 'all',
  node: 'all',
  sortKey: 'created_at',
  descending: true,
};

/**
 * The ids of the nodes holding the connections, sorted; empty on a single node, whose listing
 * has no `node_id` (the console then shows no node column).
 */
export function nodesOf(connections: readonly ConnectionInfo[]): string[] {
  const nodes = new Set<string>();
  for (const connection of connections) {
    if (connection.node_id !== undefined) nodes.add(connection.node_id);
  }
  return [...nodes].sort((a, b) => a.localeCompare(b));
}

/** The connections the view shows, in its order; pure, so the rules are unit-tested. */
export function viewConnections(
  connections: readonly ConnectionInfo[],
  view: ConnectionView,
  pipelineNames: ReadonlyMap<string, string>,
): ConnectionInfo[] {
  const query = view.text.trim().toLowerCase();
  const pipelineName = (connection: ConnectionInfo): string =>
    pipelineNames.get(connection.pipeline_uuid) ?? connection.pipeline_uuid;
  const shown = connections.filter((connection) => {
    if (view.sessionType !== 'all' && connection.session_type !== view.sessionType) return false;
    if (view.principalKind !== 'all' && connection.principal.kind !== view.principalKind) {
      return false;
    }
    if (view.node !== 'all' && connection.node_id !== view.node) return false;
    if (query === '') return true;
    return [
      connection.connection_id,
      pipelineName(connection),
      connection.principal.name,
      connection.principal.id,
      connection.principal.kind,
      connection.remote_address,
      connection.session,
      connection.node_id ?? '',
    ].some((field) => field.toLowerCase().includes(query));
  });
  const keyOf = (connection: ConnectionInfo): string => {
    switch (view.sortKey) {
      case 'created_at':
        return connection.created_at;
      case 'last_active':
        return connection.last_active;
      case 'principal':
        return connection.principal.name.toLowerCase();
      case 'pipeline':
        return pipelineName(connection).toLowerCase();
    }
  };
  const direction = view.descending ? -1 : 1;
  return shown.sort((a, b) => {
    const order = keyOf(a).localeCompare(keyOf(b));
    return order === 0 ? a.connection_id.localeCompare(b.connection_id) : order * direction;
  });
}
