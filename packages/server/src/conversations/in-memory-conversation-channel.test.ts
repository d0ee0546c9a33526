import { describe, expect, it } from 'vitest';
import { InMemoryConversationChannel } from './in-memory-conversation-channel.js';
import type { ConversationEvent } from './conversation-event.js';

const reset = { type: 'session_reset', timestamp: '2026-11-24T00:00:00.000Z' } as const;

function channelWith(events: number, options: { lastSeq?: number; replayWindow?: number } = {}) {
  const channel = new InMemoryConversationChannel({
    lastSeq: options.lastSeq ?? 10,
    replayWindow: options.replayWindow ?? 5,
  });
  for (let index = 0; index < events; index += 1) channel.append(reset);
  return channel;
}

describe('InMemoryConversationChannel', () => {
  it('numbers events after the starting seq and delivers them to subscribers', () => {
    const channel = channelWith(0);
    const seen: number[] = [];
    channel.subscribe((event) => seen.push(event.seq));
    channel.append(reset);
    channel.append(reset);
    expect(seen).toEqual([11, 12]);
    expect(channel.lastSeq).toBe(12);
  });

  it('returns exactly the missed events to a resuming subscriber', () => {
    const channel = channelWith(4);
    const outcome = channel.subscribe(() => undefined, 12);
    expect(outcome.kind).toBe('resumed');
    if (outcome.kind === 'resumed')
      expect(outcome.missed.map((event) => event.seq)).toEqual([13, 14]);
  });

  it('asks for a resync once the gap is older than the window', () => {
    const channel = channelWith(8, { replayWindow: 3 });
    expect(channel.subscribe(() => undefined, 12).kind).toBe('resync');
    expect(channel.subscribe(() => undefined, 15).kind).toBe('resumed');
  });

  it('asks for a resync for seqs from before this process or from the future', () => {
    const channel = channelWith(2);
    expect(channel.subscribe(() => undefined, 3).kind).toBe('resync');
    expect(channel.subscribe(() => undefined, 99).kind).toBe('resync');
    expect(channel.subscribe(() => undefined, 12).kind).toBe('live');
  });

  it('stops delivering after unsubscribe', () => {
    const channel = channelWith(0);
    const seen: ConversationEvent[] = [];
    const listener = (event: ConversationEvent) => seen.push(event);
    channel.subscribe(listener);
    channel.unsubscribe(listener);
    channel.append(reset);
    expect(seen).toEqual([]);
    expect(channel.subscriberCount).toBe(0);
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
    const event = channel.append({ type: 'response', data });
    expect(JSON.parse(event.encode('delta')).data).toMatchObject({ content: '', delta: ' world' });
    expect(JSON.parse(event.encode('cumulative')).data).toMatchObject({ content: 'hello world' });
    expect(event.encode('delta')).toBe(event.encode('delta'));
  });
});
