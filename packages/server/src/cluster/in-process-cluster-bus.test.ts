import { describe, expect, it } from 'vitest';
import type { ClusterMessage } from './cluster-message.js';
import { InProcessClusterHub } from './in-process-cluster-bus.js';

describe('InProcessClusterBus', () => {
  it('is a hub of one for a single node: publishing reaches nobody and resolves', async () => {
    const bus = new InProcessClusterHub().join('solo');
    const received: ClusterMessage[] = [];
    bus.onMessage((message) => received.push(message));
    await bus.publish({ type: 'pipeline_changed', pipeline_uuid: 'p1' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([]);
    expect(bus.available).toBe(true);
    expect(bus.clustered).toBe(false);
    expect(await bus.liveNodes()).toEqual(['solo']);
  });

  it('delivers to the other nodes of the hub with the origin, never back to the sender', async () => {
    const hub = new InProcessClusterHub();
    const a = hub.join('a');
    const b = hub.join('b');
    const c = hub.join('c');
    const seen: Record<string, ClusterMessage[]> = { a: [], b: [], c: [] };
    for (const bus of [a, b, c]) bus.onMessage((message) => seen[bus.nodeId]?.push(message));
    await a.publish({ type: 'broadcast', pipeline_uuid: 'p1', message: 'hi' });
    await new Promise((resolve) => setImmediate(resolve));
    const expected = { type: 'broadcast', origin: 'a', pipeline_uuid: 'p1', message: 'hi' };
    expect(seen).toEqual({ a: [], b: [expected], c: [expected] });
    expect((await a.liveNodes()).sort()).toEqual(['a', 'b', 'c']);
  });

  it('gives a reply only to the node it is for', async () => {
    const hub = new InProcessClusterHub();
    const a = hub.join('a');
    const b = hub.join('b');
    const c = hub.join('c');
    const seen: string[] = [];
    for (const bus of [a, b]) bus.onMessage(() => seen.push(bus.nodeId));
    await c.publish({ type: 'disconnect_reply', to: 'b', request_id: 'r', connection: null });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['b']);
  });

  it('leaves the hub on close', async () => {
    const hub = new InProcessClusterHub();
    const a = hub.join('a');
    const b = hub.join('b');
    await b.close();
    expect(await a.liveNodes()).toEqual(['a']);
  });
});
