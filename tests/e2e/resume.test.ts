import type { ConversationEventFrame, ServerFrame } from '@botwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  TestResources,
  barrier,
  benchIndex,
  benchText,
  createBenchPipeline,
  eventFrames,
  fetchHistory,
  responseCount,
  connectedOf,
} from '../support/stream-test-kit.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** Resuming a conversation's event stream with `last_seq`. */
describe('resume', () => {
  const resources = new TestResources();
  afterEach(async () => {
    await resources.dispose();
  });

  describe('mid-stream reconnect', () => {
    let server: ServerProcess;
    const settings = { chunks: 40, chunk_bytes: 12, interval_ms: 20 };
    let pipeline: string;

    beforeAll(async () => {
      server = await startServerProcess();
      pipeline = await createBenchPipeline(server, 'resume', settings);
    });
    afterAll(async () => {
      await server[Symbol.asyncDispose]();
    });

    /**
     * Sends a message, cuts the socket off after 10 chunks, resumes from the last seq seen and
     * returns the events of both sockets.
     */
    async function dropAndResume(query: string): Promise<{
      first: ConversationEventFrame[];
      second: ConversationEventFrame[];
      secondFrames: ServerFrame[];
      lastSeenSeq: number;
      startSeq: number;
    }> {
      const chat = await resources.connect(server, pipeline, { query });
      // A second tab that stays connected shows how far the server has got.
      const observer = await resources.connect(server, pipeline, { query });
      const startSeq = connectedOf(chat).last_seq;
      chat.sendText('stream forty chunks');
      await chat.waitFor((frames) => responseCount(frames) >= 10);
      chat.socket.terminate();
      // What the client had when the connection died: nothing after this counts.
      const first = eventFrames([...chat.frames]);
      const lastSeenSeq = Math.max(...first.map((frame) => frame.seq));
      expect(first.some((frame) => frame.type === 'response' && frame.data.is_final)).toBe(false);
      // Let the stream move on, so the resumed socket really has events to catch up on.
      await observer.waitFor((frames) =>
        eventFrames(frames).some((frame) => frame.seq >= lastSeenSeq + 3),
      );

      const resumed = await resources.connect(server, pipeline, {
        query: `${query}&last_seq=${lastSeenSeq}`,
      });
      const resumedAt = connectedOf(resumed).last_seq;
      expect(resumedAt).toBeGreaterThanOrEqual(lastSeenSeq + 3);
      await resumed.finalResponse();
      // The events up to the connected frame's last_seq were replayed, the rest came live.
      expect(
        eventFrames(resumed.frames)
          .map((frame) => frame.seq)
          .filter((seq) => seq <= resumedAt),
      ).toEqual(
        Array.from({ length: resumedAt - lastSeenSeq }, (_, index) => lastSeenSeq + 1 + index),
      );
      expect(resumed.ofType('resync_required')).toEqual([]);
      return {
        first,
        second: eventFrames(resumed.frames),
        secondFrames: resumed.frames,
        lastSeenSeq,
        startSeq,
      };
    }

    /** Seqs strictly increasing with no gap or repeat, from the first event after connecting. */
    function expectSeamless(events: ConversationEventFrame[], startSeq: number): void {
      const seqs = events.map((frame) => frame.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, index) => startSeq + 1 + index));
      // user_message, 40 chunks and the final one.
      expect(seqs).toHaveLength(settings.chunks + 2);
    }

    it('delivers the whole reply exactly once across the two sockets', async () => {
      const { first, second, lastSeenSeq, startSeq } = await dropAndResume(
        'session_type=person&session=resume-cumulative',
      );
      expect(second[0]?.seq).toBe(lastSeenSeq + 1);
      const events = [...first, ...second];
      expectSeamless(events, startSeq);
      expect(events.filter((frame) => frame.type === 'user_message')).toHaveLength(1);

      const responses = events.filter((frame) => frame.type === 'response');
      const streamed = responses.filter((frame) => !frame.data.is_final);
      const indexes = streamed.map((frame) => benchIndex(frame.data.delta));
      expect(indexes).toEqual(Array.from({ length: settings.chunks }, (_, index) => index));
      expect(new Set(responses.map((frame) => frame.data.id)).size).toBe(1);
      const final = responses.at(-1);
      expect(final?.data.is_final).toBe(true);
      expect(final?.data.status).toBe('complete');
      expect(final?.data.content).toBe(benchText(settings));
      // Each cumulative chunk after the resume still carries the full text so far.
      const last = streamed.at(-1);
      expect(last?.data.content).toBe(benchText(settings));
    });

    it('reassembles the final content from deltas across the two sockets in delta mode', async () => {
      const { first, second, secondFrames, startSeq } = await dropAndResume(
        'session_type=person&session=resume-delta&stream=delta',
      );
      const events = [...first, ...second];
      expectSeamless(events, startSeq);
      const responses = events.filter((frame) => frame.type === 'response');
      const streamed = responses.filter((frame) => !frame.data.is_final);
      expect(streamed).toHaveLength(settings.chunks);
      expect(streamed.every((frame) => frame.data.content === '')).toBe(true);
      expect(streamed.map((frame) => benchIndex(frame.data.delta))).toEqual(
        Array.from({ length: settings.chunks }, (_, index) => index),
      );
      const final = responses.at(-1);
      expect(final?.data.is_final).toBe(true);
      expect(streamed.map((frame) => frame.data.delta).join('')).toBe(final?.data.content);
      expect(final?.data.content).toBe(benchText(settings));
      // The resumed socket got (replayed or live) chunks of its own, in delta form too.
      const resumedChunks = secondFrames.filter(
        (frame) => frame.type === 'response' && !frame.data.is_final,
      );
      expect(resumedChunks.length).toBeGreaterThan(0);
    });
  });

  describe('replay window', () => {
    let server: ServerProcess;
    const settings = { chunks: 12, chunk_bytes: 8, interval_ms: 1 };
    let pipeline: string;
    /** The seq the conversation was at before the message, and its final seq after. */
    let before: number;
    let finalSeq: number;
    const query = 'session_type=person&session=window';

    beforeAll(async () => {
      server = await startServerProcess({ env: { BOTWIRE_REPLAY_WINDOW: '5' } });
      pipeline = await createBenchPipeline(server, 'window', settings);
      const setup = new TestResources();
      try {
        const chat = await setup.connect(server, pipeline, { query });
        before = connectedOf(chat).last_seq;
        chat.sendText('fill the window');
        finalSeq = (await chat.finalResponse()).seq;
      } finally {
        await setup.dispose();
      }
    });
    afterAll(async () => {
      await server[Symbol.asyncDispose]();
    });

    const reconnect = (lastSeq: number) =>
      resources.connect(server, pipeline, { query: `${query}&last_seq=${lastSeq}` });

    it('asks for a resync when the gap is older than the window', async () => {
      // user_message, 12 chunks and the final one: 14 events, far more than the 5 kept.
      expect(finalSeq).toBe(before + settings.chunks + 2);
      expect((await fetchHistory(server, pipeline, 'person', { session: 'window' })).last_seq).toBe(
        finalSeq,
      );
      for (const lastSeq of [before, finalSeq - 6]) {
        const chat = await reconnect(lastSeq);
        const resync = await chat.next('resync_required');
        expect(resync.last_seq).toBe(finalSeq);
        expect(resync.reason.length).toBeGreaterThan(0);
        expect(connectedOf(chat).last_seq).toBe(finalSeq);
        await barrier(chat);
        // Nothing is replayed: the client reloads history over REST instead.
        expect(eventFrames(chat.frames)).toEqual([]);
        expect(chat.frames.map((frame) => frame.type).slice(0, 2)).toEqual([
          'connected',
          'resync_required',
        ]);
      }
    });

    it('replays exactly the missed events when they are all still in the window', async () => {
      const chat = await reconnect(finalSeq - 5);
      await barrier(chat);
      expect(chat.ofType('resync_required')).toEqual([]);
      const replayed = eventFrames(chat.frames);
      expect(replayed.map((frame) => frame.seq)).toEqual([
        finalSeq - 4,
        finalSeq - 3,
        finalSeq - 2,
        finalSeq - 1,
        finalSeq,
      ]);
      const last = replayed.at(-1);
      expect(last?.type === 'response' && last.data.is_final).toBe(true);

      const recent = await reconnect(finalSeq - 2);
      await barrier(recent);
      expect(eventFrames(recent.frames).map((frame) => frame.seq)).toEqual([
        finalSeq - 1,
        finalSeq,
      ]);

      const upToDate = await reconnect(finalSeq);
      await barrier(upToDate);
      expect(eventFrames(upToDate.frames)).toEqual([]);
      expect(upToDate.ofType('resync_required')).toEqual([]);
    });

    it('asks for a resync when last_seq is ahead of the server, and goes on live after it', async () => {
      const chat = await reconnect(finalSeq + 100);
      const resync = await chat.next('resync_required');
      expect(resync.last_seq).toBe(finalSeq);
      await barrier(chat);
      expect(eventFrames(chat.frames)).toEqual([]);

      // The resynced socket is subscribed live from the current seq.
      chat.sendText('still here');
      const ack = await chat.next('user_message');
      expect(ack.seq).toBe(finalSeq + 1);
      const final = await chat.finalResponse(ack.data.id);
      expect(final.seq).toBe(finalSeq + settings.chunks + 2);
      finalSeq = final.seq;
    });
  });
});
