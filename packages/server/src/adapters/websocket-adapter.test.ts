import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Connection } from '../connections/connection.js';
import { ConnectionManager } from '../connections/connection-manager.js';
import { WebSocketAdapter } from './websocket-adapter.js';

/** A connection that records what it is sent. */
function recordingConnection(id: string, sessionType: 'person' | 'group', sent: string[]) {
  return {
    id,
    placement: { pipelineUuid: 'pipeline', sessionType, session: id, conversationKey: id },
    principal: { id: `principal-${id}` },
    sendText: (text: string) => {
      sent.push(text);
      return true;
    },
  } as unknown as Connection;
}

afterEach(() => vi.restoreAllMocks());

describe('WebSocketAdapter', () => {
  it('serializes a broadcast once, whatever the number of recipients', () => {
    const connections = new ConnectionManager();
    const sent: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      connections.add(recordingConnection(`c${index}`, index % 2 === 0 ? 'person' : 'group', sent));
    }
    const stringify = vi.spyOn(JSON, 'stringify');
    const reached = new WebSocketAdapter(connections).broadcast('pipeline', 'Maintenance at noon');
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(reached).toBe(4);
    expect(new Set(sent).size).toBe(1);
    expect(JSON.parse(sent[0] ?? '')).toMatchObject({
      type: 'broadcast',
      message: 'Maintenance at noon',
    });
  });
});
