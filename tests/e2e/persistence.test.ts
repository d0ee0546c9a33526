import { afterEach, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { rest } from '../support/rest-client.js';
import type { ServerProcess } from '../support/server-process.js';
import {
  TestResources,
  barrier,
  benchText,
  createBenchPipeline,
  eventually,
  fetchHistory,
  finalFrames,
  replyFrames,
  responseCount,
  summarize,
  within,
} from '../support/stream-test-kit.js';

/** SIGTERM and wait for the exit, bounded so a process that hangs fails the test instead. */
async function stopWithin(server: ServerProcess, ms = 8_000): Promise<number | null> {
  return within(server.stop(), ms, 'server exit after SIGTERM');
}

/** Waits for the server to report that it is shutting down (readiness turns 503). */
async function waitUntilDraining(server: ServerProcess): Promise<void> {
  await eventually(
    async () => {
      const response = await fetch(`${server.url}/readyz`);
      await response.text();
      return response.status === 503;
    },
    3_000,
    'readiness to turn 503',
  );
}

/** The text streamed to `chat` for reply `replyId` before its final chunk. */
function streamedText(chat: ChatSocket, replyId: number): string {
  return replyFrames(chat.frames, replyId)
    .filter((frame) => !frame.data.is_final)
    .map((frame) => frame.data.delta)
    .join('');
}

/** What survives a restart, a crash and a graceful shutdown. */
describe('persistence', () => {
  const resources = new TestResources();
  afterEach(async () => {
    await resources.dispose();
  });

  it('keeps history, pipelines and the default pipeline across a restart; old seqs resync', async () => {
    const dataDir = resources.tempDir();
    const first = await resources.startServer({ dataDir });
    const pipeline = first.defaultPipelineUuid;
    const person = await resources.connect(first, pipeline, { query: 'session_type=person' });
    person.sendText('remember me', { client_id: 'before-restart' });
    const personFinal = await person.finalResponse();
    const group = await resources.connect(first, pipeline, { query: 'session_type=group' });
    // The default pipeline answers group messages that mention the bot.
    group.send({
      type: 'message',
      message: [
        { type: 'At', target: pipeline },
        { type: 'Plain', text: ' remember us' },
      ],
    });
    await group.finalResponse();
    const bench = await createBenchPipeline(first, 'survivor', {
      chunks: 3,
      chunk_bytes: 4,
      interval_ms: 1,
    });
    const personBefore = await fetchHistory(first, pipeline, 'person');
    const groupBefore = await fetchHistory(first, pipeline, 'group');
    expect(personBefore.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(personBefore.messages[1]?.content).toBe(personFinal.data.content);
    expect(personBefore.last_seq).toBe(personFinal.seq);

    expect(await stopWithin(first)).toBe(0);
    expect((await within(person.closed, 3_000, 'socket close')).code).toBe(1001);

    const second = await resources.startServer({ dataDir });
    expect(second.defaultPipelineUuid).toBe(pipeline);
    const pipelineResponse = await rest(second.url, 'GET', `/api/v1/pipelines/${bench}`);
    expect(pipelineResponse.status).toBe(200);
    expect(pipelineResponse.body.data.pipeline.runner).toEqual({
      type: 'bench',
      settings: { chunks: 3, chunk_bytes: 4, interval_ms: 1 },
    });

    const personAfter = await fetchHistory(second, pipeline, 'person');
    const groupAfter = await fetchHistory(second, pipeline, 'group');
    expect(personAfter.messages).toEqual(personBefore.messages);
    expect(groupAfter.messages).toEqual(groupBefore.messages);
    // Seqs continue above everything handed out before the restart.
    expect(personAfter.last_seq).toBeGreaterThan(personBefore.last_seq);

    // A client still holding a seq from before the restart must resync, not resume.
    const stale = await resources.connect(second, pipeline, {
      query: `session_type=person&last_seq=${personFinal.seq}`,
    });
    const resync = await stale.next('resync_required');
    expect(resync.last_seq).toBe(personAfter.last_seq);
    expect(stale.ofType('connected')[0]?.last_seq).toBe(personAfter.last_seq);

    // The conversation goes on: new ids and seqs above the old ones.
    stale.sendText('back again');
    const ack = await stale.next('user_message');
    expect(ack.seq).toBe(personAfter.last_seq + 1);
    expect(ack.data.id).toBeGreaterThan(personFinal.data.id);
    await stale.finalResponse(ack.data.id);

    // A retry of a message sent before the restart is still recognised by its client_id.
    stale.sendText('remember me', { client_id: 'before-restart' });
    const retryAck = await stale.next('user_message', (frame) => frame.data.id !== ack.data.id);
    expect(retryAck.data.id).toBe(personBefore.messages[0]?.id);
    await barrier(stale);
    expect(finalFrames(stale.frames)).toHaveLength(1);

    const grown = await fetchHistory(second, pipeline, 'person');
    expect(grown.messages.slice(0, 2)).toEqual(personBefore.messages);
    expect(grown.messages).toHaveLength(4);
  });

  it('marks a reply cut off by a crash as interrupted after the restart', async () => {
    const dataDir = resources.tempDir();
    const settings = { chunks: 500, chunk_bytes: 8, interval_ms: 20 };
    const first = await resources.startServer({ dataDir });
    const pipeline = await createBenchPipeline(first, 'crash', settings);
    const chat = await resources.connect(first, pipeline, { query: 'session_type=person' });
    chat.sendText('crash during this');
    const ack = await chat.next('user_message');
    // Stream for longer than the progress-save interval (1 s), so some text must be on disk.
    await chat.waitFor((frames) => responseCount(frames) >= 70);
    const streamed = chat.ofType('response').at(-1)?.data.content ?? '';
    const replyId = chat.ofType('response')[0]?.data.id;
    await first.kill();
    await within(chat.closed, 3_000, 'socket close after the crash');
    expect(chat.ofType('response').some((frame) => frame.data.is_final)).toBe(false);

    const second = await resources.startServer({ dataDir });
    const history = await fetchHistory(second, pipeline, 'person');
    expect(history.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    const reply = history.messages[1];
    expect(reply?.id).toBe(replyId);
    expect(reply?.reply_to).toBe(ack.data.id);
    expect(reply?.status).toBe('interrupted');
    expect(reply?.is_final).toBe(true);
    // The text saved while streaming survives: a non-empty prefix of what the client saw.
    expect(reply?.content.length).toBeGreaterThan(0);
    expect(streamed.startsWith(reply?.content ?? 'missing')).toBe(true);
    expect(benchText(settings).startsWith(reply?.content ?? 'missing')).toBe(true);
  });

  it('interrupts a long reply after the grace period on SIGTERM, then closes with 1001 and exits 0', async () => {
    const dataDir = resources.tempDir();
    const settings = { chunks: 500, chunk_bytes: 8, interval_ms: 20 };
    const first = await resources.startServer({
      dataDir,
      env: { BOTWIRE_SHUTDOWN_GRACE_MS: '300' },
    });
    const pipeline = await createBenchPipeline(first, 'graceful-long', settings);
    const chat = await resources.connect(first, pipeline, { query: 'session_type=person' });
    chat.sendText('a very long answer please');
    const ack = await chat.next('user_message');
    await chat.waitFor((frames) => responseCount(frames) >= 3);

    const stopping = Date.now();
    const exitCode = await stopWithin(first);
    const stopMs = Date.now() - stopping;
    expect(exitCode).toBe(0);
    // It waited for the grace period, not for the 10 s reply.
    expect(stopMs).toBeGreaterThanOrEqual(250);
    expect(stopMs).toBeLessThan(4_000);

    const closed = await within(chat.closed, 3_000, 'socket close');
    expect(closed.code).toBe(1001);
    // The final chunk arrived, and it was the last event before the close.
    const responses = chat.ofType('response');
    const final = responses.at(-1);
    expect(final?.data.is_final).toBe(true);
    expect(final?.data.status).toBe('interrupted');
    expect(final?.data.reply_to).toBe(ack.data.id);
    expect(responses.filter((frame) => frame.data.is_final)).toHaveLength(1);
    const partial = streamedText(chat, final?.data.id ?? -1);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(benchText(settings).length);
    expect(final?.data.content).toBe(partial);

    const second = await resources.startServer({ dataDir });
    const history = await fetchHistory(second, pipeline, 'person');
    expect(summarize(history.messages)).toEqual([
      {
        id: ack.data.id,
        role: 'user',
        content: 'a very long answer please',
        status: 'complete',
        reply_to: null,
      },
      {
        id: final?.data.id,
        role: 'assistant',
        content: partial,
        status: 'interrupted',
        reply_to: ack.data.id,
      },
    ]);
  });

  it('lets a short reply finish within a generous grace period and refuses new messages meanwhile', async () => {
    const dataDir = resources.tempDir();
    const settings = { chunks: 25, chunk_bytes: 8, interval_ms: 20 };
    const first = await resources.startServer({
      dataDir,
      env: { BOTWIRE_SHUTDOWN_GRACE_MS: '5000' },
    });
    const pipeline = await createBenchPipeline(first, 'graceful-short', settings);
    const chat = await resources.connect(first, pipeline, { query: 'session_type=person' });
    chat.sendText('short answer');
    const ack = await chat.next('user_message');
    await chat.next('response');

    const stopped = first.stop();
    await waitUntilDraining(first);
    chat.sendText('too late');
    const refused = await chat.next('error');
    expect(refused.code).toBe('SHUTTING_DOWN');

    expect(await within(stopped, 8_000, 'server exit after SIGTERM')).toBe(0);
    const closed = await within(chat.closed, 3_000, 'socket close');
    expect(closed.code).toBe(1001);
    const final = chat.ofType('response').at(-1);
    expect(final?.data.is_final).toBe(true);
    expect(final?.data.status).toBe('complete');
    expect(final?.data.content).toBe(benchText(settings));
    expect(streamedText(chat, final?.data.id ?? -1)).toBe(benchText(settings));
    expect(chat.ofType('user_message').map((frame) => frame.data.content)).toEqual([
      'short answer',
    ]);

    const second = await resources.startServer({ dataDir });
    const history = await fetchHistory(second, pipeline, 'person');
    expect(summarize(history.messages)).toEqual([
      {
        id: ack.data.id,
        role: 'user',
        content: 'short answer',
        status: 'complete',
        reply_to: null,
      },
      {
        id: final?.data.id,
        role: 'assistant',
        content: benchText(settings),
        status: 'complete',
        reply_to: ack.data.id,
      },
    ]);
  });
});
