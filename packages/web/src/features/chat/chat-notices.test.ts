import { describe, expect, it } from 'vitest';
import { reply, run, sent, user } from './chat-fixtures.test-support.js';
import { isTyping } from './chat-state.js';
import { timeline } from './timeline.js';

const broadcast = (id: string, text: string) =>
  ({ type: 'broadcast', id, text, timestamp: '2026-01-01T00:00:03.000Z' }) as const;
const reset = (id: string, text = 'reset') =>
  ({ type: 'conversation-reset', id, text, timestamp: '2026-01-01T00:00:04.000Z' }) as const;

describe('chatReducer: broadcasts', () => {
  it('places a broadcast after the newest message, and keeps it there', () => {
    const state = run([
      { type: 'message', message: user(1, 'hi') },
      broadcast('b-1', 'Maintenance at noon'),
      { type: 'message', message: reply(2, 1, 'hello', true) },
    ]);
    expect(
      timeline(state).map((entry) =>
        entry.kind === 'notice' ? `notice:${entry.notice.text}` : `message:${entry.message.id}`,
      ),
    ).toEqual(['message:1', 'notice:Maintenance at noon', 'message:2']);
  });

  it('puts a broadcast into an empty conversation first, and stores it once', () => {
    const state = run([broadcast('b-1', 'first'), broadcast('b-1', 'first')]);
    expect(state.notices).toHaveLength(1);
    expect(state.notices[0]).toMatchObject({ kind: 'broadcast', afterMessageId: undefined });
    const later = run([{ type: 'message', message: user(1, 'hi') }], state);
    expect(timeline(later).map((entry) => entry.kind)).toEqual(['notice', 'message']);
  });
});

describe('chatReducer: reset', () => {
  it('empties the conversation, stops waiting and leaves one reset notice', () => {
    const state = run([
      { type: 'message', message: user(1, 'hi') },
      { type: 'message', message: reply(2, 1, 'hel') },
      { type: 'awaiting-reply', messageId: 3 },
      broadcast('b-1', 'old news'),
      reset('r-1', 'You reset the conversation'),
    ]);
    expect(state.messages).toEqual([]);
    expect(state.awaitingReplyTo).toBeUndefined();
    expect(isTyping(state)).toBe(false);
    expect(state.notices).toEqual([
      {
        id: 'r-1',
        kind: 'reset',
        text: 'You reset the conversation',
        timestamp: '2026-01-01T00:00:04.000Z',
        afterMessageId: undefined,
      },
    ]);
  });

  it('reports a reset once when both the REST answer and the session_reset frame arrive', () => {
    const state = run([
      { type: 'message', message: user(1, 'hi') },
      reset('r-local', 'You reset the conversation'),
      reset('r-frame', 'The conversation was reset elsewhere'),
    ]);
    expect(state.notices).toHaveLength(1);
  });

  it('keeps messages that were not sent yet: they go to the new conversation', () => {
    const state = run([sent('c-1', 'queued', true), reset('r-1')]);
    expect(state.pending.map((p) => p.clientId)).toEqual(['c-1']);
  });

  it('shows messages that arrive after the reset after its notice', () => {
    const state = run([
      { type: 'message', message: user(1, 'old') },
      reset('r-1'),
      { type: 'message', message: user(5, 'new') },
    ]);
    expect(
      timeline(state).map((entry) =>
        entry.kind === 'notice' ? entry.notice.id : entry.message.id,
      ),
    ).toEqual(['r-1', 5]);
  });
});
