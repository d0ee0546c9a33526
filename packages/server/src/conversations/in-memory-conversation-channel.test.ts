import { describe, expect, it } from 'vitest';
import { InMemoryConversationChannel } from './in-memory-conversation-channel.js';
import type { ConversationEvent } from './conversation-event.js';

const reset = { type: 'session_reset', timestamp: '2026-11-24T00:00:00.000Z' } as const;

function channelWith(events: number, options: { lastSeq?: number; replayWindow?: number } = {}) {
  const channel = new InMemoryConversationChannel({
    lastSeq: options.lastSeq ?? 10,
    replayWindow: options.replayWindow ?? 5,
  });
  for (let index = 0; index < events; index += 1) channel.appendNow(reset);
  return channel;
}

async function kindAfter(channel: InMemoryConversationChannel, afterSeq: number) {
  const subscription = await channel.subscribe(() => undefined, afterSeq);
  subscription.unsubscribe();
  return subscription.outcome.kind;
}

describe('InMemoryConversationChannel', () => {
  it('numbers events after the starting seq and delivers them to started subscribers', async () => {
    const channel = channelWith(0);
    const seen: number[] = [];
    (await channel.subscribe((event) => seen.push(event.seq))).start();
    const first = channel.append(reset);
    void channel.append(reset);
    // Delivered inside append, before its promise is looked at: no microtask per event.
    expect(seen).toEqual([11, 12]);
    expect((await first).seq).toBe(11);
    expect(channel.lastSeq).toBe(12);
  });

  it('returns exactly the missed events to a resuming subscriber', async () => {
    const channel = channelWith(4);
    const { outcome } = await channel.subscribe(() => undefined, 12);
    expect(outcome.kind).toBe('resumed');
    if (outcome.kind === 'resumed')
      expect(outcome.missed.map((event) => event.seq)).toEqual([13, 14]);
  });

  it('holds live events until start, then delivers them before newer ones, each once', async () => {
    const channel = channelWith(4);
    const seen: number[] = [];
    const pending = channel.subscribe((event) => seen.push(event.seq), 12);
    // Appended after the outcome was taken, before the subscriber sent its replay.
    channel.appendNow(reset);
    const subscription = await pending;
    channel.appendNow(reset);
    expect(seen).toEqual([]);
    expect(subscription.outcome.kind === 'resumed' && subscription.outcome.missed.length).toBe(2);
    subscription.start();
    subscription.start();
    channel.appendNow(reset);
    expect(seen).toEqual([15, 16, 17]);
  });

  it('asks for a resync once the gap is older than the window', async () => {
    const channel = channelWith(8, { replayWindow: 3 });
    expect(await kindAfter(channel, 12)).toBe('resync');
    expect(await kindAfter(channel, 15)).toBe('resumed');
  });

  it('asks for a resync for seqs from before this process or from the future', async () => {
    const channel = channelWith(2);
    expect(await kindAfter(channel, 3)).toBe('resync');
    expect(await kindAfter(channel, 99)).toBe('resync');
    expect(await kindAfter(channel, 12)).toBe('live');
  });

  it('stops delivering after unsubscribe, held or started', async () => {
    const channel = channelWith(0);
    const seen: ConversationEvent[] = [];
    const started = await channel.subscribe((event) => seen.push(event));
    started.start();
    const held = await channel.subscribe((event) => seen.push(event));
    expect(channel.subscriberCount).toBe(2);
    started.unsubscribe();
    held.unsubscribe();
    channel.appendNow(reset);
    held.start();
    expect(seen).toEqual([]);
    expect(channel.subscriberCount).toBe(0);
  });

  it('finds a kept user message by its id', async () => {
    const channel = channelWith(1);
    const data = {
      id: 7,
      role: 'user' as const,
      content: 'hi',
      message_chain: [{ type: 'Plain' as const, text: 'hi' }],
      timestamp: 't',
      is_final: true,
      status: 'complete' as const,
      reply_to: null,
    };
    const appended = channel.appendNow({ type: 'user_message', data });
    channel.appendNow(reset);
    expect((await channel.findUserMessage(7))?.seq).toBe(appended.seq);
    expect(await channel.findUserMessage(8)).toBeUndefined();
  });

  it('encodes a delta-mode chunk without the cumulative content, once', () => {
    const channel = channelWith(0);
    const data = {
      id: 1,
      role: 'assistant' as const,
      content: 'hello world',
      delta: ' world',
      message_chain: [] as [],
      timestamp: 't',
      is_final: false,
      status: 'streaming' as const,
      reply_to: null,
    };
    const event = channel.appendNow({ type: 'response', data });
    expect(JSON.parse(event.encode('delta')).data).toMatchObject({ content: '', delta: ' world' });
    expect(JSON.parse(event.encode('cumulative')).data).toMatchObject({ content: 'hello world' });
    expect(event.encode('delta')).toBe(event.encode('delta'));
  });
});
