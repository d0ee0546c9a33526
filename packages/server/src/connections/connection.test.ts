import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { Connection, type ConnectionOptions } from './connection.js';
import { FlushScheduler } from './flush-scheduler.js';

const principal = {
  id: 'static:1',
  name: 'static key 1',
  kind: 'static_key',
  role: 'admin',
  pipelines: null,
} as const;

function connectionOptions(
  socket: WebSocket,
  transport: Duplex,
  overrides: Partial<ConnectionOptions> = {},
): ConnectionOptions {
  return {
    id: 'connection-1',
    socket,
    transport,
    flushScheduler: new FlushScheduler(),
    placement: {
      pipelineUuid: 'pipeline',
      sessionType: 'person',
      session: 'default',
      conversationKey: 'conversation',
    },
    principal,
    credentialHash: 'hash',
    remoteAddress: '127.0.0.1',
    streamMode: 'delta',
    maxSendBufferBytes: 1_024,
    onSlowConsumer: () => undefined,
    ...overrides,
  };
}

/** A socket pair on loopback: the server side as the gateway sees it, and a client. */
interface Loopback {
  serverSocket: WebSocket;
  transport: Duplex;
  client: WebSocket;
  received: string[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function loopback(): Promise<Loopback> {
  const http = createServer();
  servers.push(http);
  const websockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const accepted = new Promise<{ serverSocket: WebSocket; transport: Duplex }>((resolve) => {
    http.on('upgrade', (request, socket, head) => {
      websockets.handleUpgrade(request, socket, head, (serverSocket) =>
        resolve({ serverSocket, transport: socket }),
      );
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  const received: string[] = [];
  client.on('message', (data: Buffer) => received.push(data.toString('utf8')));
  await new Promise((resolve) => client.once('open', resolve));
  return { ...(await accepted), client, received };
}

/** Resolves once the client has received `count` messages: on its message events, no polling. */
function receivedMessages(loop: Loopback, count: number): Promise<void> {
  const { client, received } = loop;
  if (received.length >= count) return Promise.resolve();
  return new Promise((resolve) => {
    const onMessage = (): void => {
      if (received.length < count) return;
      client.off('message', onMessage);
      resolve();
    };
    client.on('message', onMessage);
  });
}

describe('Connection', () => {
  it('writes every frame sent in one tick with a single socket write, in order', async () => {
    const loop = await loopback();
    const { serverSocket, transport, client, received } = loop;
    const write = vi.spyOn(transport, 'write');
    const connection = new Connection(connectionOptions(serverSocket, transport));
    const texts = ['{"n":1}', 'x'.repeat(200), '{"n":"ü€😀"}', 'y'.repeat(70_000)];
    for (const text of texts) expect(connection.sendText(text)).toBe(true);
    expect(write).not.toHaveBeenCalled();
    await new Promise((resolve) => process.nextTick(resolve));
    expect(write).toHaveBeenCalledTimes(1);

    await receivedMessages(loop, texts.length);
    expect(received).toEqual(texts);
    client.close();
  });

  it('writes the frames of separate ticks separately', async () => {
    const loop = await loopback();
    const { serverSocket, transport, client, received } = loop;
    const write = vi.spyOn(transport, 'write');
    const connection = new Connection(connectionOptions(serverSocket, transport));
    connection.sendText('one');
    await new Promise((resolve) => setImmediate(resolve));
    connection.sendText('two');
    connection.sendText('three');
    await new Promise((resolve) => setImmediate(resolve));
    expect(write).toHaveBeenCalledTimes(2);
    await receivedMessages(loop, 3);
    expect(received).toEqual(['one', 'two', 'three']);
    client.close();
  });

  it('flushes what was sent before closing, so the close frame comes last', async () => {
    const { serverSocket, transport, client, received } = await loopback();
    const connection = new Connection(connectionOptions(serverSocket, transport));
    const closed = new Promise<number>((resolve) => client.once('close', resolve));
    connection.sendText('last words');
    connection.close(4008, 'bye');
    expect(connection.sendText('too late')).toBe(false);
    expect(await closed).toBe(4008);
    expect(received).toEqual(['last words']);
  });

  it('flushes many connections written to in one tick from one scheduled callback', () => {
    const nextTick = vi.spyOn(process, 'nextTick');
    const scheduler = new FlushScheduler();
    const flushed: number[] = [];
    for (let index = 0; index < 5; index += 1)
      scheduler.schedule({ flush: () => flushed.push(index) });
    expect(nextTick).toHaveBeenCalledTimes(1);
    nextTick.mockRestore();
    scheduler.flushAll();
    expect(flushed).toEqual([0, 1, 2, 3, 4]);
  });

  it('closes a slow consumer by the bytes the socket could not write, not by this tick', () => {
    const close = vi.fn();
    const socket = {
      OPEN: 1,
      CONNECTING: 0,
      readyState: 1,
      close,
      terminate: vi.fn(),
      once: vi.fn(),
    } as unknown as WebSocket;
    const transport = { writableLength: 0, destroyed: false, write: vi.fn() };
    const onSlowConsumer = vi.fn();
    const connection = new Connection(
      connectionOptions(socket, transport as unknown as Duplex, { onSlowConsumer }),
    );
    // Several frames over the limit within one tick are fine: nothing is backed up yet.
    for (let index = 0; index < 4; index += 1)
      expect(connection.sendText('z'.repeat(600))).toBe(true);
    connection.flush();
    expect(transport.write).toHaveBeenCalledTimes(1);
    transport.writableLength = 2_000;
    expect(connection.sendText('more')).toBe(false);
    expect(onSlowConsumer).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledWith(4008, expect.stringContaining('slow consumer'));
  });
});
