import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { finalReplies, useRealServer } from '../../../tests/support/client-test-kit.js';
import {
  ADMIN_KEY,
  startServerProcess,
  type ServerProcess,
} from '../../../tests/support/server-process.js';
import { eventually } from '../../../tests/support/stream-test-kit.js';
import { BotwireClientError } from './client-error.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the echo runner answers to `text`. */
const echo = (text: string) => `[echo: no model configured] ${text}`;

/**
 * How the SDK recovers, against the real server process (built by `npm run build`): transports
 * cut with `terminate()` (no close frame, as a dead network), lost acknowledgements, refusals that
 * must not be retried, and a server restart on the same port and data.
 */
describe('WebSocketClient recovering against the real server', { timeout: 30_000 }, () => {
  const real = useRealServer();

  /** The conversation as the server stored it: its user messages and its replies. */
  async function storedConversation(session: string) {
    const { server, backend } = real;
    const { messages } = await backend.getHistory(server.defaultPipelineUuid, 'person', {
      session,
    });
    return {
      users: messages.filter((message) => message.role === 'user'),
      replies: messages.filter((message) => message.role === 'assistant'),
    };
  }

  /** `botwire_errors_total{code}` from the server's metrics. */
  async function errorCount(code: string): Promise<number> {
    const response = await fetch(`${real.server.url}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const metrics = await response.text();
    const line = new RegExp(`^botwire_errors_total\\{code="${code}"\\} (\\d+)$`, 'm').exec(metrics);
    return Number(line?.[1] ?? 0);
  }

  it('delivers messages sent while reconnecting after the reconnect, each stored and answered once', async () => {
    const session = `outbox-${randomUUID()}`;
    // random() = 1: every retry waits the whole 500 ms, a window to send in while away.
    const { client, sockets, messages, states } = real.createClient(
      real.server.defaultPipelineUuid,
      {
        session,
        random: () => 1,
        backoff: { initialDelayMs: 500, maxDelayMs: 500 },
      },
    );
    await client.connect();
    sockets[0]?.terminate();
    await eventually(() => client.state === 'reconnecting', 5_000, 'the client to notice the drop');

    const sendingFirst = client.sendMessage('first while away');
    const sendingSecond = client.sendMessage('second while away');
    expect(client.state).toBe('reconnecting');
    expect(sockets).toHaveLength(1);
    const [first, second] = await Promise.all([sendingFirst, sendingSecond]);

    expect(sockets).toHaveLength(2);
    expect(states.map(({ current, reason }) => [current, reason])).toEqual([
      ['connecting', 'connect-called'],
      ['connected', 'opened'],
      ['reconnecting', 'transport-error'],
      ['connected', 'opened'],
    ]);
    expect(first).toMatchObject({ role: 'user', content: 'first while away', status: 'complete' });
    expect(second).toMatchObject({ role: 'user', content: 'second while away' });
    expect(second.id).toBeGreaterThan(first.id);
    await eventually(
      () =>
        finalReplies(messages, first.id).length > 0 && finalReplies(messages, second.id).length > 0,
      10_000,
      'both replies',
    );

    const { users, replies } = await storedConversation(session);
    expect(users).toEqual([first, second]);
    const answers = replies.map((reply) => [reply.reply_to ?? 0, reply.content] as const);
    expect(answers.sort(([left], [right]) => left - right)).toEqual([
      [first.id, echo('first while away')],
      [second.id, echo('second while away')],
    ]);
    // The app heard of each user message once.
    const heard = messages.filter((message) => message.role === 'user');
    expect(heard.map((message) => message.id)).toEqual([first.id, second.id]);
  });

  it('stores a message once when its connection dies before the acknowledgement', async () => {
    const session = `lost-ack-${randomUUID()}`;
    const clientId = randomUUID();
    const { client, sockets, messages } = real.createClient(real.server.defaultPipelineUuid, {
      session,
    });
    await client.connect();
    const sending = client.sendMessage('sent as the line dropped', { clientId });
    // In the same tick: whether or not the frame got out, its acknowledgement cannot come back.
    sockets[0]?.terminate();
    const sent = await sending;

    expect(sockets).toHaveLength(2);
    expect(sent).toMatchObject({ content: 'sent as the line dropped', client_id: clientId });
    await eventually(() => finalReplies(messages, sent.id).length > 0, 10_000, 'the reply');
    // Time for a second copy to be stored and answered, were there one.
    await pause(300);
    const { users, replies } = await storedConversation(session);
    expect(users).toEqual([sent]);
    expect(replies.map((reply) => reply.reply_to)).toEqual([sent.id]);
    const heard = messages.filter((message) => message.role === 'user');
    expect(heard.map((message) => message.id)).toEqual([sent.id]);
    expect(finalReplies(messages, sent.id)).toHaveLength(1);
  });

  it('resolves a resend of an acknowledged client_id with the stored message, stored once', async () => {
    const session = `resend-${randomUUID()}`;
    const clientId = randomUUID();
    const { client, sockets, messages } = real.createClient(real.server.defaultPipelineUuid, {
      session,
    });
    await client.connect();
    const original = await client.sendMessage('said once', { clientId });
    await eventually(() => finalReplies(messages, original.id).length > 0, 10_000, 'the reply');

    // The app lost the acknowledgement (say, the page reloaded) and sends again after a drop.
    sockets[0]?.terminate();
    await eventually(
      () => sockets.length === 2 && client.state === 'connected',
      5_000,
      'the reconnect',
    );
    // The server answers with the original message and its original seq, which the client has
    // processed already: the send must settle all the same.
    const resent = await client.sendMessage('said once', { clientId });

    expect(resent).toEqual(original);
    await pause(300);
    const { users, replies } = await storedConversation(session);
    expect(users).toEqual([original]);
    expect(replies.map((reply) => reply.reply_to)).toEqual([original.id]);
    expect(finalReplies(messages, original.id)).toHaveLength(1);
  });

  it('stops at once on a wrong API key: AUTH_FAILED, closed, one connection attempt', async () => {
    const refusalsBefore = await errorCount('AUTH_FAILED');
    const { client, sockets, states, errors } = real.createClient(real.server.defaultPipelineUuid, {
      token: 'bw_key_not-a-key-the-server-issued-0123',
    });

    const error = await client.connect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BotwireClientError);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', closeCode: 4001 });
    expect(client.state).toBe('closed');
    expect(states.map(({ current, reason }) => [current, reason])).toEqual([
      ['connecting', 'connect-called'],
      ['closed', 'final-close-code'],
    ]);
    expect(states.at(-1)).toMatchObject({ closeCode: 4001, error: { code: 'AUTH_FAILED' } });
    expect(errors).toEqual([error]);

    // Many backoff windows (50-200 ms) later, still the one attempt, on both sides.
    await pause(1_000);
    expect(sockets).toHaveLength(1);
    expect(client.state).toBe('closed');
    expect(await errorCount('AUTH_FAILED')).toBe(refusalsBefore + 1);
  });

  it('stops with PIPELINE_NOT_FOUND when its pipeline is deleted, without reconnecting', async () => {
    const pipeline = await real.backend.createPipeline({
      name: `deleted while in use ${randomUUID()}`,
      runner: { type: 'echo' },
    });
    const { client, sockets, states, errors } = real.createClient(pipeline.uuid);
    const disconnects: unknown[] = [];
    client.onDisconnected((event) => disconnects.push(event));
    await client.connect();

    await real.backend.deletePipeline(pipeline.uuid);
    await eventually(() => client.state === 'closed', 5_000, 'the client to close');

    expect(states.at(-1)).toMatchObject({
      previous: 'connected',
      current: 'closed',
      reason: 'final-close-code',
      closeCode: 4004,
      error: { code: 'PIPELINE_NOT_FOUND', closeCode: 4004 },
    });
    expect(errors.map((error) => [error.code, error.closeCode])).toEqual([
      ['PIPELINE_NOT_FOUND', 4004],
    ]);
    expect(disconnects).toEqual([{ code: 4004, reason: 'pipeline deleted', willReconnect: false }]);
    await pause(1_000);
    expect(states.some((change) => change.current === 'reconnecting')).toBe(false);
    expect(sockets).toHaveLength(1);
    await expect(client.sendMessage('anyone there?')).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
    });
  });

  it('reconnects by itself across a server restart, resyncs and is answered', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'botwire-client-restart-'));
    const first = await startServerProcess({ dataDir });
    let second: ServerProcess | undefined;
    const session = `restart-${randomUUID()}`;
    // Enough retries to outlast the restart.
    const { client, states, messages, resyncs } = real.createClient(first.defaultPipelineUuid, {
      baseUrl: first.url,
      session,
      maxReconnectAttempts: 200,
    });
    try {
      await client.connect();
      const before = await client.sendMessage('before the restart');
      await eventually(() => finalReplies(messages, before.id).length > 0, 10_000, 'a reply');
      const seqBefore = client.lastSeq ?? 0;
      expect(seqBefore).toBeGreaterThan(0);

      expect(await first.stop()).toBe(0);
      await eventually(() => client.state === 'reconnecting', 5_000, 'the client to notice');
      const port = new URL(first.url).port;
      second = await startServerProcess({ dataDir, env: { BOTWIRE_PORT: port } });
      expect(second.url).toBe(first.url);
      expect(second.defaultPipelineUuid).toBe(first.defaultPipelineUuid);
      await eventually(() => client.state === 'connected', 15_000, 'the client to reconnect');
      await eventually(() => resyncs.length > 0, 5_000, 'resync_required');

      const dropped = states.findIndex((change) => change.current === 'reconnecting');
      expect(states[dropped]).toMatchObject({
        previous: 'connected',
        reason: 'server-closed',
        closeCode: 1001,
      });
      // Then only failed retries while the server was down, until it accepted again.
      const after = states.slice(dropped);
      expect(after.slice(0, -1).every((change) => change.current === 'reconnecting')).toBe(true);
      expect(after.at(-1)).toMatchObject({ current: 'connected', reason: 'opened' });
      expect(resyncs).toHaveLength(1);
      // Seqs continue above everything handed out before the restart.
      expect(resyncs[0]?.lastSeq).toBeGreaterThan(seqBefore);
      expect(client.lastSeq).toBe(resyncs[0]?.lastSeq);

      const later = await client.sendMessage('after the restart');
      expect(later.id).toBeGreaterThan(before.id);
      await eventually(() => finalReplies(messages, later.id).length > 0, 10_000, 'the reply');
      expect(finalReplies(messages, later.id)[0]).toMatchObject({
        content: echo('after the restart'),
        status: 'complete',
      });
    } finally {
      client.disconnect();
      await second?.[Symbol.asyncDispose]();
      await first[Symbol.asyncDispose]();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
