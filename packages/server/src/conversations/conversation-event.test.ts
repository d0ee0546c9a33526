import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeFrame, type ResponseData } from '@botwire/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConversationEvent } from './conversation-event.js';
import { InMemoryConversationChannel } from './in-memory-conversation-channel.js';

/** A streaming chunk as the pipeline executor makes it: a fresh object and chain each time. */
function chunk(content: string, delta: string, id = 7): ResponseData {
  return {
    id,
    role: 'assistant',
    content,
    delta,
    message_chain: [],
    timestamp: '2026-11-24T12:00:00.000Z',
    is_final: false,
    status: 'streaming',
    reply_to: 6,
  };
}

/** Appends a reply of `deltas` and its final chunk; returns the events in order. */
function streamReply(channel: InMemoryConversationChannel, deltas: string[]): ConversationEvent[] {
  const events: ConversationEvent[] = [];
  let content = '';
  for (const delta of deltas) {
    content += delta;
    events.push(channel.appendNow({ type: 'response', data: chunk(content, delta) }));
  }
  const final: ResponseData = {
    ...chunk(content, ''),
    is_final: true,
    status: 'complete',
    message_chain: [{ type: 'Plain', text: content }],
  };
  events.push(channel.appendNow({ type: 'response', data: final }));
  return events;
}

function channel(replayWindow = 10_000): InMemoryConversationChannel {
  return new InMemoryConversationChannel({ lastSeq: 100, replayWindow });
}

afterEach(() => vi.restoreAllMocks());

describe('ConversationEvent', () => {
  it('gives live and replayed chunks exactly the wire text of the whole frame, in both modes', async () => {
    const live = channel();
    const liveTexts: Record<'cumulative' | 'delta', string[]> = { cumulative: [], delta: [] };
    (
      await live.subscribe((event) => liveTexts.cumulative.push(event.encode('cumulative')))
    ).start();
    (await live.subscribe((event) => liveTexts.delta.push(event.encode('delta')))).start();
    const deltas = ['Hello', ' "quoted"', ' ü€😀', '\n\ttabs\\', '', ' end'];
    const events = streamReply(live, deltas);

    let content = '';
    const expected = deltas.map((delta, index) => {
      content += delta;
      const frame = { type: 'response' as const, data: chunk(content, delta), seq: 101 + index };
      return {
        cumulative: encodeFrame(frame),
        delta: encodeFrame({ ...frame, data: { ...frame.data, content: '' } }),
      };
    });
    expect(liveTexts.cumulative.slice(0, -1)).toEqual(expected.map((text) => text.cumulative));
    expect(liveTexts.delta.slice(0, -1)).toEqual(expected.map((text) => text.delta));
    // Replays are rebuilt from what the buffer keeps, and must not differ from the live frames.
    expect(events.map((event) => event.encode('cumulative'))).toEqual(liveTexts.cumulative);
    expect(events.map((event) => event.encode('delta'))).toEqual(liveTexts.delta);
    const { outcome: replayed } = await live.subscribe(() => undefined, 100);
    expect(replayed.kind).toBe('resumed');
    if (replayed.kind === 'resumed') {
      expect(replayed.missed.map((event) => event.encode('cumulative'))).toEqual(
        liveTexts.cumulative,
      );
    }
    expect(JSON.parse(events[2]?.encode('cumulative') ?? '')).toEqual({
      type: 'response',
      seq: 103,
      data: chunk('Hello "quoted" ü€😀', ' ü€😀'),
    });
  });

  it('keeps chunks whose content is not the sum of the deltas whole, and still correct', () => {
    const events = channel();
    const odd = events.appendNow({ type: 'response', data: chunk('rewritten text', 'text') });
    expect(JSON.parse(odd.encode('cumulative')).data.content).toBe('rewritten text');
    expect(JSON.parse(odd.encode('delta')).data).toMatchObject({ content: '', delta: 'text' });
    const next = events.appendNow({ type: 'response', data: chunk('rewritten text!', '!') });
    expect(JSON.parse(next.encode('cumulative')).data.content).toBe('rewritten text!');
  });

  it('serializes each event once for any number of recipients of either mode', async () => {
    const group = channel();
    streamReply(group, ['warm', ' up']);
    const received: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      (await group.subscribe((event) => received.push(event.encode('delta')))).start();
      (await group.subscribe((event) => received.push(event.encode('cumulative')))).start();
    }
    const stringify = vi.spyOn(JSON, 'stringify');
    group.appendNow({ type: 'response', data: chunk('one', 'one', 8) });
    // A reply's first chunk: its two wire forms, each once (no template for a one-chunk reply).
    expect(stringify).toHaveBeenCalledTimes(2);
    // The second chunk also makes the reply's template.
    group.appendNow({ type: 'response', data: chunk('one two', ' two', 8) });
    stringify.mockClear();
    group.appendNow({ type: 'response', data: chunk('one two three', ' three', 8) });
    // One delta for the delta-mode text, one frame for the cumulative text: not one per recipient.
    expect(stringify).toHaveBeenCalledTimes(2);
    stringify.mockClear();
    group.appendNow({ type: 'session_reset', timestamp: '2026-11-24T12:00:00.000Z' });
    expect(stringify).toHaveBeenCalledTimes(1);
    expect(received).toHaveLength(6 * 4);
  });

  // It checks memory, not speed: a generous timeout keeps a busy machine from failing it.
  it(
    'keeps a long reply in the replay buffer in memory linear in its length',
    { timeout: 60_000 },
    async () => {
      setFlagsFromString('--expose-gc');
      const gc = runInNewContext('gc') as () => void;
      const chunks = 3_000;
      const delta = 'x'.repeat(100);
      gc();
      const before = process.memoryUsage().heapUsed;
      const kept = channel(chunks + 10);
      // A cumulative-mode subscriber makes every chunk's full text exist once, as in production.
      (await kept.subscribe((event) => event.encode('cumulative'))).start();
      streamReply(
        kept,
        Array.from({ length: chunks }, () => delta),
      );
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      // Keeping each chunk's cumulative content would take chunks² × 100 / 2 bytes: 450 MB.
      // Delta, seq and length per chunk is a few hundred bytes each: about 1 MB.
      expect(grown).toBeLessThan(20 * 1_048_576);
      expect(kept.lastSeq).toBe(100 + chunks + 1);
    },
  );
});
