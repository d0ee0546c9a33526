import type { ChatMessage } from '@botwire/client';
import { describe, expect, it, vi } from 'vitest';
import { ReplyTracker } from './reply-tracker.js';

function user(id: number, clientId: string | null): ChatMessage {
  return {
    id,
    role: 'user',
    content: 'hi',
    message_chain: [{ type: 'Plain', text: 'hi' }],
    timestamp: '2026-11-24T12:00:00.000Z',
    is_final: true,
    status: 'complete',
    reply_to: null,
    client_id: clientId,
  };
}

function reply(id: number, replyTo: number, content: string, final = false): ChatMessage {
  return {
    id,
    role: 'assistant',
    content,
    message_chain: [],
    timestamp: '2026-11-24T12:00:00.000Z',
    is_final: final,
    status: final ? 'complete' : 'streaming',
    reply_to: replyTo,
  };
}

describe('ReplyTracker', () => {
  it('follows a message from its acknowledgement to its final reply, with times', async () => {
    let clock = 100;
    const tracker = new ReplyTracker({ now: () => clock });
    const tracked = tracker.track('c-1', 'yes');
    clock = 110;
    expect(tracker.handle(user(7, 'c-1'))).toBe('own');
    expect(tracked.messageId).toBe(7);
    clock = 130;
    expect(tracker.handle(reply(8, 7, 'a'))).toBe('own');
    clock = 150;
    tracker.handle(reply(8, 7, 'a b'));
    clock = 190;
    tracker.handle(reply(8, 7, 'a b c', true));
    await expect(tracked.done).resolves.toEqual({
      kind: 'reply',
      status: 'complete',
      replyId: 8,
      chunks: 3,
      firstChunkAt: 130,
      finalAt: 190,
    });
    expect(tracked.trackedAt).toBe(100);
    expect(tracker.pending).toBe(0);
  });

  it("ignores other people's messages and replies", () => {
    const tracker = new ReplyTracker();
    tracker.track('c-1', 'yes');
    expect(tracker.handle(user(3, 'someone-else'))).toBe('other');
    expect(tracker.handle(user(4, null))).toBe('other');
    expect(tracker.handle(reply(5, 3, 'x'))).toBe('other');
    expect(tracker.pending).toBe(1);
  });

  it('settles at once when no reply is expected', async () => {
    const tracker = new ReplyTracker();
    const tracked = tracker.track('c-1', 'no');
    tracker.handle(user(1, 'c-1'));
    await expect(tracked.done).resolves.toEqual({ kind: 'none' });
  });

  it('waits briefly for a maybe reply', async () => {
    vi.useFakeTimers();
    try {
      const tracker = new ReplyTracker({ maybeWaitMs: 1_000 });
      const unanswered = tracker.track('c-1', 'maybe');
      const answered = tracker.track('c-2', 'maybe');
      tracker.handle(user(1, 'c-1'));
      tracker.handle(user(2, 'c-2'));
      tracker.handle(reply(3, 2, 'start'));
      vi.advanceTimersByTime(1_000);
      await expect(unanswered.done).resolves.toEqual({ kind: 'none' });
      tracker.handle(reply(3, 2, 'start end', true));
      await expect(answered.done).resolves.toMatchObject({ kind: 'reply', chunks: 2 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up on one or on all', async () => {
    const tracker = new ReplyTracker();
    const one = tracker.track('c-1', 'yes');
    const two = tracker.track('c-2', 'yes');
    tracker.abort('c-1', 'refused');
    await expect(one.done).resolves.toEqual({ kind: 'aborted', error: 'refused' });
    tracker.abortAll('closed');
    await expect(two.done).resolves.toEqual({ kind: 'aborted', error: 'closed' });
    expect(tracker.pending).toBe(0);
  });
});
