import type { ResponseFrame } from '@botwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import {
  TestResources,
  benchChunk,
  benchText,
  createBenchPipeline,
  eventFrames,
  finalFrames,
  type BenchSettings,
} from '../support/stream-test-kit.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** Conversations per pipeline; the last one is the group conversation, the rest person ones. */
const CONVERSATIONS = 5;
/** Sockets (tabs) per conversation: 10 sockets per pipeline. */
const TABS = 2;
/** Messages each socket sends, all at once. */
const MESSAGES = 3;
/** Messages (and so replies) per conversation. */
const PER_CONVERSATION = TABS * MESSAGES;

interface Lane {
  label: string;
  settings: BenchSettings;
  uuid: string;
}

interface Tab {
  lane: Lane;
  conversation: number;
  chat: ChatSocket;
  startSeq: number;
}

/** Two bench pipelines under concurrent load never see each other's frames. */
describe('concurrency', () => {
  let server: ServerProcess;
  const resources = new TestResources();

  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await resources.dispose();
    await server[Symbol.asyncDispose]();
  });

  it('keeps two busy pipelines and their conversations apart', async () => {
    // Different chunk counts and sizes, so a frame in the wrong place cannot pass for a right one.
    const lanes: Lane[] = [
      { label: 'alpha', settings: { chunks: 12, chunk_bytes: 20, interval_ms: 2 }, uuid: '' },
      { label: 'beta', settings: { chunks: 7, chunk_bytes: 33, interval_ms: 3 }, uuid: '' },
    ];
    for (const lane of lanes) {
      lane.uuid = await createBenchPipeline(server, `load-${lane.label}`, lane.settings);
    }

    // The same session names on both pipelines: only the pipeline uuid tells them apart.
    const queryOf = (conversation: number): string =>
      conversation === CONVERSATIONS - 1
        ? 'session_type=group&session=shared'
        : `session_type=person&session=conv-${conversation}`;
    const plan = lanes.flatMap((lane) =>
      Array.from({ length: CONVERSATIONS * TABS }, (_, index) => ({
        lane,
        conversation: index % CONVERSATIONS,
      })),
    );
    const tabs: Tab[] = await Promise.all(
      plan.map(async ({ lane, conversation }) => {
        const chat = await resources.connect(server, lane.uuid, { query: queryOf(conversation) });
        return { lane, conversation, chat, startSeq: chat.ofType('connected')[0]?.last_seq ?? -1 };
      }),
    );
    expect(tabs).toHaveLength(20);

    const textOf = (tab: Tab, tabIndex: number, message: number): string =>
      `${tab.lane.label}/conv-${tab.conversation}/tab-${tabIndex}/msg-${message}`;
    const started = Date.now();
    tabs.forEach((tab, tabIndex) => {
      for (let message = 0; message < MESSAGES; message += 1) {
        tab.chat.sendText(textOf(tab, tabIndex, message));
      }
    });
    await Promise.all(
      tabs.map((tab) =>
        tab.chat.waitFor((frames) => finalFrames(frames).length >= PER_CONVERSATION, 8_000),
      ),
    );
    const elapsed = Date.now() - started;

    const replyIdsByLane = new Map<string, Set<number>>();
    for (const [tabIndex, tab] of tabs.entries()) {
      const { lane, chat } = tab;
      const mates = tabs
        .map((other, index) => ({ other, index }))
        .filter(({ other }) => other.lane === lane && other.conversation === tab.conversation);
      const expectedTexts = mates
        .flatMap(({ other, index }) =>
          Array.from({ length: MESSAGES }, (_, message) => textOf(other, index, message)),
        )
        .sort();
      const context = `${lane.label} conversation ${tab.conversation} tab ${tabIndex}`;

      // Exactly the user messages of its own conversation, each once.
      const acks = chat.ofType('user_message');
      expect(acks.map((frame) => frame.data.content).sort(), context).toEqual(expectedTexts);
      const ownMessageIds = new Set(acks.map((frame) => frame.data.id));
      expect(ownMessageIds.size, context).toBe(PER_CONVERSATION);

      // Every response answers one of those messages, and each reply is whole and in order.
      const responses = chat.ofType('response');
      expect(
        responses.every((frame) => ownMessageIds.has(frame.data.reply_to ?? -1)),
        context,
      ).toBe(true);
      const byReply = new Map<number, ResponseFrame[]>();
      for (const frame of responses) {
        byReply.set(frame.data.id, [...(byReply.get(frame.data.id) ?? []), frame]);
      }
      expect(byReply.size, context).toBe(PER_CONVERSATION);
      const expectedDeltas = Array.from({ length: lane.settings.chunks }, (_, index) =>
        benchChunk(index, lane.settings.chunk_bytes),
      );
      for (const chunks of byReply.values()) {
        expect(chunks, context).toHaveLength(lane.settings.chunks + 1);
        expect(
          chunks.slice(0, -1).map((frame) => frame.data.delta),
          context,
        ).toEqual(expectedDeltas);
        const final = chunks.at(-1);
        expect(final?.data.is_final, context).toBe(true);
        expect(final?.data.status, context).toBe('complete');
        expect(final?.data.content, context).toBe(benchText(lane.settings));
        expect(new Set(chunks.map((frame) => frame.data.reply_to)).size, context).toBe(1);
      }
      const laneIds = replyIdsByLane.get(lane.label) ?? new Set<number>();
      for (const id of byReply.keys()) laneIds.add(id);
      replyIdsByLane.set(lane.label, laneIds);

      // Its conversation's stream, gap-free from the seq it connected at; nothing else in it.
      const seqs = eventFrames(chat.frames).map((frame) => frame.seq);
      expect(seqs, context).toEqual(
        Array.from({ length: seqs.length }, (_, index) => tab.startSeq + 1 + index),
      );
      expect(seqs, context).toHaveLength(PER_CONVERSATION * (lane.settings.chunks + 2));
      expect(chat.ofType('error'), context).toEqual([]);
      // Both tabs of a conversation saw the very same stream.
      const first = mates[0]?.other.chat;
      if (first !== undefined && first !== chat) {
        expect(eventFrames(chat.frames), context).toEqual(eventFrames(first.frames));
      }
    }

    // Reply ids never cross pipelines, and each conversation's replies are its own.
    const alphaIds = replyIdsByLane.get('alpha') ?? new Set<number>();
    const betaIds = replyIdsByLane.get('beta') ?? new Set<number>();
    expect(alphaIds.size).toBe(CONVERSATIONS * PER_CONVERSATION);
    expect(betaIds.size).toBe(CONVERSATIONS * PER_CONVERSATION);
    expect([...alphaIds].filter((id) => betaIds.has(id))).toEqual([]);
    expect(elapsed).toBeLessThan(8_000);
  });
});
