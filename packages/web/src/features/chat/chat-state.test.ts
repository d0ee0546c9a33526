import type { ChatMessage, StateChange } from '@botwire/client';
import { describe, expect, it } from 'vitest';
import {
  chatReducer,
  describeStatus,
  initialChatState,
  isTyping,
  statusFromStateChange,
  streamingReply,
  type ChatAction,
  type ChatState,
} from './chat-state.js';

function user(id: number, text: string, clientId?: string): ChatMessage {
  return {
    id,
    role: 'user',
    content: text,
    message_chain: [{ type: 'Plain', text }],
    timestamp: '2026-01-01T00:00:00.000Z',
    is_final: true,
    status: 'complete',
    reply_to: null,
    client_id: clientId ?? null,
  };
}

function reply(
  id: number,
  replyTo: number,
  content: string,
  final = false,
  status: ChatMessage['status'] = final ? 'complete' : 'streaming',
): ChatMessage {
  return {
    id,
    role: 'assistant',
    content,
    message_chain: content === '' ? [] : [{ type: 'Plain', text: content }],
    timestamp: '2026-01-01T00:00:01.000Z',
    is_final: final,
    status,
    reply_to: replyTo,
  };
}

const run = (actions: ChatAction[], from: ChatState = initialChatState): ChatState =>
  actions.reduce(chatReducer, from);

describe('chatReducer', () => {
  it('updates a streaming reply in place', () => {
    const state = run([
      { type: 'message', message: user(1, 'hi') },
      { type: 'message', message: reply(2, 1, 'Hel') },
      { type: 'message', message: reply(2, 1, 'Hello') },
    ]);
    expect(state.messages.map((m) => [m.id, m.content])).toEqual([
      [1, 'hi'],
      [2, 'Hello'],
    ]);
    expect(streamingReply(state)?.id).toBe(2);
  });

  it('lets the final version replace the in-progress one, and not the reverse', () => {
    const state = run([
      { type: 'message', message: reply(2, 1, 'Hel') },
      { type: 'message', message: reply(2, 1, 'Hello there', true) },
      // A late chunk must not turn the finished reply back into a streaming one.
      { type: 'message', message: reply(2, 1, 'Hello') },
    ]);
    expect(state.messages).toHaveLength(1);
    expect(state.messages[0]).toMatchObject({ content: 'Hello there', is_final: true });
    expect(streamingReply(state)).toBeUndefined();
  });

  it('keeps a cancelled final status', () => {
    const state = run([
      { type: 'message', message: reply(2, 1, 'Hel') },
      { type: 'message', message: reply(2, 1, 'Hel', true, 'cancelled') },
    ]);
    expect(state.messages[0]?.status).toBe('cancelled');
  });

  it('never lets a second reply overwrite the first', () => {
    const state = run([
      { type: 'message', message: user(1, 'one') },
      { type: 'message', message: reply(2, 1, 'first', true) },
      { type: 'message', message: user(3, 'two') },
      { type: 'message', message: reply(4, 3, 'sec') },
      { type: 'message', message: reply(4, 3, 'second', true) },
    ]);
    expect(state.messages.map((m) => [m.id, m.content])).toEqual([
      [1, 'one'],
      [2, 'first'],
      [3, 'two'],
      [4, 'second'],
    ]);
  });

  it('moves a sent message out of pending when the server acknowledges its client_id', () => {
    const sent = run([
      { type: 'sent', clientId: 'c-1', text: 'hello' },
      { type: 'sent', clientId: 'c-2', text: 'again' },
    ]);
    expect(sent.pending.map((p) => p.clientId)).toEqual(['c-1', 'c-2']);
    const acked = run([{ type: 'message', message: user(7, 'hello', 'c-1') }], sent);
    expect(acked.pending.map((p) => p.clientId)).toEqual(['c-2']);
    expect(acked.messages.map((m) => m.id)).toEqual([7]);
    // The acknowledgement arriving twice (ack + onMessage) stores it once.
    const twice = run([{ type: 'message', message: user(7, 'hello', 'c-1') }], acked);
    expect(twice.messages).toHaveLength(1);
  });

  it('marks a failed send without dropping it', () => {
    const state = run([
      { type: 'sent', clientId: 'c-1', text: 'hello' },
      { type: 'send-failed', clientId: 'c-1', error: 'QUEUE_FULL' },
    ]);
    expect(state.pending).toEqual([{ clientId: 'c-1', text: 'hello', error: 'QUEUE_FULL' }]);
  });

  it('merges history without duplicates, keeping order and the more complete version', () => {
    const live = run([
      { type: 'sent', clientId: 'c-9', text: 'pending one' },
      { type: 'message', message: user(5, 'live') },
      { type: 'message', message: reply(6, 5, 'par') },
    ]);
    const merged = run(
      [
        {
          type: 'history',
          messages: [
            user(1, 'old'),
            reply(2, 1, 'old reply', true),
            user(5, 'live'),
            reply(6, 5, 'partial text'),
            user(8, 'pending one', 'c-9'),
          ],
        },
      ],
      live,
    );
    expect(merged.messages.map((m) => m.id)).toEqual([1, 2, 5, 6, 8]);
    expect(merged.messages.find((m) => m.id === 6)?.content).toBe('partial text');
    expect(merged.pending).toEqual([]);
    // Loading the same history again changes nothing.
    const again = run([{ type: 'history', messages: merged.messages }], merged);
    expect(again.messages).toEqual(merged.messages);
  });

  it('does not let an older in-progress history copy replace a live final reply', () => {
    const state = run([
      { type: 'message', message: reply(6, 5, 'done', true) },
      { type: 'history', messages: [reply(6, 5, 'do')] },
    ]);
    expect(state.messages[0]).toMatchObject({ content: 'done', is_final: true });
  });

  it('shows typing until the first chunk of the awaited reply', () => {
    const waiting = run([
      { type: 'message', message: user(1, 'hi', 'c-1') },
      { type: 'awaiting-reply', messageId: 1 },
    ]);
    expect(isTyping(waiting)).toBe(true);
    const empty = run([{ type: 'message', message: reply(2, 1, '') }], waiting);
    expect(empty.awaitingReplyTo).toBeUndefined();
    expect(isTyping(empty)).toBe(true);
    const text = run([{ type: 'message', message: reply(2, 1, 'Hi') }], empty);
    expect(isTyping(text)).toBe(false);
  });

  it('clears everything on reset', () => {
    const state = run([{ type: 'message', message: user(1, 'hi') }, { type: 'reset' }]);
    expect(state).toEqual(initialChatState);
  });
});

describe('connection status', () => {
  const change = (partial: Partial<StateChange> & Pick<StateChange, 'current'>): StateChange => ({
    previous: 'connected',
    reason: 'opened',
    ...partial,
  });

  it('labels the three colours', () => {
    expect(describeStatus(statusFromStateChange(change({ current: 'connected' })))).toEqual({
      tone: 'green',
      label: 'connected',
    });
    expect(
      describeStatus(
        statusFromStateChange(
          change({
            current: 'reconnecting',
            reason: 'transport-error',
            attempt: 2,
            maxAttempts: 5,
          }),
        ),
      ),
    ).toEqual({ tone: 'amber', label: 'reconnecting (attempt 2 of 5)' });
    expect(
      describeStatus(
        statusFromStateChange(change({ current: 'closed', reason: 'retries-exhausted' })),
      ),
    ).toEqual({ tone: 'red', label: 'disconnected' });
  });
});
