import type { ConversationEventFrame } from '@botwire/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer } from '../support/fake-openai-server.js';
import type { FakeProviderServer } from '../support/fake-provider-server.js';
import { createModelPipeline, openAiRunner, sendAndAck } from '../support/model-test-kit.js';
import { registerModelSuiteHooks } from '../support/model-suite-hooks.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TestResources, barrier, eventFrames } from '../support/stream-test-kit.js';

/**
 * A model failure is an event of the conversation like every chunk: it has a seq, and a client
 * that was away when the reply failed gets the failed final chunk and the `error` frame in the
 * replay when it resumes with `last_seq`, each exactly once and in order.
 */
describe('model failures in the replay', () => {
  let server: ServerProcess;
  let openai: FakeProviderServer;
  const resources = new TestResources();

  beforeAll(async () => {
    [openai, server] = await Promise.all([startFakeOpenAiServer(), startServerProcess()]);
  });
  registerModelSuiteHooks({ resources, server: () => server, fakes: () => [openai] });

  it('replays the failure to a client that resumes after it, once', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'fails-while-away',
      runner: openAiRunner(openai.baseUrl),
    });
    const query = 'session_type=person';
    // Two chunks, then the provider drops the connection: the reply fails mid-stream.
    openai.setBehaviour({ kind: 'fail-mid-stream', chunks: ['Half ', 'an answer'], delayMs: 300 });
    const away = await resources.connect(server, pipeline.uuid, { query });
    const present = await resources.connect(server, pipeline.uuid, { query });
    const ack = await sendAndAck(away, 'tell me everything');
    // The client drops right after its acknowledgement, before any chunk or the failure.
    away.socket.terminate();
    const error = await present.next('error');
    const final = await present.finalResponse(ack.data.id);

    // Live: the failed final chunk, then the error frame as the next event, with the reply's id.
    expect(final.data.status).toBe('error');
    expect(error).toMatchObject({ code: 'MODEL_ERROR', reply_id: final.data.id });
    expect(error.seq).toBe(final.seq + 1);
    expect(error.message).toContain(pipeline.uuid);

    const resumed = await resources.connect(server, pipeline.uuid, {
      query: `${query}&last_seq=${ack.seq}`,
    });
    await barrier(resumed);
    const replayed = eventFrames(resumed.frames);
    const live = eventFrames(present.frames).filter((frame) => frame.seq > ack.seq);
    // Everything after the acknowledgement, the failure included, exactly as it went out live.
    expect(replayed).toEqual(live);
    expect(replayed.at(-1)).toEqual(error);
    expect(resumed.ofType('error')).toEqual([error]);
    expect(resumed.ofType('resync_required')).toEqual([]);
    expectGapless(replayed, ack.seq);

    // A client that saw the failure already is not told again.
    const upToDate = await resources.connect(server, pipeline.uuid, {
      query: `${query}&last_seq=${error.seq ?? 0}`,
    });
    await barrier(upToDate);
    expect(eventFrames(upToDate.frames)).toEqual([]);
    expect(upToDate.ofType('error')).toEqual([]);
  });
});

/** Seqs one after another from `afterSeq + 1`, none missing or repeated. */
function expectGapless(events: readonly ConversationEventFrame[], afterSeq: number): void {
  expect(events.map((frame) => frame.seq)).toEqual(events.map((_, index) => afterSeq + 1 + index));
}
