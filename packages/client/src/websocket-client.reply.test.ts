import type { StateChange } from './connection-state.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BotwireClientError } from './client-error.js';
import type { WebSocketClientOptions } from './client-options.js';
import {
  createFakeWebSocketServer,
  responseFrame,
  userMessageFrame,
  type FakeWebSocket,
} from './fake-websocket.test-support.js';
import { WebSocketClient } from './websocket-client.js';

/** A connected client on a fake server, with its errors and state changes recorded. */
async function connected(options: WebSocketClientOptions = {}) {
  const server = createFakeWebSocketServer();
  const client = new WebSocketClient('pipeline-1', 'person', {
    baseUrl: 'http://botwire.test:8000',
    token: 'secret-key',
    WebSocket: server.WebSocket,
    random: () => 1,
    ...options,
  });
  const errors: BotwireClientError[] = [];
  const states: StateChange[] = [];
  client.on('error', (error) => errors.push(error));
  client.on('stateChange', (change) => states.push(change));
  const connecting = client.connect();
  await vi.advanceTimersByTimeAsync(0);
  server.latest().accept();
  await connecting;
  return { server, client, errors, states };
}

/** Acknowledges the latest `message` frame on `socket` as user message `id`. */
function acknowledge(socket: FakeWebSocket, id: number, seq = id): void {
  const frame = socket
    .sentFrames()
    .filter((sent) => sent.type === 'message')
    .at(-1);
  socket.push(userMessageFrame({ seq, id, text: 'question', clientId: frame?.client_id }));
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the reply handle', () => {
  it('streams the deltas of the reply to its message and resolves done with the whole text', async () => {
    const { server, client } = await connected();
    const sending = client.send('question');
    const socket = server.latest();
    acknowledge(socket, 1);
    const reply = await sending;
    expect(reply.message).toMatchObject({ id: 1, content: 'question' });

    const deltas: string[] = [];
    const reading = (async () => {
      for await (const delta of reply) deltas.push(delta);
    })();
    socket.push(responseFrame({ seq: 2, id: 2, content: '', delta: 'Hel', replyTo: 1 }));
    // A reply to another message does not leak in.
    socket.push(responseFrame({ seq: 3, id: 9, content: '', delta: 'other', replyTo: 7 }));
    socket.push(responseFrame({ seq: 4, id: 2, content: '', delta: 'lo', replyTo: 1 }));
    socket.push(
      responseFrame({ seq: 5, id: 2, content: 'Hello', delta: '', status: 'complete', replyTo: 1 }),
    );
    await reading;
    expect(deltas).toEqual(['Hel', 'lo']);
    await expect(reply.done).resolves.toMatchObject({ text: 'Hello', status: 'complete' });
    expect(reply.id).toBe(2);
    // A late iteration still sees every delta.
    const again: string[] = [];
    for await (const delta of reply) again.push(delta);
    expect(again).toEqual(['Hel', 'lo']);
  });

  it('cancels its own reply, waiting for its id, and resolves with the cancelled status', async () => {
    const { server, client } = await connected();
    const sending = client.send('question');
    const socket = server.latest();
    acknowledge(socket, 1);
    const reply = await sending;
    const cancelling = reply.cancel();
    const cancels = () => socket.sentFrames().filter((frame) => frame.type === 'cancel');
    expect(cancels()).toEqual([]);
    socket.push(responseFrame({ seq: 2, id: 2, content: '', delta: 'Once', replyTo: 1 }));
    expect(cancels()).toEqual([{ type: 'cancel', reply_id: 2 }]);
    socket.push(
      responseFrame({ seq: 3, id: 2, content: 'Once', delta: '', status: 'cancelled', replyTo: 1 }),
    );
    await expect(cancelling).resolves.toMatchObject({ text: 'Once', status: 'cancelled' });
    // Cancelling an ended reply sends nothing and answers how it ended.
    await expect(reply.cancel()).resolves.toMatchObject({ status: 'cancelled' });
    expect(cancels()).toHaveLength(1);
  });

  it('ends an error reply through done, and rejects done when the client stops for good', async () => {
    const { server, client } = await connected();
    const first = client.send('question');
    acknowledge(server.latest(), 1);
    const failed = await first;
    server
      .latest()
      .push(responseFrame({ seq: 2, id: 2, content: '', delta: '', status: 'error', replyTo: 1 }));
    await expect(failed.done).resolves.toMatchObject({ status: 'error' });

    const second = client.send('question');
    acknowledge(server.latest(), 3);
    const unanswered = await second;
    const reading = (async () => {
      for await (const delta of unanswered) void delta;
    })();
    client.disconnect();
    await expect(unanswered.done).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(reading).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});

describe('typed events', () => {
  it('adds with on, removes with off, and calls once listeners once', async () => {
    const { server, client } = await connected();
    const seen: string[] = [];
    const listener = (event: { message: string }) => seen.push(`on:${event.message}`);
    client.on('broadcast', listener);
    client.once('broadcast', (event) => seen.push(`once:${event.message}`));
    const next = client.once('broadcast');
    server.latest().push({ type: 'broadcast', message: 'a', timestamp: 't' });
    client.off('broadcast', listener);
    server.latest().push({ type: 'broadcast', message: 'b', timestamp: 't' });
    expect(seen).toEqual(['on:a', 'once:a']);
    await expect(next).resolves.toEqual({ message: 'a', timestamp: 't' });
  });
});

describe('credentials and heartbeat', () => {
  it('asks getToken before every connection attempt and retries when it fails', async () => {
    let calls = 0;
    const getToken = vi.fn(() => {
      calls += 1;
      if (calls === 2) return Promise.reject(new Error('token endpoint down'));
      return Promise.resolve(`token-${calls}`);
    });
    const { server, errors, states } = await connected({ getToken, token: undefined });
    expect(server.latest().sentFrames()[0]).toEqual({ type: 'authenticate', token: 'token-1' });
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(errors.map((error) => error.code)).toEqual(['TOKEN_UNAVAILABLE']);
    expect(states.at(-1)).toMatchObject({ current: 'reconnecting', reason: 'token-unavailable' });
    expect(server.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.sockets).toHaveLength(2);
    server.latest().open();
    expect(server.latest().sentFrames()[0]).toEqual({ type: 'authenticate', token: 'token-3' });
    expect(getToken).toHaveBeenCalledTimes(3);
  });

  it("pings at the server's advertised heartbeat_interval_ms unless told otherwise", async () => {
    const server = createFakeWebSocketServer();
    const client = new WebSocketClient('pipeline-1', 'person', {
      baseUrl: 'http://botwire.test:8000',
      WebSocket: server.WebSocket,
    });
    const connecting = client.connect();
    server.latest().accept({ heartbeat_interval_ms: 5_000 });
    await connecting;
    const pings = () =>
      server
        .latest()
        .sentFrames()
        .filter((frame) => frame.type === 'ping');
    await vi.advanceTimersByTimeAsync(4_999);
    expect(pings()).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pings()).toHaveLength(1);
    client.disconnect();

    const { server: other } = await connected({ heartbeatIntervalMs: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    expect(
      other
        .latest()
        .sentFrames()
        .filter((frame) => frame.type === 'ping'),
    ).toHaveLength(1);
  });
});
