import type { ResponseFrame, UserMessageFrame } from '@botwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import {
  TestResources,
  barrier,
  benchChunk,
  benchText,
  createApiKey,
  createBenchPipeline,
  createPipeline,
  eventFrames,
  fetchHistory,
  finalFrames,
  replyFrames,
  resetConversation,
  summarize,
} from '../support/stream-test-kit.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** Conversations over real sockets: who sees what, queueing, cancel, idempotency, delta mode, reset. */
describe('conversations', () => {
  let server: ServerProcess;
  let alice: string;
  let bob: string;
  const resources = new TestResources();

  beforeAll(async () => {
    server = await startServerProcess();
    alice = await createApiKey(server, 'alice');
    bob = await createApiKey(server, 'bob');
  });
  afterEach(async () => {
    await resources.dispose();
  });
  afterAll(async () => {
    await resources.dispose();
    await server[Symbol.asyncDispose]();
  });

  const echoPipeline = (name: string) =>
    createPipeline(server, name, { type: 'echo', settings: { delay_ms: 2 } });

  /** Every text that reached this socket, in user messages and replies. */
  const textsSeen = (chat: ChatSocket): string[] =>
    chat.frames.flatMap((frame) =>
      frame.type === 'user_message' || frame.type === 'response' ? [frame.data.content] : [],
    );

  it('keeps person conversations of two API keys apart', async () => {
    const pipeline = await echoPipeline('person-isolation');
    const a = await resources.connect(server, pipeline, {
      query: 'session_type=person',
      token: alice,
    });
    const b = await resources.connect(server, pipeline, {
      query: 'session_type=person',
      token: bob,
    });

    a.sendText('alice secret one');
    const aliceAck = await a.next('user_message');
    const aliceFinal = await a.finalResponse(aliceAck.data.id);
    // Alice's whole reply was sent before Bob said anything, so a leak would reach Bob first.
    b.sendText('bob secret two');
    const bobAck = await b.next('user_message');
    const bobFinal = await b.finalResponse(bobAck.data.id);
    await Promise.all([barrier(a), barrier(b)]);

    expect(aliceFinal.data.status).toBe('complete');
    expect(aliceFinal.data.content).toContain('alice secret one');
    expect(bobFinal.data.content).toContain('bob secret two');
    expect(aliceAck.data.sender?.id).not.toBe(bobAck.data.sender?.id);

    expect(textsSeen(a).some((text) => text.includes('bob'))).toBe(false);
    expect(textsSeen(b).some((text) => text.includes('alice'))).toBe(false);
    expect(a.ofType('user_message').map((frame) => frame.data.id)).toEqual([aliceAck.data.id]);
    expect(b.ofType('user_message').map((frame) => frame.data.id)).toEqual([bobAck.data.id]);
    expect(new Set(a.ofType('response').map((frame) => frame.data.id))).toEqual(
      new Set([aliceFinal.data.id]),
    );
    expect(new Set(b.ofType('response').map((frame) => frame.data.id))).toEqual(
      new Set([bobFinal.data.id]),
    );

    // Over REST each key sees only its own person history.
    const aliceHistory = await fetchHistory(server, pipeline, 'person', { token: alice });
    const bobHistory = await fetchHistory(server, pipeline, 'person', { token: bob });
    expect(aliceHistory.messages.map((message) => message.id)).toEqual([
      aliceAck.data.id,
      aliceFinal.data.id,
    ]);
    expect(bobHistory.messages.map((message) => message.id)).toEqual([
      bobAck.data.id,
      bobFinal.data.id,
    ]);
    // And the admin's own person conversation on this pipeline is a third, empty one.
    expect((await fetchHistory(server, pipeline, 'person')).messages).toEqual([]);
  });

  it('shares the group conversation between two API keys', async () => {
    const pipeline = await echoPipeline('group-sharing');
    const a = await resources.connect(server, pipeline, {
      query: 'session_type=group',
      token: alice,
    });
    const b = await resources.connect(server, pipeline, {
      query: 'session_type=group',
      token: bob,
    });

    a.sendText('hello from alice');
    const fromAlice = await b.next(
      'user_message',
      (frame) => frame.data.content === 'hello from alice',
    );
    await Promise.all([a.finalResponse(fromAlice.data.id), b.finalResponse(fromAlice.data.id)]);
    b.sendText('hello from bob');
    const fromBob = await a.next(
      'user_message',
      (frame) => frame.data.content === 'hello from bob',
    );
    await Promise.all([a.finalResponse(fromBob.data.id), b.finalResponse(fromBob.data.id)]);

    expect(fromAlice.data.sender?.id).not.toBe(fromBob.data.sender?.id);
    for (const chat of [a, b]) {
      expect(chat.ofType('user_message').map((frame) => frame.data.content)).toEqual([
        'hello from alice',
        'hello from bob',
      ]);
      const finals = finalFrames(chat.frames);
      expect(finals.map((frame) => frame.data.reply_to)).toEqual([
        fromAlice.data.id,
        fromBob.data.id,
      ]);
      expect(finals.every((frame) => frame.data.status === 'complete')).toBe(true);
    }
    // Both sockets saw the very same event stream.
    expect(eventFrames(a.frames)).toEqual(eventFrames(b.frames));

    const aliceView = await fetchHistory(server, pipeline, 'group', { token: alice });
    const bobView = await fetchHistory(server, pipeline, 'group', { token: bob });
    expect(aliceView.messages).toHaveLength(4);
    expect(summarize(bobView.messages)).toEqual(summarize(aliceView.messages));
  });

  it('gives ?session= its own conversation', async () => {
    const pipeline = await echoPipeline('named-sessions');
    const main = await resources.connect(server, pipeline, { query: 'session_type=person' });
    const side = await resources.connect(server, pipeline, {
      query: 'session_type=person&session=side-1',
    });
    expect(main.ofType('connected')[0]?.session).toBe('default');
    expect(side.ofType('connected')[0]?.session).toBe('side-1');

    side.sendText('only on the side');
    const ack = await side.next('user_message');
    await side.finalResponse(ack.data.id);
    await barrier(main);
    expect(eventFrames(main.frames)).toEqual([]);

    expect((await fetchHistory(server, pipeline, 'person')).messages).toEqual([]);
    const sideHistory = await fetchHistory(server, pipeline, 'person', { session: 'side-1' });
    expect(sideHistory.messages.map((message) => message.content)[0]).toBe('only on the side');
    expect(sideHistory.messages).toHaveLength(2);
  });

  it('sends the user_message echo and the whole stream to every tab of a conversation', async () => {
    const settings = { chunks: 6, chunk_bytes: 12, interval_ms: 5 };
    const pipeline = await createBenchPipeline(server, 'two-tabs', settings);
    const tab1 = await resources.connect(server, pipeline, { query: 'session_type=person' });
    const tab2 = await resources.connect(server, pipeline, { query: 'session_type=person' });

    tab1.sendText('from tab one');
    const final1 = await tab1.finalResponse();
    const final2 = await tab2.finalResponse();

    for (const chat of [tab1, tab2]) {
      const acks = chat.ofType('user_message');
      expect(acks).toHaveLength(1);
      expect(acks[0]?.data.content).toBe('from tab one');
      const chunks = replyFrames(chat.frames, final1.data.id);
      expect(chunks).toHaveLength(settings.chunks + 1);
      expect(chunks.slice(0, -1).map((frame) => frame.data.delta)).toEqual(
        Array.from({ length: settings.chunks }, (_, index) =>
          benchChunk(index, settings.chunk_bytes),
        ),
      );
    }
    expect(final2.data).toEqual(final1.data);
    expect(final1.data.content).toBe(benchText(settings));
    expect(eventFrames(tab2.frames)).toEqual(eventFrames(tab1.frames));
  });

  it('queues a message sent during a reply instead of interleaving the replies', async () => {
    const settings = { chunks: 8, chunk_bytes: 10, interval_ms: 20 };
    const pipeline = await createBenchPipeline(server, 'queueing', settings);
    const tab1 = await resources.connect(server, pipeline, { query: 'session_type=person' });
    const tab2 = await resources.connect(server, pipeline, { query: 'session_type=person' });

    tab1.sendText('first');
    const first = await tab1.next('user_message', (frame) => frame.data.content === 'first');
    await tab1.next('response');
    tab1.sendText('second');
    const second = await tab1.next('user_message', (frame) => frame.data.content === 'second');
    tab2.sendText('third');
    const third = await tab1.next('user_message', (frame) => frame.data.content === 'third');
    await tab1.finalResponse(third.data.id);
    await tab2.finalResponse(third.data.id);

    const order = [first, second, third].map((ack) => ack.data.id);
    for (const chat of [tab1, tab2]) {
      const responses = chat.ofType('response');
      // Replies come one after another, in the order their messages were stored.
      const replyTos = responses.map((frame) => frame.data.reply_to);
      expect(replyTos).toEqual(order.flatMap((id) => Array<number>(settings.chunks + 1).fill(id)));
      const replyIds = order.map(
        (id) => responses.find((frame) => frame.data.reply_to === id)?.data.id,
      );
      expect(new Set(replyIds).size).toBe(3);
      for (const [index, userId] of order.entries()) {
        const chunks = responses.filter((frame) => frame.data.reply_to === userId);
        expect(chunks.every((frame) => frame.data.id === replyIds[index])).toBe(true);
        expect(chunks.map((frame) => frame.data.is_final)).toEqual([
          ...Array<boolean>(settings.chunks).fill(false),
          true,
        ]);
        expect(chunks.at(-1)?.data.content).toBe(benchText(settings));
        expect(chunks.at(-1)?.data.status).toBe('complete');
      }
      // Every chunk of a later reply has a larger seq than the final chunk of the earlier one.
      for (let index = 1; index < order.length; index += 1) {
        const previousFinal = responses.find(
          (frame) => frame.data.reply_to === order[index - 1] && frame.data.is_final,
        ) as ResponseFrame;
        const later = responses.filter((frame) => frame.data.reply_to === order[index]);
        expect(Math.min(...later.map((frame) => frame.seq))).toBeGreaterThan(previousFinal.seq);
      }
    }
  });

  describe('cancel', () => {
    const slow = { chunks: 300, chunk_bytes: 8, interval_ms: 20 };

    it('stops the reply, marks it cancelled with its partial content, and says when nothing runs', async () => {
      const pipeline = await createBenchPipeline(server, 'cancel', slow);
      const chat = await resources.connect(server, pipeline, { query: 'session_type=person' });
      chat.sendText('talk for a long time');
      const ack = await chat.next('user_message');
      await chat.waitFor(
        (frames) => frames.filter((frame) => frame.type === 'response').length >= 3,
      );
      chat.send({ type: 'cancel' });
      const final = await chat.finalResponse(ack.data.id);

      expect(final.data.status).toBe('cancelled');
      expect(final.data.is_final).toBe(true);
      const chunks = replyFrames(chat.frames, final.data.id);
      const streamed = chunks.slice(0, -1);
      expect(streamed.length).toBeGreaterThanOrEqual(3);
      expect(streamed.length).toBeLessThan(slow.chunks);
      const partial = streamed.map((frame) => frame.data.delta).join('');
      expect(final.data.content).toBe(partial);
      expect(benchText(slow).startsWith(partial)).toBe(true);

      const history = await fetchHistory(server, pipeline, 'person');
      expect(summarize(history.messages)).toEqual([
        {
          id: ack.data.id,
          role: 'user',
          content: 'talk for a long time',
          status: 'complete',
          reply_to: null,
        },
        {
          id: final.data.id,
          role: 'assistant',
          content: partial,
          status: 'cancelled',
          reply_to: ack.data.id,
        },
      ]);

      chat.send({ type: 'cancel' });
      const error = await chat.next('error');
      expect(error.code).toBe('NOTHING_TO_CANCEL');
      // The connection stays usable after the error.
      await barrier(chat);
      expect(chat.closeCode).toBeUndefined();
    });

    it('works from a second tab, and only for the reply it names', async () => {
      const pipeline = await createBenchPipeline(server, 'cancel-tabs', slow);
      const tab1 = await resources.connect(server, pipeline, { query: 'session_type=person' });
      const tab2 = await resources.connect(server, pipeline, { query: 'session_type=person' });
      tab1.sendText('go on');
      const first = await tab2.next('response');
      const replyId = first.data.id;

      tab2.send({ type: 'cancel', reply_id: replyId + 1_000 });
      const error = await tab2.next('error');
      expect(error.code).toBe('NOTHING_TO_CANCEL');
      // The wrong-id cancel stopped nothing: the reply keeps streaming after the error.
      const atError = replyFrames(tab2.frames, replyId).length;
      await tab2.waitFor(() => replyFrames(tab2.frames, replyId).length >= atError + 2);
      expect(finalFrames(tab2.frames)).toEqual([]);
      tab2.send({ type: 'cancel', reply_id: replyId });
      const final1 = await tab1.finalResponse();
      const final2 = await tab2.finalResponse();

      expect(final1.data.id).toBe(replyId);
      expect(final1.data.status).toBe('cancelled');
      expect(final2.data).toEqual(final1.data);
      // The error went only to the tab that sent the bad cancel.
      await barrier(tab1);
      expect(tab1.ofType('error')).toEqual([]);
      const history = await fetchHistory(server, pipeline, 'person');
      expect(history.messages.map((message) => message.status)).toEqual(['complete', 'cancelled']);
    });
  });

  describe('client_id idempotency', () => {
    it('processes a retried client_id once and acknowledges the retry with the same message', async () => {
      const pipeline = await echoPipeline('idempotency');
      const tab1 = await resources.connect(server, pipeline, { query: 'session_type=person' });
      const tab2 = await resources.connect(server, pipeline, { query: 'session_type=person' });

      tab1.sendText('pay once', { client_id: 'order-1' });
      tab1.sendText('pay once', { client_id: 'order-1' });
      await tab1.waitFor(
        (frames) => frames.filter((frame) => frame.type === 'user_message').length >= 2,
      );
      const [original, retry] = tab1.ofType('user_message') as [UserMessageFrame, UserMessageFrame];
      expect(retry.data.id).toBe(original.data.id);
      expect(retry.seq).toBe(original.seq);
      expect(retry.data.client_id).toBe('order-1');
      await tab1.finalResponse(original.data.id);

      // A late retry, after the reply finished, is acknowledged again and processes nothing.
      tab1.sendText('pay once', { client_id: 'order-1' });
      await tab1.waitFor(
        (frames) => frames.filter((frame) => frame.type === 'user_message').length >= 3,
      );
      expect(tab1.ofType('user_message')[2]?.data.id).toBe(original.data.id);
      await Promise.all([barrier(tab1), barrier(tab2)]);

      expect(finalFrames(tab1.frames)).toHaveLength(1);
      expect(finalFrames(tab2.frames)).toHaveLength(1);
      // The retries' acknowledgements go to the sender only.
      expect(tab2.ofType('user_message').map((frame) => frame.data.id)).toEqual([original.data.id]);
      const history = await fetchHistory(server, pipeline, 'person');
      expect(history.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
      expect(history.messages[0]?.client_id).toBe('order-1');

      // A different client_id is a new message.
      tab1.sendText('pay once', { client_id: 'order-2' });
      const next = await tab1.next('user_message', (frame) => frame.data.client_id === 'order-2');
      expect(next.data.id).not.toBe(original.data.id);
      await tab1.finalResponse(next.data.id);
      expect((await fetchHistory(server, pipeline, 'person')).messages).toHaveLength(4);
    });

    it('stores one message when two tabs send the same client_id at once', async () => {
      const pipeline = await echoPipeline('idempotency-race');
      const tab1 = await resources.connect(server, pipeline, { query: 'session_type=person' });
      const tab2 = await resources.connect(server, pipeline, { query: 'session_type=person' });
      tab1.sendText('race', { client_id: 'same' });
      tab2.sendText('race', { client_id: 'same' });
      await tab1.finalResponse();
      await tab2.finalResponse();
      await Promise.all([barrier(tab1), barrier(tab2)]);

      const ids = [...tab1.ofType('user_message'), ...tab2.ofType('user_message')].map(
        (frame) => frame.data.id,
      );
      expect(new Set(ids).size).toBe(1);
      expect(tab1.ofType('error')).toEqual([]);
      expect(tab2.ofType('error')).toEqual([]);
      expect(finalFrames(tab1.frames)).toHaveLength(1);
      const history = await fetchHistory(server, pipeline, 'person');
      expect(history.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    });
  });

  it('streams deltas with stream=delta while a cumulative tab gets the full text', async () => {
    const settings = { chunks: 7, chunk_bytes: 9, interval_ms: 5 };
    const pipeline = await createBenchPipeline(server, 'delta', settings);
    const delta = await resources.connect(server, pipeline, {
      query: 'session_type=person&stream=delta',
    });
    const cumulative = await resources.connect(server, pipeline, { query: 'session_type=person' });
    delta.sendText('deltas please');
    const final = await delta.finalResponse();
    await cumulative.finalResponse();

    const chunks = replyFrames(delta.frames, final.data.id);
    const intermediate = chunks.slice(0, -1);
    expect(intermediate).toHaveLength(settings.chunks);
    expect(intermediate.every((frame) => frame.data.content === '')).toBe(true);
    expect(intermediate.map((frame) => frame.data.delta)).toEqual(
      Array.from({ length: settings.chunks }, (_, index) =>
        benchChunk(index, settings.chunk_bytes),
      ),
    );
    expect(intermediate.map((frame) => frame.data.delta).join('')).toBe(final.data.content);
    expect(final.data.content).toBe(benchText(settings));
    expect(final.data.delta).toBe('');

    // The same events, in cumulative form, on the other tab.
    const full = replyFrames(cumulative.frames, final.data.id);
    expect(full.map((frame) => frame.seq)).toEqual(chunks.map((frame) => frame.seq));
    let soFar = '';
    for (const frame of full.slice(0, -1)) {
      soFar += frame.data.delta;
      expect(frame.data.content).toBe(soFar);
    }
    expect(full.at(-1)?.data).toEqual(final.data);
  });

  describe('reset', () => {
    it('tells every connection of the conversation, and only those, and empties history', async () => {
      const pipeline = await echoPipeline('reset');
      const tab1 = await resources.connect(server, pipeline, { query: 'session_type=person' });
      const tab2 = await resources.connect(server, pipeline, { query: 'session_type=person' });
      const other = await resources.connect(server, pipeline, {
        query: 'session_type=person&session=other',
      });
      tab1.sendText('remember this');
      const final = await tab1.finalResponse();
      await tab2.finalResponse();
      other.sendText('keep this');
      await other.finalResponse();
      expect((await fetchHistory(server, pipeline, 'person')).messages).toHaveLength(2);

      await resetConversation(server, pipeline, 'person');
      const reset1 = await tab1.next('session_reset');
      const reset2 = await tab2.next('session_reset');
      expect(reset1.seq).toBe(final.seq + 1);
      expect(reset2.seq).toBe(reset1.seq);
      await barrier(other);
      expect(other.ofType('session_reset')).toEqual([]);

      const history = await fetchHistory(server, pipeline, 'person');
      expect(history.messages).toEqual([]);
      expect(history.last_seq).toBe(reset1.seq);
      expect(
        (await fetchHistory(server, pipeline, 'person', { session: 'other' })).messages,
      ).toHaveLength(2);

      // The conversation goes on after the reset.
      tab2.sendText('after reset');
      const ack = await tab1.next('user_message', (frame) => frame.data.content === 'after reset');
      expect(ack.seq).toBe(reset1.seq + 1);
      await tab1.finalResponse(ack.data.id);
      const after = await fetchHistory(server, pipeline, 'person');
      expect(after.messages.map((message) => message.content)[0]).toBe('after reset');
      expect(after.messages).toHaveLength(2);
    });

    it('stops a reply in progress before announcing the reset', async () => {
      const settings = { chunks: 300, chunk_bytes: 8, interval_ms: 20 };
      const pipeline = await createBenchPipeline(server, 'reset-running', settings);
      const chat = await resources.connect(server, pipeline, { query: 'session_type=group' });
      chat.sendText('long one');
      await chat.waitFor(
        (frames) => frames.filter((frame) => frame.type === 'response').length >= 2,
      );
      await resetConversation(server, pipeline, 'group');
      const reset = await chat.next('session_reset');
      const final = finalFrames(chat.frames)[0];
      expect(final?.data.status).toBe('cancelled');
      expect(final?.seq).toBe(reset.seq - 1);
      expect(eventFrames(chat.frames).at(-1)).toEqual(reset);
      expect((await fetchHistory(server, pipeline, 'group')).messages).toEqual([]);
    });
  });
});
