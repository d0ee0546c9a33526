import { describe, expect, it } from 'vitest';
import { countByPipeline, type ConnectionsData } from './connection-statistics.js';

type ConnectionInfo = ConnectionsData['connections'][number];

function connection(pipelineUuid: string, sessionType: 'person' | 'group'): ConnectionInfo {
  return {
    connection_id: `${pipelineUuid}-${sessionType}-${Math.random()}`,
    pipeline_uuid: pipelineUuid,
    session_type: sessionType,
    session: 'session',
    created_at: '2026-11-24T10:00:00.000Z',
    last_active: '2026-11-24T10:00:00.000Z',
    is_active: true,
    remote_address: '127.0.0.1',
    principal: { id: 'user:1', name: 'admin', kind: 'user' },
  };
}

describe('countByPipeline', () => {
  it('counts person and group connections per pipeline, busiest first', () => {
    const rows = countByPipeline([
      connection('b', 'person'),
      connection('a', 'group'),
      connection('b', 'group'),
      connection('b', 'person'),
    ]);
    expect(rows).toEqual([
      { pipelineUuid: 'b', person: 2, group: 1, total: 3 },
      { pipelineUuid: 'a', person: 0, group: 1, total: 1 },
    ]);
  });

  it('orders pipelines with equal totals by uuid, so rows do not jump between refreshes', () => {
    const rows = countByPipeline([connection('z', 'person'), connection('m', 'person')]);
    expect(rows.map((row) => row.pipelineUuid)).toEqual(['m', 'z']);
  });

  it('is empty without connections', () => {
    expect(countByPipeline([])).toEqual([]);
  });
});
