import { CLOSE_CODES, type ChatMessage, type MessageChain } from '@botwire/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BotwireClientError } from './client-error.js';
import type { WebSocketClientOptions } from './client-options.js';
import type { StateChange } from './connection-state.js';
import {
  connectedFrame,
  createFakeWebSocketServer,
  responseFrame,
  userMessageFrame,
  type FakeWebSocket,
} from './fake-websocket.test-support.js';
import type { DisconnectEvent } from './client-events.js';
import { WebSocketClient } from './websocket-client.js';

/** A client on a fake server, with everything it reports recorded. */
function setup(options: WebSocketClientOptions = {}) {
  const server = createFakeWebSocketServer();
  const client = new WebSocketClient('pipeline-1', 'person', {
    baseUrl: 'http://botwire.test:8000',
    token: 'secret-key',
    WebSocket: server.WebSocket,
    random: () => 1,
    ...options,
  });
  const states: StateChange[] = [];
  const errors: BotwireClientError[] = [];
  const messages: ChatMessage[] = [];
  const disconnects: DisconnectEvent[] = [];
  client.onStateChange((change) => states.push(change));
  client.onError((error) => errors.push(error));
  client.onMessage((message) => messages.push(message));
  client.onDisconnected((event) => disconnects.push(event));
  return { server, client, states, errors, messages, disconnects };
}

/** Connects and lets the first socket be accepted. */
async function connected(options: WebSocketClientOptions = {}) {
  const context = setup(options);
  const connecting = context.client.connect();
  context.server.latest().accept();
  await connecting;
  return context;
}

/** Settles a promise's outcome without letting a rejection go unhandled. */
function outcome<T>(promise: Promise<T>) {
  const result: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(result, { value, settled: true }),
    (error: unknown) => Object.assign(result, { error, settled: true }),
  );
  return result;
}

