import type { BackendClient } from '@botwire/client';

/** What the connections endpoint answers. */
export type ConnectionsData = Awaited<ReturnType<BackendClient['listAllConnections']>>;

/** One row of the per-pipeline statistics: live connections by session type. */
export interface PipelineConnectionCounts {
  pipelineUuid: string;
  person: number;
  group: number;
  total: number;
}

/**
 * Live connections per pipeline and session type, busiest pipeline first. Counted from the
 * connection list, which for an admin holds every connection; pipelines with none are left out.
 */
export function countByPipeline(
  connections: ConnectionsData['connections'],
): PipelineConnectionCounts[] {
  const counts = new Map<string, PipelineConnectionCounts>();
  for (const connection of connections) {
    let entry = counts.get(connection.pipeline_uuid);
    if (entry === undefined) {
      entry = { pipelineUuid: connection.pipeline_uuid, person: 0, group: 0, total: 0 };
      counts.set(connection.pipeline_uuid, entry);
    }
    entry[connection.session_type] += 1;
    entry.total += 1;
  }
  return [...counts.values()].sort(
    (left, right) =>
      right.total - left.total || left.pipelineUuid.localeCompare(right.pipelineUuid),
  );
}
