import { describe, expect, it } from 'vitest';
import {
  MAX_CLUSTER_MESSAGE_CHARACTERS,
  decodeClusterMessage,
  encodeClusterMessage,
  type ClusterMessage,
} from './cluster-message.js';

const connection = {
  connection_id: 'c1',
  pipeline_uuid: 'p1',
  session_type: 'person',
  session: 'default',
  created_at: '2026-12-05T13:00:00.000Z',
  last_active: '2026-12-05T13:00:01.000Z',
  is_active: true,
  remote_address: '127.0.0.1',
  principal: { id: 'key:1', name: 'k', kind: 'api_key' },
  node_id: 'node-b',
} as const;

const messages: ClusterMessage[] = [
  { type: 'revoked', origin: 'a', revocation: { token_hash: 'h' } },
  { type: 'revoked', origin: 'a', revocation: { principal_id: 'user:1', except_token_hash: 'h' } },
  { type: 'pipeline_changed', origin: 'a', pipeline_uuid: 'p1' },
  { type: 'pipeline_deleted', origin: 'a', pipeline_uuid: 'p1' },
  { type: 'widget_public_ended', origin: 'a', pipeline_uuid: 'p1' },
  { type: 'broadcast', origin: 'a', pipeline_uuid: 'p1', message: 'hello' },
  { type: 'connections_request', origin: 'a', request_id: 'r1' },
  {
    type: 'connections_reply',
    origin: 'b',
    to: 'a',
    request_id: 'r1',
    stats: {
      total_connections: 1,
      connections_by_session_type: { person: 1, group: 0 },
      connections_by_pipeline: { p1: 1 },
      connections_by_principal_kind: { api_key: 1 },
      active_conversations: 1,
    },
    connections: [connection],
  },
  { type: 'disconnect_request', origin: 'a', request_id: 'r2', connection_id: 'c1' },
  { type: 'disconnect_reply', origin: 'b', to: 'a', request_id: 'r2', connection },
  { type: 'disconnect_reply', origin: 'b', to: 'a', request_id: 'r2', connection: null },
];

describe('the cluster message codec', () => {
  it.each(messages)('round-trips $type', (message) => {
    expect(decodeClusterMessage(encodeClusterMessage(message))).toEqual({
      ok: true,
      value: message,
    });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['an unknown type', JSON.stringify({ type: 'explode', origin: 'a' }), /cluster protocol/],
    ['no origin', JSON.stringify({ type: 'pipeline_changed', pipeline_uuid: 'p' }), /origin/],
    [
      'an extra field',
      JSON.stringify({ type: 'pipeline_changed', origin: 'a', pipeline_uuid: 'p', x: 1 }),
      /cluster protocol/,
    ],
    [
      'a revocation of the wrong shape',
      JSON.stringify({ type: 'revoked', origin: 'a', revocation: { principal_id: 5 } }),
      /revocation/,
    ],
    ['a plain value', '42', /cluster protocol/],
    ['null', 'null', /cluster protocol/],
  ])('refuses %s without throwing', (_name, text, reason) => {
    const decoded = decodeClusterMessage(text);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(reason);
  });

  it('refuses an oversized message before parsing it', () => {
    const text = `"${'x'.repeat(MAX_CLUSTER_MESSAGE_CHARACTERS)}"`;
    const decoded = decodeClusterMessage(text);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error).toMatch(/larger than a node sends/);
  });
});