const messageFrames = (socket: FakeWebSocket) =>
  socket.sentFrames().filter((frame) => frame.type === 'message');

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('connecting', () => {
  it('opens the derived URL, authenticates first and resolves on the connected frame', async () => {
    const { server, client, states } = setup({ session: 'lobby' });
    const connecting = outcome(client.connect());
    const socket = server.latest();
    const url = new URL(socket.url);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe(
      'ws://botwire.test:8000/api/v1/pipelines/pipeline-1/ws/connect',
    );
    expect(Object.fromEntries(socket.query)).toEqual({
      session_type: 'person',
      stream: 'delta',
      session: 'lobby',
    });
    socket.open();
    expect(socket.sentFrames()).toEqual([{ type: 'authenticate', token: 'secret-key' }]);
    await Promise.resolve();
    expect(connecting.settled).toBe(false);
    expect(client.state).toBe('connecting');

    socket.push(connectedFrame({ last_seq: 7 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(connecting.settled).toBe(true);
    expect(connecting.error).toBeUndefined();
    expect(client.state).toBe('connected');
    expect(client.lastSeq).toBe(7);
    expect(client.connectionId).toBe('connection-1');
    expect(states.map(({ previous, current, reason }) => [previous, current, reason])).toEqual([
      ['idle', 'connecting', 'connect-called'],
      ['connecting', 'connected', 'opened'],
    ]);
  });

  it('keeps a path prefix, uses wss for https and sends no token frame without a token', async () => {
    const server = createFakeWebSocketServer();
    const client = new WebSocketClient('p 1', 'group', {
      baseUrl: 'https://example.com/botwire/',
      WebSocket: server.WebSocket,
      streamMode: 'cumulative',
    });
    const connecting = client.connect();
    const socket = server.latest();
    expect(socket.url).toBe(
      'wss://example.com/botwire/api/v1/pipelines/p%201/ws/connect?session_type=group&stream=cumulative',
    );
    socket.accept();
    await connecting;
    expect(socket.sent).toEqual([]);
  });

  it('rejects with NO_WEBSOCKET when the runtime has none and none was given', async () => {
    vi.stubGlobal('WebSocket', undefined);
    const client = new WebSocketClient('pipeline-1', 'person', { baseUrl: 'http://x.test' });
    await expect(client.connect()).rejects.toMatchObject({ code: 'NO_WEBSOCKET' });
    expect(client.state).toBe('idle');
  });

  it('needs a baseUrl outside a browser', () => {
    expect(() => new WebSocketClient('pipeline-1')).toThrow(/baseUrl is required/);
    expect(() => new WebSocketClient('pipeline-1', 'person', { baseUrl: 'ftp://x' })).toThrow(
      /http\(s\)/,
    );
  });

  it('answers connect() at once while connected and shares the pending one while connecting', async () => {
    const { server, client } = setup();
    const first = client.connect();
    const second = client.connect();
    expect(server.sockets).toHaveLength(1);
    server.latest().accept();
    await Promise.all([first, second]);
    await client.connect();
    expect(server.sockets).toHaveLength(1);
  });
});

describe('reconnecting', () => {
  it('retries for the reconnect window (120 s by default) with capped backoff, resuming with last_seq', async () => {
    const { server, client, states, errors, disconnects } = await connected();
    server.latest().push(userMessageFrame({ seq: 1, id: 1, text: 'hi' }));
    const pending = outcome(client.sendMessage('sent during the outage'));
    server.latest().serverClose(CLOSE_CODES.GOING_AWAY, 'server shutting down');
    expect(disconnects).toEqual([
      { code: 1001, reason: 'server shutting down', willReconnect: true },
    ]);

    // random() is 1, so each delay is the top of its window, capped at 10 s.
    const delays: number[] = [];
    let elapsed = 0;
    for (let round = 0; round < 100 && client.state === 'reconnecting'; round += 1) {
      const change = states.at(-1);
      expect(change).toMatchObject({ current: 'reconnecting', attempt: round + 1 });
      const delay = change?.delayMs ?? 0;
      delays.push(delay);
      const socketsBefore = server.sockets.length;
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(server.sockets).toHaveLength(socketsBefore);
      await vi.advanceTimersByTimeAsync(1);
      elapsed += delay;
      expect(server.sockets).toHaveLength(socketsBefore + 1);
      expect(server.latest().query.get('last_seq')).toBe('1');
      server.latest().drop();
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, ...Array<number>(11).fill(10_000)]);
    // The last retry went out inside the window; the one it failed on ended past it.
    expect(elapsed - 10_000).toBeLessThan(120_000);
    expect(elapsed).toBeGreaterThanOrEqual(120_000);
    expect(states.at(2)).toMatchObject({ reason: 'server-closed', closeCode: 1001 });
    expect(states.at(3)).toMatchObject({ reason: 'transport-error', closeCode: 1006 });
    expect(client.state).toBe('closed');
    expect(states.at(-1)).toMatchObject({
      previous: 'reconnecting',
      current: 'closed',
      reason: 'retries-exhausted',
      attempt: 16,
      closeCode: 1006,
    });
    expect(errors.map((error) => error.code)).toEqual(['CONNECTION_CLOSED']);
    expect(disconnects.at(-1)).toEqual({ code: 1006, reason: '', willReconnect: false });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(server.sockets).toHaveLength(17);

    // Giving up kept the message: a later connect() delivers it.
    expect(pending.settled).toBe(false);
    const again = client.connect();
    server.latest().accept({ last_seq: 1 });
    await again;
    const [frame] = messageFrames(server.latest());
    expect(frame).toMatchObject({ message: [{ type: 'Plain', text: 'sent during the outage' }] });
    server.latest().push(
      userMessageFrame({
        seq: 2,
        id: 2,
        text: 'sent during the outage',
        clientId: frame?.client_id,
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(pending.value).toMatchObject({ id: 2, content: 'sent during the outage' });
  });

  it('takes a shorter window, and Infinity never gives up', async () => {
    const short = await connected({ reconnectWindowMs: 5_000 });
    short.server.latest().drop();
    for (let round = 0; round < 20 && short.client.state === 'reconnecting'; round += 1) {
      await vi.advanceTimersByTimeAsync(short.states.at(-1)?.delayMs ?? 0);
      short.server.latest().drop();
    }
    expect(short.states.at(-1)).toMatchObject({ reason: 'retries-exhausted', attempt: 4 });

    const endless = await connected({ reconnectWindowMs: Infinity });
    endless.server.latest().drop();
    // Six hours of a dead server, one retry at least every 10 s.
    for (let round = 0; round < 2_200; round += 1) {
      const delay = endless.states.at(-1)?.delayMs ?? 0;
      expect(delay).toBeLessThanOrEqual(10_000);
      await vi.advanceTimersByTimeAsync(delay);
      endless.server.latest().drop();
    }
    expect(endless.client.state).toBe('reconnecting');
    endless.server.latest();
    await vi.advanceTimersByTimeAsync(10_000);
    endless.server.latest().accept();
    expect(endless.client.state).toBe('connected');
  });

  it('draws each delay from the full jitter window', async () => {
    const { server, states } = await connected({ random: Math.random });
    server.latest().drop();
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const change = states.at(-1);
      const ceiling = Math.min(10_000, 500 * 2 ** (attempt - 1));
      expect(change?.attempt).toBe(attempt);
      expect(change?.delayMs).toBeGreaterThanOrEqual(0);
      expect(change?.delayMs).toBeLessThanOrEqual(ceiling);
      await vi.advanceTimersByTimeAsync(ceiling);
      server.latest().drop();
    }
    expect(states.at(-1)?.current).toBe('reconnecting');
  });

  it('rejects the first connect() once the retries are used up', async () => {
    const { server, client } = setup({ maxReconnectAttempts: 2 });
    const connecting = outcome(client.connect());
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(1_000);
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(connecting.error).toBeInstanceOf(BotwireClientError);
    expect(connecting.error).toMatchObject({ code: 'CONNECTION_CLOSED', closeCode: 1006 });
    expect(server.sockets).toHaveLength(3);
  });

  it('does not loop forever on a server that accepts and then closes at once', async () => {
    const { server, client, states } = await connected();
    const isClosed = () => client.state === 'closed';
    for (let round = 0; round < 20 && !isClosed(); round += 1) {
      server.latest().serverClose(CLOSE_CODES.INTERNAL_ERROR);
      await vi.advanceTimersByTimeAsync(15_000);
      if (!isClosed()) server.latest().accept();
    }
    expect(client.state).toBe('closed');
    expect(states.at(-1)?.reason).toBe('retries-exhausted');
    // Closed every 15 s, each time within healthyAfterMs of being accepted: the window counts
    // from the first close, so the ninth close (at 120 s) is the last.
    expect(server.sockets).toHaveLength(9);
  });

  it('starts counting again after a connection stayed up for healthyAfterMs', async () => {
    const { server, states } = await connected();
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(1_000);
    server.latest().drop();
    expect(states.at(-1)).toMatchObject({ attempt: 3, delayMs: 2_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    server.latest().accept();

    await vi.advanceTimersByTimeAsync(9_999);
    server.latest().drop();
    expect(states.at(-1)).toMatchObject({ attempt: 4, delayMs: 4_000 });
    await vi.advanceTimersByTimeAsync(4_000);
    server.latest().accept();
    await vi.advanceTimersByTimeAsync(10_000);
    server.latest().drop();
    expect(states.at(-1)).toMatchObject({ current: 'reconnecting', attempt: 1, delayMs: 500 });
  });

  it('waits in the widest window after 4029 and reports the refusal', async () => {
    const { server, states, errors } = await connected();
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    const socket = server.latest();
    socket.open();
    socket.push({ type: 'error', code: 'CONNECTION_LIMIT', message: 'The server is full.' });
    socket.serverClose(CLOSE_CODES.CONNECTION_LIMIT, 'The server is full.');
    expect(states.at(-1)).toMatchObject({ attempt: 2, delayMs: 10_000, closeCode: 4029 });
    expect(errors.map((error) => [error.code, error.closeCode])).toEqual([
      ['CONNECTION_LIMIT', 4029],
    ]);
  });

  it.each([
    [CLOSE_CODES.BAD_REQUEST, 'BAD_REQUEST'],
    [CLOSE_CODES.UNAUTHENTICATED, 'AUTH_FAILED'],
    [CLOSE_CODES.FORBIDDEN, 'FORBIDDEN'],
    [CLOSE_CODES.PIPELINE_NOT_FOUND, 'PIPELINE_NOT_FOUND'],
  ] as const)(
    'never retries after close %i and reports the error frame (%s)',
    async (closeCode, code) => {
      const { server, client, states, errors, disconnects } = setup();
      const connecting = outcome(client.connect());
      const socket = server.latest();
      socket.open();
      socket.push({ type: 'error', code, message: `refused with ${code}` });
      socket.serverClose(closeCode, `refused with ${code}`);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(server.sockets).toHaveLength(1);
      expect(client.state).toBe('closed');
      expect(states.at(-1)).toMatchObject({ reason: 'final-close-code', closeCode });
      expect(states.at(-1)?.error?.code).toBe(code);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code, message: `refused with ${code}`, closeCode });
      expect(connecting.error).toBe(errors[0]);
      expect(disconnects).toEqual([
        { code: closeCode, reason: `refused with ${code}`, willReconnect: false },
      ]);
    },
  );

  it('names the cause of a final close without an error frame (pipeline deleted)', async () => {
    const { server, errors } = await connected();
    server.latest().serverClose(CLOSE_CODES.PIPELINE_NOT_FOUND, 'pipeline deleted');
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      ['PIPELINE_NOT_FOUND', 'pipeline deleted'],
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(1);
  });

  it('may connect again after closing, resuming from lastSeq', async () => {
    const { server, client } = await connected();
    server.latest().push(userMessageFrame({ seq: 3, id: 1, text: 'hi' }));
    server.latest().serverClose(CLOSE_CODES.UNAUTHENTICATED);
    expect(client.state).toBe('closed');
    const again = client.connect();
    expect(server.latest().query.get('last_seq')).toBe('3');
    server.latest().accept({ last_seq: 3 });
    await again;
    expect(client.state).toBe('connected');
  });
});

describe('heartbeat', () => {
  it('pings every interval and keeps a connection that answers', async () => {
    const { server, client } = await connected();
    const socket = server.latest();
    const pings = () => socket.sentFrames().filter((frame) => frame.type === 'ping');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(pings()).toHaveLength(0);
    for (let round = 1; round <= 3; round += 1) {
      await vi.advanceTimersByTimeAsync(round === 1 ? 1 : 21_000);
      expect(pings()).toHaveLength(round);
      await vi.advanceTimersByTimeAsync(9_000);
      // Any frame counts as an answer, not only the pong.
      socket.push(
        round === 2
          ? userMessageFrame({ seq: 1, id: 1, text: 'busy' })
          : { type: 'pong', timestamp: '2026-01-01T00:00:00.000Z' },
      );
    }
    await vi.advanceTimersByTimeAsync(20_000);
    expect(client.state).toBe('connected');
  });

  it('drops a silent connection after heartbeatTimeoutMs and reconnects', async () => {
    const { server, client, states, disconnects } = await connected();
    const socket = server.latest();
    await vi.advanceTimersByTimeAsync(30_000 + 9_999);
    expect(client.state).toBe('connected');
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.closedByClient).toEqual({ code: 4009, reason: 'heartbeat timeout' });
    expect(states.at(-1)).toMatchObject({
      current: 'reconnecting',
      reason: 'heartbeat-timeout',
      attempt: 1,
    });
    expect(disconnects.at(-1)).toMatchObject({ code: 4009, willReconnect: true });
    await vi.advanceTimersByTimeAsync(500);
    expect(server.sockets).toHaveLength(2);
    // The abandoned socket's late close event changes nothing.
    expect(client.state).toBe('reconnecting');
    server.latest().accept();
    expect(client.state).toBe('connected');
  });
});

describe('outbox', () => {
  it('sends while connected and resolves with the acknowledged message', async () => {
    const { server, client, messages } = await connected();
    const sending = client.sendMessage('Hello there');
    const [frame] = messageFrames(server.latest());
    expect(frame).toMatchObject({
      type: 'message',
      message: [{ type: 'Plain', text: 'Hello there' }],
    });
    const clientId = frame?.type === 'message' ? frame.client_id : undefined;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    server.latest().push(userMessageFrame({ seq: 1, id: 5, text: 'Hello there', clientId }));
    await expect(sending).resolves.toMatchObject({ id: 5, client_id: clientId });
    expect(messages.map((message) => message.id)).toEqual([5]);
  });

  it('holds messages sent while reconnecting and sends them after connected, resolved once', async () => {
    const { server, client, messages } = await connected();
    const first = server.latest();
    const sentBeforeDrop = outcome(client.sendMessage('one'));
    first.drop();
    const sentWhileAway = outcome(client.sendMessage('two'));
    await vi.advanceTimersByTimeAsync(500);
    const second = server.latest();
    second.open();
    expect(messageFrames(second)).toEqual([]);
    second.push(connectedFrame({ last_seq: 0 }));
    const resent = messageFrames(second);
    expect(resent.map((frame) => frame.type === 'message' && frame.message)).toEqual([
      [{ type: 'Plain', text: 'one' }],
      [{ type: 'Plain', text: 'two' }],
    ]);
    const [oneId, twoId] = resent.map((frame) =>
      frame.type === 'message' ? frame.client_id : undefined,
    );
    expect(messageFrames(first)[0]).toMatchObject({ client_id: oneId });

    second.push(userMessageFrame({ seq: 1, id: 1, text: 'one', clientId: oneId }));
    second.push(userMessageFrame({ seq: 2, id: 2, text: 'two', clientId: twoId }));
    // The server acknowledges a retried id again, with its original seq: already settled, dropped.
    second.push(userMessageFrame({ seq: 1, id: 1, text: 'one', clientId: oneId }));
    await vi.advanceTimersByTimeAsync(0);
    expect(sentBeforeDrop.value).toMatchObject({ id: 1 });
    expect(sentWhileAway.value).toMatchObject({ id: 2 });
    expect(messages.map((message) => message.id)).toEqual([1, 2]);
  });

  it('settles a retried send whose acknowledgement carries an old seq', async () => {
    const { server, client, messages } = await connected();
    const sending = outcome(client.sendMessage('stored before the drop'));
    const [frame] = messageFrames(server.latest());
    const clientId = frame?.type === 'message' ? frame.client_id : undefined;
    // The reply to other messages moved lastSeq on, but this message's ack was lost.
    server.latest().push(responseFrame({ seq: 9, id: 3, content: '', delta: 'x' }));
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(server.latest().query.get('last_seq')).toBe('9');
    server.latest().accept({ last_seq: 9 });
    server.latest().push(userMessageFrame({ seq: 4, id: 2, text: 'stored', clientId }));
    await vi.advanceTimersByTimeAsync(0);
    expect(sending.value).toMatchObject({ id: 2 });
    expect(client.lastSeq).toBe(9);
    expect(messages.map((message) => message.id)).toEqual([3, 2]);
  });

  it('keeps a given client_id, refuses beyond outboxLimit and rejects what the server would', async () => {
    const { server, client } = setup({ outboxLimit: 1 });
    await expect(client.sendMessage('too early')).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    void client.connect();
    const held = outcome(client.sendMessage('held', { clientId: 'mine-1' }));
    await expect(client.sendMessage('one too many')).rejects.toMatchObject({
      code: 'OUTBOX_FULL',
    });
    await expect(
      client.sendMessage([{ type: 'Voice', url: 'x' }] as unknown as MessageChain),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_COMPONENT' });
    await expect(client.sendMessage([])).rejects.toMatchObject({ code: 'BAD_FRAME' });
    server.latest().accept();
    expect(messageFrames(server.latest())).toEqual([
      { type: 'message', message: [{ type: 'Plain', text: 'held' }], client_id: 'mine-1' },
    ]);
    expect(held.settled).toBe(false);
  });

  it('rejects the refused message on QUEUE_FULL and keeps the others waiting', async () => {
    const { server, client, errors } = await connected();
    const first = outcome(client.sendMessage('first'));
    const second = outcome(client.sendMessage('second'));
    const [firstFrame, secondFrame] = messageFrames(server.latest());
    server.latest().push(
      userMessageFrame({
        seq: 1,
        id: 1,
        text: 'first',
        clientId: firstFrame?.type === 'message' ? firstFrame.client_id : undefined,
      }),
    );
    server.latest().push({ type: 'error', code: 'QUEUE_FULL', message: 'queue full' });
    await vi.advanceTimersByTimeAsync(0);
    expect(first.value).toMatchObject({ id: 1 });
    expect(second.error).toMatchObject({ code: 'QUEUE_FULL' });
    expect(errors.map((error) => error.code)).toEqual(['QUEUE_FULL']);
    expect(secondFrame).toBeDefined();
  });

  it('keeps waiting messages when the client gives up, and rejects them on a final close', async () => {
    const { server, client } = await connected({ maxReconnectAttempts: 0 });
    const sending = outcome(client.sendMessage('kept'));
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(client.state).toBe('closed');
    expect(sending.settled).toBe(false);
    const again = client.connect();
    server.latest().accept();
    await again;
    expect(messageFrames(server.latest())).toHaveLength(1);
    server.latest().serverClose(CLOSE_CODES.UNAUTHENTICATED, 'key revoked');
    await vi.advanceTimersByTimeAsync(0);
    expect(sending.error).toMatchObject({ code: 'AUTH_FAILED', closeCode: 4001 });
  });
});

describe('conversation events', () => {
  it('drops replayed events it already processed and assembles replies by id', async () => {
    const { server, client, messages } = await connected();
    let socket = server.latest();
    socket.push(userMessageFrame({ seq: 1, id: 1, text: 'question' }));
    socket.push(responseFrame({ seq: 2, id: 2, content: '', delta: 'An' }));
    socket.push(responseFrame({ seq: 3, id: 2, content: '', delta: 'swer' }));
    socket.drop();
    await vi.advanceTimersByTimeAsync(500);
    socket = server.latest();
    expect(socket.query.get('last_seq')).toBe('3');
    socket.accept({ last_seq: 5 });
    // The replay overlaps what was processed (a server may resend from further back).
    socket.push(responseFrame({ seq: 3, id: 2, content: '', delta: 'swer' }));
    socket.push(responseFrame({ seq: 4, id: 2, content: '', delta: '!' }));
    socket.push(
      responseFrame({ seq: 5, id: 2, content: 'Answer!', delta: '', status: 'complete' }),
    );
    socket.push(responseFrame({ seq: 4, id: 2, content: '', delta: '!' }));

    expect(messages.map((message) => [message.id, message.content, message.status])).toEqual([
      [1, 'question', 'complete'],
      [2, 'An', 'streaming'],
      [2, 'Answer', 'streaming'],
      [2, 'Answer!', 'streaming'],
      [2, 'Answer!', 'complete'],
    ]);
    expect(client.lastSeq).toBe(5);
  });

  it('takes the server seq after resync_required and asks the app to reload', async () => {
    const { server, client } = await connected();
    const resyncs: unknown[] = [];
    client.onResync((event) => resyncs.push(event));
    server.latest().push(userMessageFrame({ seq: 3, id: 1, text: 'a' }));
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    server.latest().accept({ last_seq: 1_002 });
    server.latest().push({ type: 'resync_required', last_seq: 1_002, reason: 'gone' });
    expect(resyncs).toEqual([{ lastSeq: 1_002, reason: 'gone' }]);
    expect(client.lastSeq).toBe(1_002);
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.latest().query.get('last_seq')).toBe('1002');
  });

  it('reports broadcasts, resets and the connected frame', async () => {
    const { server, client } = setup();
    const events: unknown[] = [];
    client.onConnected((frame) => events.push(['connected', frame.connection_id]));
    client.onBroadcast((event) => events.push(['broadcast', event]));
    const unsubscribe = client.onSessionReset((event) => events.push(['reset', event]));
    const connecting = client.connect();
    server.latest().accept();
    await connecting;
    const socket = server.latest();
    socket.push({ type: 'broadcast', message: 'Maintenance', timestamp: 't1' });
    socket.push({ type: 'session_reset', seq: 1, timestamp: 't2' });
    unsubscribe();
    socket.push({ type: 'session_reset', seq: 2, timestamp: 't3' });
    expect(events).toEqual([
      ['connected', 'connection-1'],
      ['broadcast', { message: 'Maintenance', timestamp: 't1' }],
      ['reset', { timestamp: 't2' }],
    ]);
  });

  it('reports frames that do not decode and carries on', async () => {
    const { server, client, errors, messages } = await connected();
    server.latest().push('not json');
    server.latest().push(JSON.stringify({ type: 'surprise' }));
    server.latest().push(JSON.stringify({ type: 'user_message', seq: 'one' }));
    server.latest().push(userMessageFrame({ seq: 1, id: 1, text: 'still fine' }));
    expect(errors.map((error) => error.code)).toEqual([
      'BAD_JSON',
      'UNKNOWN_FRAME_TYPE',
      'BAD_FRAME',
    ]);
    expect(messages).toHaveLength(1);
    expect(client.state).toBe('connected');
  });

  it('reports error frames of a live connection without closing', async () => {
    const { server, client, errors } = await connected();
    server.latest().push({ type: 'error', code: 'NOTHING_TO_CANCEL', message: 'nothing' });
    expect(errors.map((error) => error.code)).toEqual(['NOTHING_TO_CANCEL']);
    expect(client.state).toBe('connected');
  });
});

describe('cancel and disconnect', () => {
  it('sends cancel frames, and refuses to while not connected', async () => {
    const { server, client } = await connected();
    client.cancel();
    client.cancel(8);
    expect(server.latest().sentFrames().slice(1)).toEqual([
      { type: 'cancel' },
      { type: 'cancel', reply_id: 8 },
    ]);
    server.latest().drop();
    expect(() => client.cancel()).toThrow(expect.objectContaining({ code: 'NOT_CONNECTED' }));
  });

  it('says goodbye, closes 1000 and never reconnects', async () => {
    const { server, client, states, errors, disconnects } = await connected();
    const socket = server.latest();
    const pending = outcome(client.sendMessage('unsent'));
    client.disconnect();
    expect(socket.sentFrames().at(-1)).toEqual({ type: 'disconnect' });
    expect(socket.closedByClient).toEqual({ code: 1000, reason: 'client disconnected' });
    expect(client.state).toBe('closed');
    expect(states.at(-1)).toMatchObject({ current: 'closed', reason: 'disconnect-called' });
    expect(disconnects).toEqual([
      { code: 1000, reason: 'client disconnected', willReconnect: false },
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(errors).toEqual([]);
    expect(pending.error).toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  it('honours a disconnect() called from a listener while the retry is being scheduled', async () => {
    const { server, client } = await connected();
    client.onStateChange(({ current }) => {
      if (current === 'reconnecting') client.disconnect();
    });
    server.latest().drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(client.state).toBe('closed');
    expect(server.sockets).toHaveLength(1);
  });

  it('stops a pending reconnect', async () => {
    const { server, client } = await connected();
    server.latest().drop();
    const waiting = outcome(client.connect());
    client.disconnect();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.sockets).toHaveLength(1);
    expect(waiting.error).toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});
