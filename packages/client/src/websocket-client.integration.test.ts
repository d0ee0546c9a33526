import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTrackedClient, finalReplies } from '../../../tests/support/client-test-kit.js';
import {
  ADMIN_KEY,
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../../../tests/support/server-process.js';
import { benchText, eventually } from '../../../tests/support/stream-test-kit.js';
import { BackendClient } from './backend-client.js';
import { BotwireClientError } from './client-error.js';
import type { WebSocketClientOptions } from './client-options.js';
import type { WebSocketClient } from './websocket-client.js';

/**
 * The SDK against the real server process (built by `npm run build`), with the `ws` package
 * as its WebSocket. Each socket the client opens is kept, so a test can cut one off the way a
 * network does, without reaching into the client.
 */
describe('WebSocketClient against the real server', { timeout: 30_000 }, () => {
  let server: ServerProcess;
  let backend: BackendClient;
  const clients: WebSocketClient[] = [];

  beforeAll(async () => {
    server = await startServerProcess();
    backend = new BackendClient({ baseUrl: server.url, token: ADMIN_KEY });
  }, 30_000);
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
  });

  function createClient(pipelineId: string, options: WebSocketClientOptions = {}) {
    const tracked = createTrackedClient(server.url, pipelineId, options);
    clients.push(tracked.client);
    return tracked;
  }

  it('connects with an API key, sends, and assembles the streamed reply', async () => {
    const session = `hello-${randomUUID()}`;
    const { client, messages } = createClient(server.defaultPipelineUuid, { session });
    await client.connect();
    expect(client.state).toBe('connected');
    const sent = await client.sendMessage('Hello there');
    expect(sent).toMatchObject({ role: 'user', content: 'Hello there', status: 'complete' });
    await eventually(() => finalReplies(messages, sent.id).length > 0, 10_000, 'the final reply');
    const [reply] = finalReplies(messages, sent.id);
    expect(reply).toMatchObject({
      role: 'assistant',
      content: '[echo: no model configured] Hello there',
      status: 'complete',
      message_chain: [{ type: 'Plain', text: '[echo: no model configured] Hello there' }],
    });
    // Every intermediate snapshot of the reply was a prefix of the final text.
    for (const message of messages.filter((each) => each.id === reply?.id)) {
      expect(reply?.content.startsWith(message.content)).toBe(true);
    }
    const history = await backend.getHistory(server.defaultPipelineUuid, 'person', { session });
    expect(history.messages.map((message) => message.id)).toEqual([sent.id, reply?.id]);
    expect(history.last_seq).toBe(client.lastSeq);
  });

  it('reconnects after the connection dies mid-reply and gets the reply whole, once', async () => {
    const settings = { chunks: 60, chunk_bytes: 12, interval_ms: 20 };
    const pipeline = await backend.createPipeline({
      name: `slow bench ${randomUUID()}`,
      runner: { type: 'bench', settings },
    });
    const { client, sockets, messages, states } = createClient(pipeline.uuid);
    await client.connect();
    const sent = await client.sendMessage('stream sixty chunks');
    const replyChunks = () => messages.filter((message) => message.reply_to === sent.id);
    await eventually(() => replyChunks().length >= 10, 10_000, 'ten reply chunks');
    expect(finalReplies(messages, sent.id)).toHaveLength(0);
    const seqAtDrop = client.lastSeq;
    // What a dead network does: the TCP connection goes, no close frame.
    sockets[0]?.terminate();

    await eventually(() => finalReplies(messages, sent.id).length > 0, 15_000, 'the final reply');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sockets).toHaveLength(2);
    expect(new URL(sockets[1]?.url ?? '').searchParams.get('last_seq')).toBe(String(seqAtDrop));
    expect(states.some((change) => change.reason === 'transport-error')).toBe(true);

    const chunks = replyChunks();
    const final = finalReplies(messages, sent.id);
    expect(final).toHaveLength(1);
    expect(final[0]?.content).toBe(benchText(settings));
    // The deltas alone rebuilt the whole text: nothing missed, nothing applied twice.
    const streaming = chunks.filter((message) => !message.is_final);
    expect(streaming.at(-1)?.content).toBe(benchText(settings));
    expect(streaming).toHaveLength(settings.chunks);
    expect(new Set(chunks.map((message) => message.id)).size).toBe(1);
    await backend.deletePipeline(pipeline.uuid);
  });

  it('rejects an unknown pipeline with PIPELINE_NOT_FOUND and does not retry', async () => {
    const { client, sockets, states } = createClient(randomUUID());
    const error = await client.connect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BotwireClientError);
    expect(error).toMatchObject({ code: 'PIPELINE_NOT_FOUND', closeCode: 4004 });
    expect(client.state).toBe('closed');
    expect(states.at(-1)).toMatchObject({ reason: 'final-close-code', closeCode: 4004 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sockets).toHaveLength(1);
  });

  it('rejects a wrong token with AUTH_FAILED', async () => {
    const { client, sockets } = createClient(server.defaultPipelineUuid, {
      token: 'not-a-valid-key-0123456789',
    });
    await expect(client.connect()).rejects.toMatchObject({ code: 'AUTH_FAILED', closeCode: 4001 });
    expect(sockets).toHaveLength(1);
  });

  it('BackendClient reports the server codes and statuses', async () => {
    await expect(backend.getPipeline(randomUUID())).rejects.toMatchObject({
      code: 'PIPELINE_NOT_FOUND',
      status: 404,
    });
    const anonymous = new BackendClient({ baseUrl: server.url });
    await expect(anonymous.login('admin', 'wrong password')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      status: 401,
    });
    await expect(anonymous.me()).rejects.toMatchObject({ code: 'NOT_AUTHENTICATED', status: 401 });
    const login = await anonymous.login('admin', ADMIN_PASSWORD);
    expect(anonymous.token).toBe(login.token);
    expect(await anonymous.me()).toMatchObject({ kind: 'user', role: 'admin' });
    await anonymous.logout();
    await expect(
      new BackendClient({ baseUrl: server.url, token: login.token }).me(),
    ).rejects.toMatchObject({ code: 'AUTH_FAILED', status: 401 });

    const pipelines = await backend.listPipelines();
    expect(pipelines.map((pipeline) => pipeline.uuid)).toContain(server.defaultPipelineUuid);
    expect((await backend.listRunners()).map((runner) => runner.type)).toContain('bench');
    expect(await backend.listAllConnections()).toMatchObject({ stats: expect.any(Object) });
    await expect(
      backend.createPipeline({ name: '', runner: { type: 'echo' } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    await expect(
      new BackendClient({ baseUrl: 'http://127.0.0.1:1' }).listPipelines(),
    ).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });
});
