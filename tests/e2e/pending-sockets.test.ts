import { CLOSE_CODES } from '@botwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, openChatSocket, type ChatSocket } from '../support/chat-socket.js';
import { closeAll, closedWithin, expectUsable, waitUntil } from '../support/e2e-helpers.js';
import { frameHeader, openRawWebSocket, type RawWebSocket } from '../support/raw-websocket.js';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from '../support/server-process.js';

/** Reads one sample from Prometheus text; 0 when absent. */
function metric(text: string, sample: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

async function scrape(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_KEY}` },
  });
  expect(response.status).toBe(200);
  return response.text();
}

/** Sockets that have not authenticated yet: capped in total and per address, and small. */
describe('unauthenticated sockets', () => {
  let server: ServerProcess;
  const chats: ChatSocket[] = [];
  const raws: RawWebSocket[] = [];
  const connectUrl = (): string =>
    `${server.wsUrl}/api/v1/pipelines/${server.defaultPipelineUuid}/ws/connect`;

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        BOTWIRE_MAX_PENDING_CONNECTIONS: '5',
        BOTWIRE_MAX_PENDING_PER_ADDRESS: '3',
        BOTWIRE_LOG_LEVEL: 'info',
      },
    });
  });
  afterAll(async () => {
    await server.stop();
    await server[Symbol.asyncDispose]();
  });
  afterEach(async () => {
    for (const raw of raws.splice(0)) raw.socket.destroy();
    await closeAll(chats.splice(0));
    await waitUntil(
      async () => metric(await scrape(server.url), 'botwire_pending_connections') === 0,
      'pending sockets to be released',
    );
  });

  it('caps pending sockets per address and in total, counts them, and lets others in', async () => {
    for (let index = 0; index < 3; index += 1) {
      raws.push(await openRawWebSocket(connectUrl(), { localAddress: '127.0.0.1' }));
    }
    await expect(openRawWebSocket(connectUrl(), { localAddress: '127.0.0.1' })).rejects.toThrow(
      /503/,
    );
    raws.push(await openRawWebSocket(connectUrl(), { localAddress: '127.0.0.2' }));
    raws.push(await openRawWebSocket(connectUrl(), { localAddress: '127.0.0.3' }));
    await expect(openRawWebSocket(connectUrl(), { localAddress: '127.0.0.4' })).rejects.toThrow(
      /503/,
    );
    const metrics = await scrape(server.url);
    expect(metric(metrics, 'botwire_pending_connections')).toBe(5);
    expect(metric(metrics, 'botwire_errors_total{code="CONNECTION_LIMIT"}')).toBeGreaterThanOrEqual(
      2,
    );

    // A freed slot is usable again, and a client with credentials in the header gets in.
    raws.shift()?.socket.destroy();
    await waitUntil(
      async () => metric(await scrape(server.url), 'botwire_pending_connections') === 4,
      'the slot to be freed',
    );
    const chat = await connectChat(server.wsUrl, server.defaultPipelineUuid);
    chats.push(chat);
    await expectUsable(chat);
  });

  it('refuses a frame larger than an authenticate frame before authentication', async () => {
    const chat = await openChatSocket(server.wsUrl, server.defaultPipelineUuid, { token: null });
    chats.push(chat);
    chat.sendText('x'.repeat(200_000));
    const closed = await closedWithin(chat);
    expect(closed.code).toBe(CLOSE_CODES.MESSAGE_TOO_BIG);
    expect(chat.ofType('error').map((frame) => frame.code)).toEqual(['FRAME_TOO_LARGE']);
  });

  it('does not buffer unfinished frames of unauthenticated sockets', async () => {
    const before = metric(await scrape(server.url), 'botwire_process_nodejs_external_memory_bytes');
    const attackers = await Promise.all(
      ['127.0.0.5', '127.0.0.6'].flatMap((address) =>
        [0, 1].map(() => openRawWebSocket(connectUrl(), { localAddress: address })),
      ),
    );
    raws.push(...attackers);
    // Each announces a 3 MB text frame (under 4x maxFrameBytes) and sends all of it but a byte.
    const payload = Buffer.alloc(3_000_000 - 1, 0x61);
    for (const attacker of attackers) {
      attacker.socket.write(frameHeader(3_000_000));
      attacker.socket.write(payload);
    }
    await Promise.all(attackers.map((attacker) => attacker.ended));
    const after = metric(await scrape(server.url), 'botwire_process_nodejs_external_memory_bytes');
    // 12 MB were sent; without a pre-authentication limit all of it is held in buffers.
    expect(after - before).toBeLessThan(4_000_000);
  });

  it('logs refusals at a bounded rate', async () => {
    const lines = (): number =>
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('"connection refused"')).length;
    const before = lines();
    const started = Date.now();
    const count = 40;
    for (let index = 0; index < count; index += 1) {
      const chat = await openChatSocket(server.wsUrl, server.defaultPipelineUuid, {
        token: 'not-a-valid-key',
      });
      chats.push(chat);
      expect((await closedWithin(chat)).code).toBe(CLOSE_CODES.UNAUTHENTICATED);
    }
    // Ten lines per second at most: fewer lines than refusals unless this took four seconds.
    const windows = Math.ceil((Date.now() - started) / 1_000) + 1;
    expect(lines() - before).toBeLessThanOrEqual(Math.min(count, 10 * windows));
    expect(lines() - before).toBeLessThan(count);
  });
});
