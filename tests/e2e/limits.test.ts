import { CLOSE_CODES } from '@botwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  connectChat,
  openChatSocket,
  type ChatSocket,
  type ChatSocketOptions,
} from '../support/chat-socket.js';
import {
  closeAll,
  closedWithin,
  expectRefusal,
  expectUsable,
  nextError,
  waitForConnectionCount,
  waitUntil,
} from '../support/e2e-helpers.js';
import { rest } from '../support/rest-client.js';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline } from '../support/stream-test-kit.js';

const SECOND_KEY = 'second-static-key-0123456789';
const MAX_SEND_BUFFER_BYTES = 65_536;

/** Reads one sample from Prometheus text, e.g. `botwire_frames_in_total{type="ping"}`; 0 when absent. */
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

/** Rate, connection, queue and send-buffer limits, against real server processes. */
describe('limits', () => {
  /** BOTWIRE_MAX_FRAMES_PER_SECOND=2; nothing else runs on it. */
  let rateServer: ServerProcess;
  /** Small connection, queue and send-buffer limits. */
  let server: ServerProcess;
  const sockets: ChatSocket[] = [];

  const open = async (
    target: ServerProcess,
    options: ChatSocketOptions = {},
    pipeline?: string,
  ) => {
    const chat = await openChatSocket(
      target.wsUrl,
      pipeline ?? target.defaultPipelineUuid,
      options,
    );
    sockets.push(chat);
    return chat;
  };
  const connect = async (
    target: ServerProcess,
    options: ChatSocketOptions = {},
    pipeline?: string,
  ) => {
    const chat = await connectChat(target.wsUrl, pipeline ?? target.defaultPipelineUuid, options);
    sockets.push(chat);
    return chat;
  };

  beforeAll(async () => {
    [rateServer, server] = await Promise.all([
      startServerProcess({ env: { BOTWIRE_MAX_FRAMES_PER_SECOND: '2' } }),
      startServerProcess({
        env: {
          BOTWIRE_API_KEYS: `${ADMIN_KEY},${SECOND_KEY}`,
          BOTWIRE_MAX_CONNECTIONS: '3',
          BOTWIRE_MAX_CONNECTIONS_PER_PRINCIPAL: '2',
          BOTWIRE_MAX_QUEUED_MESSAGES: '1',
          BOTWIRE_MAX_SEND_BUFFER_BYTES: String(MAX_SEND_BUFFER_BYTES),
        },
      }),
    ]);
  });

  afterEach(async () => {
    await closeAll(sockets.splice(0));
    await waitForConnectionCount(server.url, 0);
  });

  afterAll(async () => {
    await closeAll(sockets);
    await Promise.all([rateServer[Symbol.asyncDispose](), server[Symbol.asyncDispose]()]);
  });

  it('drops frames over the rate with one RATE_LIMITED error and keeps the connection open', async () => {
    const chat = await connect(rateServer);
    const sent = 20;
    for (let index = 0; index < sent; index += 1) chat.send({ type: 'ping', timestamp: index });
    await nextError(chat, 'RATE_LIMITED');
    // Barrier: once the server has counted every frame as answered or dropped, the pongs it sent
    // are exactly the accepted pings; wait for those pongs rather than for a guessed time.
    const handled = (text: string): number =>
      metric(text, 'botwire_frames_in_total{type="ping"}') +
      metric(text, 'botwire_errors_total{code="RATE_LIMITED"}');
    let metrics = '';
    await waitUntil(async () => {
      metrics = await scrape(rateServer.url);
      return handled(metrics) === sent;
    }, 'the server to handle all 20 frames');
    const accepted = metric(metrics, 'botwire_frames_in_total{type="ping"}');
    await chat.waitFor(
      (frames) => frames.filter((frame) => frame.type === 'pong').length === accepted,
    );
    const pongs = chat.ofType('pong').length;
    // Capacity is twice the rate: a burst of about 4 passes, the rest is dropped.
    expect(pongs).toBeGreaterThanOrEqual(3);
    expect(pongs).toBeLessThanOrEqual(6);
    // One notice per second, not one per dropped frame.
    expect(chat.ofType('error').map((frame) => frame.code)).toEqual(['RATE_LIMITED']);
    expect(chat.closeCode).toBeUndefined();
    expect(metric(metrics, 'botwire_errors_total{code="RATE_LIMITED"}')).toBe(sent - pongs);

    // The bucket refills (at 2 frames/s; timing is unit-tested on a clock in
    // token-bucket.test.ts) and the same connection is served again: ping until a pong comes.
    await waitUntil(
      async () => {
        const before = chat.ofType('pong').length;
        chat.send({ type: 'ping' });
        return chat
          .waitFor((frames) => frames.filter((frame) => frame.type === 'pong').length > before, 600)
          .then(
            () => true,
            () => false,
          );
      },
      'a pong once the bucket has refilled',
      10_000,
      0,
    );
    expect(chat.closeCode).toBeUndefined();
  });

  it('refuses a third connection of one principal with CONNECTION_LIMIT and close 4029', async () => {
    const first = await connect(server);
    await connect(server);
    const third = await open(server);
    await expectRefusal(third, 'CONNECTION_LIMIT', CLOSE_CODES.CONNECTION_LIMIT);
    expect(third.ofType('error')[0]?.message).toContain('already has 2 connections');

    // Another principal is not affected by the first one's limit.
    const other = await connect(server, { token: SECOND_KEY });
    await expectUsable(other);

    // Closing one frees a slot for the principal.
    first.close();
    await closedWithin(first);
    await waitForConnectionCount(server.url, 2);
    const again = await connect(server);
    await expectUsable(again);
  });

  it('refuses connections past BOTWIRE_MAX_CONNECTIONS with CONNECTION_LIMIT and close 4029', async () => {
    await connect(server);
    await connect(server);
    await connect(server, { token: SECOND_KEY });
    const fourth = await open(server, { token: SECOND_KEY });
    await expectRefusal(fourth, 'CONNECTION_LIMIT', CLOSE_CODES.CONNECTION_LIMIT);
    expect(fourth.ofType('error')[0]?.message).toContain('server is at its connection limit');
    const stats = await rest(server.url, 'GET', '/api/v1/connections');
    expect(stats.body.data.stats.total_connections).toBe(3);
  });

  it('answers QUEUE_FULL when more messages wait than BOTWIRE_MAX_QUEUED_MESSAGES', async () => {
    const slow = await createPipeline(server, 'slow bench', {
      type: 'bench',
      settings: { chunks: 8, chunk_bytes: 16, interval_ms: 50 },
    });
    const chat = await connect(server, { query: 'session=queue' }, slow);
    chat.sendText('one'); // generating
    chat.sendText('two'); // waiting: the queue holds 1
    chat.sendText('three'); // refused
    const error = await nextError(chat, 'QUEUE_FULL');
    expect(error.message).toContain('1 messages are already waiting');
    expect(chat.ofType('user_message').map((frame) => frame.data.content)).toEqual(['one', 'two']);

    // Both accepted messages are answered, in order, and the conversation takes messages again.
    await chat.waitFor(
      (frames) =>
        frames.filter((frame) => frame.type === 'response' && frame.data.is_final).length === 2,
    );
    const stored = chat.ofType('user_message').map((frame) => frame.data.id);
    const finals = chat.ofType('response').filter((frame) => frame.data.is_final);
    expect(finals.map((frame) => [frame.data.reply_to, frame.data.status])).toEqual(
      stored.map((id) => [id, 'complete']),
    );
    chat.sendText('four');
    await chat.next('user_message', (frame) => frame.data.content === 'four');
    expect(chat.ofType('error')).toHaveLength(1);
    chat.send({ type: 'cancel' });
  });

  it(
    'closes a socket that stops reading with 4008 while a reading socket gets the whole reply',
    { timeout: 90_000 },
    async () => {
      // Cumulative chunks grow to 30 kB, so every frame stays under the 64 kB send-buffer limit
      // (the final one carries the text twice: ~60 kB), but the reply adds up to ~15 MB per socket:
      // far more than the kernel buffers of a socket nobody reads.
      const chunks = 1_000;
      const chunkBytes = 30;
      const bench = await createPipeline(server, 'bench for slow consumers', {
        type: 'bench',
        settings: { chunks, chunk_bytes: chunkBytes, interval_ms: 1 },
      });
      const query = 'session_type=group&session=slow-consumer';
      // The reader takes deltas (~250 kB for the whole reply), so even a test process slowed down
      // by a busy machine stays far below the limit; the stalled socket takes cumulative chunks.
      const reader = await connect(server, { query: `${query}&stream=delta` }, bench);
      const stalled = await connect(server, { query }, bench);
      const stalledId = stalled.ofType('connected')[0]?.connection_id ?? '';
      stalled.socket.pause();

      reader.sendText('go');
      const slowLog = (): boolean =>
        server
          .output()
          .split('\n')
          .some((line) => line.includes(stalledId) && line.includes('closing a slow consumer'));
      // The server's decision is what is tested (its log line and metric below), not how fast
      // this process drains megabytes of kernel buffers: the server gives a closed peer 1 s to
      // read its close frame, so a slow machine sees 1006 where a fast one sees 4008.
      await waitUntil(slowLog, 'the server to close the stalled socket', 25_000, 10);
      stalled.socket.resume();
      const closed = await closedWithin(stalled, 15_000);
      expect([CLOSE_CODES.SLOW_CONSUMER, 1006]).toContain(closed.code);
      expect(stalled.ofType('response').some((frame) => frame.data.is_final)).toBe(false);

      const final = await reader.finalResponse();
      expect(final.data.status).toBe('complete');
      expect(final.data.content).toHaveLength(chunks * chunkBytes);
      const streamed = reader.ofType('response');
      expect(
        streamed
          .slice(0, -1)
          .map((frame) => frame.data.delta)
          .join(''),
      ).toBe(final.data.content);
      expect(streamed).toHaveLength(chunks + 1);
      expect(streamed.map((frame) => frame.seq)).toEqual(
        streamed.map((_frame, index) => (streamed[0]?.seq ?? 0) + index),
      );
      expect(reader.closeCode).toBeUndefined();
      await expectUsable(reader);

      const connections = await rest<{ connections: { connection_id: string }[] }>(
        server.url,
        'GET',
        `/api/v1/pipelines/${bench}/ws/connections`,
      );
      expect(
        connections.body.data.connections.map(
          (info: { connection_id: string }) => info.connection_id,
        ),
      ).toEqual([reader.ofType('connected')[0]?.connection_id]);
      expect(metric(await scrape(server.url), 'botwire_errors_total{code="SLOW_CONSUMER"}')).toBe(
        1,
      );
    },
  );

  it('does not close a reading socket because one frame is larger than the send-buffer limit', async () => {
    // A client that keeps up has nothing left unsent; only a backlog should make it a slow
    // consumer. Chunks of 64 kB (as large as the bench runner allows) are each a bit over the
    // 64 kB limit once framed, and the final frame carries the whole 512 kB reply twice.
    const chunks = 8;
    const chunkBytes = 65_536;
    const bench = await createPipeline(server, 'bench with large chunks', {
      type: 'bench',
      settings: { chunks, chunk_bytes: chunkBytes, interval_ms: 20 },
    });
    /** The send buffer each slow-consumer close reported, in bytes, in server log order. */
    const slowConsumerCloses = (): unknown[] =>
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('closing a slow consumer'))
        .map((line) => (JSON.parse(line) as { buffered?: unknown }).buffered);
    const logsBefore = slowConsumerCloses().length;
    const reader = await connect(server, { query: 'stream=delta' }, bench);
    reader.sendText('large please');
    await reader.waitFor(
      (frames) =>
        reader.closeCode !== undefined ||
        frames.some((frame) => frame.type === 'response' && frame.data.is_final),
    );
    // On failure, `bufferedAtClose` shows how much was really unsent when the server gave up.
    expect({
      closeCode: reader.closeCode,
      bufferedAtClose: slowConsumerCloses().slice(logsBefore),
    }).toEqual({
      closeCode: undefined,
      bufferedAtClose: [],
    });
    const final = await reader.finalResponse();
    expect(final.data.content).toHaveLength(chunks * chunkBytes);
    await expectUsable(reader);
  });

  it('exposes botwire_connections and botwire_frames_in_total on /metrics', async () => {
    const before = await scrape(server.url);
    expect(before).toContain('# TYPE botwire_connections gauge');
    expect(before).toContain('# TYPE botwire_frames_in_total counter');
    expect(metric(before, 'botwire_connections')).toBe(0);
    const pingsBefore = metric(before, 'botwire_frames_in_total{type="ping"}');

    const one = await connect(server);
    const two = await connect(server);
    for (let index = 0; index < 3; index += 1) await expectUsable(one);
    await expectUsable(two);
    const during = await scrape(server.url);
    expect(metric(during, 'botwire_connections')).toBe(2);
    expect(metric(during, 'botwire_frames_in_total{type="ping"}')).toBe(pingsBefore + 4);

    await closeAll([one, two]);
    await waitForConnectionCount(server.url, 0);
    expect(metric(await scrape(server.url), 'botwire_connections')).toBe(0);
  });
});
