import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_VIEW, nodesOf, viewConnections } from './connection-filter.js';
import type { ConnectionsData } from './connection-statistics.js';

type ConnectionInfo = ConnectionsData['connections'][number];

function connection(
  id: string,
  overrides: Partial<ConnectionInfo> & { name?: string } = {},
): ConnectionInfo {
  return {
    connection_id: id,
    pipeline_uuid: 'p1',
    session_type: 'person',
    session: 'default',
    created_at: '2026-12-05T08:00:00.000Z',
    last_active: '2026-12-05T08:00:00.000Z',
    is_active: true,
    remote_address: '127.0.0.1',
    principal: { id: `user:${id}`, name: overrides.name ?? id, kind: 'user' },
    ...overrides,
  };
}

const names = new Map([
  ['p1', 'Support'],
  ['p2', 'Sales'],
]);

describe('viewConnections', () => {
  const all = [
    connection('a', { name: 'alice', created_at: '2026-12-05T08:00:01.000Z' }),
    connection('b', {
      name: 'bob',
      session_type: 'group',
      pipeline_uuid: 'p2',
      created_at: '2026-12-05T08:00:03.000Z',
    }),
    connection('c', {
      name: 'carol',
      remote_address: '10.0.0.7',
      created_at: '2026-12-05T08:00:02.000Z',
    }),
  ];

  it('sorts newest first by default and by any column either way', () => {
    expect(
      viewConnections(all, DEFAULT_CONNECTION_VIEW, names).map((entry) => entry.connection_id),
    ).toEqual(['b', 'c', 'a']);
    const byPrincipal = {
      ...DEFAULT_CONNECTION_VIEW,
      sortKey: 'principal' as const,
      descending: false,
    };
    expect(viewConnections(all, byPrincipal, names).map((entry) => entry.connection_id)).toEqual([
      'a',
      'b',
      'c',
    ]);
    const byPipeline = {
      ...DEFAULT_CONNECTION_VIEW,
      sortKey: 'pipeline' as const,
      descending: false,
    };
    expect(viewConnections(all, byPipeline, names).map((entry) => entry.connection_id)[0]).toBe(
      'b',
    );
  });

  it('filters by session type and by text in any column', () => {
    const groups = { ...DEFAULT_CONNECTION_VIEW, sessionType: 'group' as const };
    expect(viewConnections(all, groups, names).map((entry) => entry.connection_id)).toEqual(['b']);
    const sales = { ...DEFAULT_CONNECTION_VIEW, text: 'SALES' };
    expect(viewConnections(all, sales, names).map((entry) => entry.connection_id)).toEqual(['b']);
    const address = { ...DEFAULT_CONNECTION_VIEW, text: '10.0.0' };
    expect(viewConnections(all, address, names).map((entry) => entry.connection_id)).toEqual(['c']);
  });
});

describe('viewConnections by node', () => {
  it('lists the nodes of a cluster, keeps only the chosen one, and finds a node by text', () => {
    const all = [
      connection('a', { node_id: 'node-b' }),
      connection('b', { node_id: 'node-a' }),
      connection('c', { node_id: 'node-b' }),
    ];
    expect(nodesOf(all)).toEqual(['node-a', 'node-b']);
    const onB = viewConnections(all, { ...DEFAULT_CONNECTION_VIEW, node: 'node-b' }, names);
    expect(onB.map((shown) => shown.connection_id).sort()).toEqual(['a', 'c']);
    const byText = viewConnections(all, { ...DEFAULT_CONNECTION_VIEW, text: 'NODE-A' }, names);
    expect(byText.map((shown) => shown.connection_id)).toEqual(['b']);
  });

  it('has no nodes on a single node', () => {
    expect(nodesOf([connection('a'), connection('b')])).toEqual([]);
  });
});

describe('viewConnections by principal kind', () => {
  it('keeps only the chosen kind, and finds a kind by text', () => {
    const visitor = connection('v', {
      principal: { id: 'visitor:abc', name: 'visitor abc', kind: 'visitor' },
    });
    const all = [connection('u'), visitor];
    const byKind = viewConnections(
      all,
      { ...DEFAULT_CONNECTION_VIEW, principalKind: 'visitor' },
      names,
    );
    expect(byKind.map((shown) => shown.connection_id)).toEqual(['v']);
    const byText = viewConnections(all, { ...DEFAULT_CONNECTION_VIEW, text: 'VISITOR' }, names);
    expect(byText.map((shown) => shown.connection_id)).toEqual(['v']);
    expect(viewConnections(all, DEFAULT_CONNECTION_VIEW, names)).toHaveLength(2);
  });
});
