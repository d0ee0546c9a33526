import { afterEach, describe, expect, it, vi } from 'vitest';
import { ClusterRequests } from './cluster-requests.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('ClusterRequests', () => {
  it('ends when every peer answered, without waiting for the timeout', async () => {
    const requests = new ClusterRequests<number>(60_000);
    const gathered = await requests.gather({
      peers: ['b', 'c'],
      send: (id) => {
        queueMicrotask(() => {
          requests.receive(id, 'b', 1);
          requests.receive(id, 'c', 2);
        });
        return Promise.resolve();
      },
    });
    expect([...gathered.replies]).toEqual([
      ['b', 1],
      ['c', 2],
    ]);
    expect(gathered.missing).toEqual([]);
  });

  it('ends at the first final reply', async () => {
    const requests = new ClusterRequests<string | null>(60_000);
    const gathered = await requests.gather({
      peers: ['b', 'c', 'd'],
      send: (id) => {
        queueMicrotask(() => requests.receive(id, 'c', 'found'));
        return Promise.resolve();
      },
      isFinal: (reply) => reply !== null,
    });
    expect(gathered.replies.get('c')).toBe('found');
  });

  it('reports the peers that did not answer by the timeout', async () => {
    vi.useFakeTimers();
    const requests = new ClusterRequests<number>(1_500);
    const pending = requests.gather({
      peers: ['b', 'dead'],
      send: (id) => {
        queueMicrotask(() => requests.receive(id, 'b', 1));
        return Promise.resolve();
      },
    });
    await vi.advanceTimersByTimeAsync(1_499);
    let settled = false;
    void pending.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const gathered = await pending;
    expect(gathered.missing).toEqual(['dead']);
    expect(gathered.replies.get('b')).toBe(1);
  });

  it('ignores replies to unknown requests and passes on a failed send', async () => {
    const requests = new ClusterRequests<number>(60_000);
    requests.receive('nobody-asked', 'b', 1);
    await expect(
      requests.gather({ peers: ['b'], send: () => Promise.reject(new Error('down')) }),
    ).rejects.toThrow('down');
    expect(await requests.gather({ peers: [], send: () => Promise.resolve() })).toEqual({
      replies: new Map(),
      missing: [],
    });
  });
});
