import { describe, expect, it } from 'vitest';
import { reply, run, sent, user } from './chat-fixtures.test-support.js';
import { initialChatState, isTyping, streamingReply } from './chat-state.js';

describe('chatReducer: messages', () => {
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

  it('returns the same state for a message it already has', () => {
    const message = user(1, 'hi');
    const state = run([{ type: 'message', message }]);
    expect(run([{ type: 'message', message }], state)).toBe(state);
  });

  it('merges history without duplicates, keeping order and the more complete version', () => {
    const live = run([
      sent('c-9', 'pending one'),
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

  it('does not wait for a reply that already arrived, and stops waiting on request', () => {
    const answered = run([
      { type: 'message', message: reply(2, 1, 'fast', true) },
      { type: 'awaiting-reply', messageId: 1 },
    ]);
    expect(answered.awaitingReplyTo).toBeUndefined();
    const stopped = run([{ type: 'awaiting-reply', messageId: 3 }, { type: 'stop-waiting' }]);
    expect(isTyping(stopped)).toBe(false);
  });

  it('clears everything when another conversation opens', () => {
    const state = run([
      { type: 'message', message: user(1, 'hi') },
      sent('c-1', 'queued', true),
      { type: 'broadcast', id: 'b-1', text: 'hello all', timestamp: '2026-01-01T00:00:00Z' },
      { type: 'clear' },
    ]);
    expect(state).toEqual(initialChatState);
  });
});

describe('chatReducer: pending and offline messages', () => {
  it('moves a sent message out of pending when the server acknowledges its client_id', () => {
    const state = run([sent('c-1', 'hello'), sent('c-2', 'again')]);
    expect(state.pending.map((p) => [p.clientId, p.delivery])).toEqual([
      ['c-1', 'sending'],
      ['c-2', 'sending'],
    ]);
    const acked = run([{ type: 'message', message: user(7, 'hello', 'c-1') }], state);
    expect(acked.pending.map((p) => p.clientId)).toEqual(['c-2']);
    expect(acked.messages.map((m) => m.id)).toEqual([7]);
    // The acknowledgement arriving twice (ack + onMessage) stores it once.
    const twice = run([{ type: 'message', message: user(7, 'hello', 'c-1') }], acked);
    expect(twice.messages).toHaveLength(1);
  });

  it('holds a message sent without a connection as queued until it is handed over', () => {
    const queued = run([sent('c-1', 'offline hello', true)]);
    expect(queued.pending).toEqual([
      {
        clientId: 'c-1',
        chain: [{ type: 'Plain', text: 'offline hello' }],
        text: 'offline hello',
        timestamp: '2026-01-01T00:00:02.000Z',
        delivery: 'queued',
      },
    ]);
    const sending = run([{ type: 'sending', clientId: 'c-1' }], queued);
    expect(sending.pending[0]?.delivery).toBe('sending');
    const stored = run([{ type: 'message', message: user(3, 'offline hello', 'c-1') }], sending);
    expect(stored.pending).toEqual([]);
    expect(stored.messages.map((m) => m.content)).toEqual(['offline hello']);
  });

  it('requeues a message the connection gave up on, keeping its client_id', () => {
    const state = run([sent('c-1', 'hello'), { type: 'requeue', clientId: 'c-1' }]);
    expect(state.pending.map((p) => [p.clientId, p.delivery])).toEqual([['c-1', 'queued']]);
  });

  it('marks a failed send without dropping it, and drops it when discarded', () => {
    const failed = run([
      sent('c-1', 'hello'),
      { type: 'send-failed', clientId: 'c-1', error: 'QUEUE_FULL' },
    ]);
    expect(failed.pending[0]).toMatchObject({ delivery: 'failed', error: 'QUEUE_FULL' });
    // Sending it again clears the error.
    expect(run([{ type: 'sending', clientId: 'c-1' }], failed).pending[0]).not.toHaveProperty(
      'error',
    );
    expect(run([{ type: 'discard', clientId: 'c-1' }], failed).pending).toEqual([]);
  });

  it('ignores a second sent action with the same client_id and unknown client ids', () => {
    const once = run([sent('c-1', 'hello')]);
    expect(run([sent('c-1', 'hello')], once)).toBe(once);
    expect(run([{ type: 'sending', clientId: 'nope' }], once)).toBe(once);
    expect(run([{ type: 'discard', clientId: 'nope' }], once)).toBe(once);
  });

  it('keeps the composed message chain of a mention', () => {
    const state = run([
      {
        type: 'sent',
        clientId: 'c-1',
        chain: [
          { type: 'At', target: 'pipe-uuid', display: 'Support bot' },
          { type: 'Plain', text: ' hi' },
        ],
        text: '@Support bot hi',
        timestamp: '2026-01-01T00:00:02.000Z',
        queued: true,
      },
    ]);
    expect(state.pending[0]?.chain[0]).toEqual({
      type: 'At',
      target: 'pipe-uuid',
      display: 'Support bot',
    });
    expect(state.pending[0]?.text).toBe('@Support bot hi');
  });
});
