import { performance } from 'node:perf_hooks';
import { CLOSE_CODES } from '@botwire/protocol';
import { configSchema, createLogger, startBotwire, type BotwireServer } from '@botwire/server';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatSocket } from '../support/chat-socket.js';
import { ADMIN_KEY, ADMIN_PASSWORD } from '../support/server-process.js';

const INTERVAL_MS = 30_000;
const TIMEOUT_MS = 75_000;

/**
 * Waits in real time (Date is faked here, so deadlines use performance.now) until `predicate`
 * holds, polling with the real setTimeout, which these tests leave alone.
 */
async function eventually(
  predicate: () => boolean,
  what: string,
  timeoutMs = 3_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A chat socket that also counts the WebSocket pings it receives. */
interface HeartbeatClient {
  chat: ChatSocket;
  id: string;
  pings: () => number;
}

/**
 * The server-side heartbeat, in process, with the clock faked: only setInterval/clearInterval
 * (the heartbeat timer) and Date (its notion of "silent since") are fake; sockets, ws and
 * Fastify keep their real timers.
 */
describe('heartbeat', () => {
  let server: BotwireServer | undefined;
  const clients: HeartbeatClient[] = [];

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const config = configSchema.parse({
      host: '127.0.0.1',
      port: 0,
      databaseFile: ':memory:',
      auth: { apiKeys: [ADMIN_KEY], adminPassword: ADMIN_PASSWORD },
      websocket: { heartbeatIntervalMs: INTERVAL_MS, heartbeatTimeoutMs: TIMEOUT_MS },
    });
    server = await startBotwire({ config, logger: createLogger({ level: 'silent' }) });
  });

  afterEach(async () => {
    try {
      for (const client of clients.splice(0)) client.chat.socket.terminate();
      await server?.stop();
    } finally {
      server = undefined;
      vi.useRealTimers();
    }
  });

  /** Connects a real `ws` client; `autoPong: false` makes it ignore the server's pings. */
  async function connect(autoPong: boolean): Promise<HeartbeatClient> {
    if (server === undefined) throw new Error('server not started');
    const url = `${server.url.replace(/^http/, 'ws')}/api/v1/pipelines/${server.defaultPipelineUuid}/ws/connect`;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
      autoPong,
    });
    let pings = 0;
    socket.on('ping', () => (pings += 1));
    const chat = new ChatSocket(socket);
    const client: HeartbeatClient = { chat, id: '', pings: () => pings };
    clients.push(client);
    await eventually(
      () => chat.ofType('connected').length === 1 || chat.closeCode !== undefined,
      'connected',
    );
    const connected = chat.ofType('connected')[0];
    expect(connected?.heartbeat_interval_ms).toBe(INTERVAL_MS);
    client.id = connected?.connection_id ?? '';
    return client;
  }

  /** Moves the fake clock one heartbeat interval (one tick) and waits for its pings to land. */
  async function tick(open: HeartbeatClient[]): Promise<void> {
    const before = open.map((client) => client.pings());
    vi.advanceTimersByTime(INTERVAL_MS);
    await eventually(
      () => open.every((client, index) => client.pings() > (before[index] ?? 0)),
      'the pings of this tick',
    );
  }

  /** Waits until the server has seen a pong (or frame) from `client` at the current fake time. */
  async function seenNow(client: HeartbeatClient): Promise<void> {
    await eventually(
      () => server?.connections.get(client.id)?.lastSeenAt === Date.now(),
      'the pong to reach the server',
    );
  }

  it('closes a client that does not answer pings with 4009 after the timeout, and keeps one that does', async () => {
    const silent = await connect(false);
    const lively = await connect(true);

    // t = 30 s and 60 s: both are within the 75 s timeout, so both are pinged and stay.
    await tick([silent, lively]);
    await seenNow(lively);
    await tick([silent, lively]);
    await seenNow(lively);
    expect(silent.chat.closeCode).toBeUndefined();
    expect(silent.pings()).toBe(2);
    expect(server?.connections.get(silent.id)?.isOpen).toBe(true);

    // t = 90 s: the silent one has said nothing for 90 s > 75 s and is closed with 4009;
    // the lively one answered 30 s ago and is pinged again.
    await tick([lively]);
    await eventually(() => silent.chat.closeCode !== undefined, 'the silent client to be closed');
    expect(silent.chat.closeCode).toBe(CLOSE_CODES.HEARTBEAT_TIMEOUT);
    expect(silent.pings()).toBe(2);
    await seenNow(lively);

    // Several timeouts later the lively client is still open and served.
    for (let round = 0; round < 4; round += 1) {
      await tick([lively]);
      await seenNow(lively);
    }
    expect(lively.chat.closeCode).toBeUndefined();
    lively.chat.send({ type: 'ping' });
    await eventually(() => lively.chat.ofType('pong').length === 1, 'the pong frame');
    expect(server?.connections.get(lively.id)?.isOpen).toBe(true);
    await eventually(
      () => server?.connections.get(silent.id) === undefined,
      'the closed connection to be removed',
    );
  });

  it('answers an app-level ping frame with pong, and counts it as a sign of life', async () => {
    // This client never answers WebSocket pings, but sends app-level pings (as some
    // environments must); it must not be taken for dead.
    const client = await connect(false);
    const startedAt = Date.now();
    for (let round = 1; round <= 5; round += 1) {
      await tick([client]);
      client.chat.send({ type: 'ping', timestamp: round });
      await eventually(() => client.chat.ofType('pong').length === round, `pong ${round}`);
      await seenNow(client);
    }
    expect(Date.now() - startedAt).toBe(5 * INTERVAL_MS);
    expect(Date.now() - startedAt).toBeGreaterThan(TIMEOUT_MS);
    expect(client.chat.closeCode).toBeUndefined();
    const pong = client.chat.ofType('pong')[0];
    // The pong carries the server's (here: fake) time.
    expect(Date.parse(pong?.timestamp ?? '')).toBe(startedAt + INTERVAL_MS);
    expect(client.chat.ofType('error')).toEqual([]);
  });
});
