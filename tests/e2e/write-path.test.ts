import { afterEach, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { killDuringBurst } from '../support/burst-kill.js';
import { TestResources, createBenchPipeline, fetchHistory } from '../support/stream-test-kit.js';

/** The group-committed write path, against real server processes and SQLite files. */
describe('write path', () => {
  const resources = new TestResources();
  afterEach(async () => {
    await resources.dispose();
  });

  it('keeps every acknowledged message of a burst across a kill -9', async () => {
    const outcome = await killDuringBurst({
      resources,
      server: {
        dataDir: resources.tempDir(),
        env: { BOTWIRE_MAX_FRAMES_PER_SECOND: '10000', BOTWIRE_MAX_QUEUED_MESSAGES: '1000' },
      },
    });
    await outcome.expectAcknowledgedInHistory();
  });

  it('acknowledges only as many messages as the queue holds when two connections send at once', async () => {
    const server = await resources.startServer({ env: { BOTWIRE_MAX_QUEUED_MESSAGES: '1' } });
    const pipeline = await createBenchPipeline(server, 'slow', {
      chunks: 4,
      chunk_bytes: 8,
      interval_ms: 500,
    });
    const query = 'session_type=person&session=shared';
    const [first, second] = await Promise.all([
      resources.connect(server, pipeline, { query }),
      resources.connect(server, pipeline, { query }),
    ]);
    if (first === undefined || second === undefined) throw new Error('two sockets expected');
    first.sendText('running');
    await first.next('user_message');
    // Two messages race for the one waiting slot from two connections of the conversation.
    first.sendText('from first');
    second.sendText('from second');
    const outcome = async (chat: ChatSocket, text: string): Promise<'ack' | 'refused'> => {
      await chat.waitFor((frames) =>
        frames.some(
          (frame) =>
            (frame.type === 'user_message' && frame.data.content === text) ||
            (frame.type === 'error' && frame.code === 'QUEUE_FULL'),
        ),
      );
      return chat.ofType('error').some((frame) => frame.code === 'QUEUE_FULL') ? 'refused' : 'ack';
    };
    const outcomes = await Promise.all([
      outcome(first, 'from first'),
      outcome(second, 'from second'),
    ]);
    expect(outcomes.sort()).toEqual(['ack', 'refused']);

    // Every acknowledged message gets its reply: both finals arrive, nothing is left waiting.
    await first.waitFor(
      (frames) =>
        frames.filter((frame) => frame.type === 'response' && frame.data.is_final).length === 2,
      15_000,
    );
    const finals = first.ofType('response').filter((frame) => frame.data.is_final);
    const acknowledged = first.ofType('user_message').map((frame) => frame.data.id);
    expect(acknowledged).toHaveLength(2);
    expect(finals.map((frame) => frame.data.reply_to)).toEqual(acknowledged);
    const history = await fetchHistory(server, pipeline, 'person', { session: 'shared' });
    expect(history.messages.filter((message) => message.role === 'user')).toHaveLength(2);
  });
});
