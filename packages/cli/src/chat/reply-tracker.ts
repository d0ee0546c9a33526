import type { ChatMessage, MessageStatus } from '@botwire/client';
import type { ReplyExpectation } from './reply-expectation.js';

/** How a tracked message ended. */
export type ReplyOutcome =
  /** Its reply ended (any final status); times are from `now()`. */
  | {
      kind: 'reply';
      status: MessageStatus;
      replyId: number;
      chunks: number;
      firstChunkAt: number;
      finalAt: number;
    }
  /** No reply was expected, or a `maybe` one did not start in time. */
  | { kind: 'none' }
  /** Given up: the send failed, the connection closed for good, or a timeout. */
  | { kind: 'aborted'; error: unknown };

/** One message being followed from its send to the end of its reply. */
export interface TrackedMessage {
  readonly clientId: string;
  /** When {@link ReplyTracker.track} was called. */
  readonly trackedAt: number;
  /** The stored message's id, once acknowledged. */
  messageId: number | undefined;
  /** Reply chunks seen so far (every version of the reply, the final one included). */
  chunks: number;
  firstChunkAt: number | undefined;
  readonly expectation: ReplyExpectation;
  /** Settles once, with how the message ended. Never rejects. */
  readonly done: Promise<ReplyOutcome>;
}

interface Entry extends TrackedMessage {
  settle(outcome: ReplyOutcome): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Options of {@link ReplyTracker}. */
export interface ReplyTrackerOptions {
  /** How long a `maybe` reply may take to start before the message counts as unanswered. */
  maybeWaitMs?: number;
  now?: () => number;
}

/**
 * Follows messages this client sent (by `client_id`) to their replies (by `reply_to`), from the
 * whole messages a `WebSocketClient` hands to `onMessage`: feed every one to
 * {@link ReplyTracker.handle}. The client_id is matched on the acknowledgement itself, so a
 * reply chunk can never arrive before the tracker knows which message it answers.
 */
export class ReplyTracker {
  private readonly byClientId = new Map<string, Entry>();
  private readonly byMessageId = new Map<number, Entry>();
  private readonly maybeWaitMs: number;
  private readonly now: () => number;

  constructor(options: ReplyTrackerOptions = {}) {
    this.maybeWaitMs = options.maybeWaitMs ?? 3_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Messages whose outcome is not known yet. */
  get pending(): number {
    return this.byClientId.size;
  }

  /** Starts following the message that will be sent with `clientId`. */
  track(clientId: string, expectation: ReplyExpectation): TrackedMessage {
    let settle!: (outcome: ReplyOutcome) => void;
    const done = new Promise<ReplyOutcome>((resolve) => {
      settle = resolve;
    });
    const entry: Entry = {
      clientId,
      trackedAt: this.now(),
      messageId: undefined,
      chunks: 0,
      firstChunkAt: undefined,
      expectation,
      done,
      timer: undefined,
      settle: (outcome) => {
        if (entry.timer !== undefined) clearTimeout(entry.timer);
        entry.timer = undefined;
        this.byClientId.delete(clientId);
        if (entry.messageId !== undefined) this.byMessageId.delete(entry.messageId);
        settle(outcome);
      },
    };
    this.byClientId.set(clientId, entry);
    return entry;
  }

  /**
   * Takes one message from `onMessage`. Returns `own` for the acknowledgement of a tracked
   * message or a chunk of its reply, `other` for anything else.
   */
  handle(message: ChatMessage): 'own' | 'other' {
    if (message.role === 'user') {
      const clientId = message.client_id;
      const entry =
        clientId === undefined || clientId === null ? undefined : this.byClientId.get(clientId);
      if (entry === undefined) return 'other';
      // A repeated acknowledgement (a resend after a reconnect) changes nothing.
      if (entry.messageId !== undefined) return 'own';
      entry.messageId = message.id;
      this.byMessageId.set(message.id, entry);
      if (entry.expectation === 'no') entry.settle({ kind: 'none' });
      else if (entry.expectation === 'maybe') {
        entry.timer = setTimeout(() => {
          entry.timer = undefined;
          if (entry.chunks === 0) entry.settle({ kind: 'none' });
        }, this.maybeWaitMs);
      }
      return 'own';
    }
    const entry = message.reply_to === null ? undefined : this.byMessageId.get(message.reply_to);
    if (entry === undefined) return 'other';
    const now = this.now();
    entry.chunks += 1;
    entry.firstChunkAt ??= now;
    if (entry.timer !== undefined) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    if (message.is_final) {
      entry.settle({
        kind: 'reply',
        status: message.status,
        replyId: message.id,
        chunks: entry.chunks,
        firstChunkAt: entry.firstChunkAt,
        finalAt: now,
      });
    }
    return 'own';
  }

  /** Whether `message` (a user message) was sent through this tracker. */
  isOwn(message: ChatMessage): boolean {
    const clientId = message.client_id;
    return clientId !== undefined && clientId !== null && this.byClientId.has(clientId);
  }

  /** Gives up on one message. */
  abort(clientId: string, error: unknown): void {
    this.byClientId.get(clientId)?.settle({ kind: 'aborted', error });
  }

  /** Gives up on every message (the connection closed for good). */
  abortAll(error: unknown): void {
    for (const entry of [...this.byClientId.values()]) entry.settle({ kind: 'aborted', error });
  }
}
