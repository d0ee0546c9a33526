import type {
  ConversationChannel,
  ConversationListener,
  ConversationSubscription,
  SubscribeOutcome,
} from './conversation-channel.js';
import type { ConversationEventFrame } from '@botwire/protocol';
import { ConversationEvent, type UnsequencedEventFrame } from './conversation-event.js';
import { ReplayBuffer } from './replay-buffer.js';
import type { ReplayMemory } from './replay-memory.js';
import { ReplyTranscript } from './reply-transcript.js';

/** Options for {@link InMemoryConversationChannel}. */
export interface ConversationChannelOptions {
  /** The seq the stream continues after. */
  lastSeq: number;
  replayWindow: number;
  /** Bytes of events this conversation keeps for replay; unbounded when absent. */
  replayBudgetBytes?: number;
  /** The process-wide account of replay memory. */
  replayMemory?: ReplayMemory;
  /** Called after each append with the new last seq, so the caller can persist a reservation. */
  onSequence?: (lastSeq: number) => void;
}

/** A subscription of {@link InMemoryConversationChannel}; held until started. */
class InMemorySubscription implements ConversationSubscription {
  /** Events that arrived while held; undefined once started or ended. */
  held: ConversationEvent[] | undefined = [];

  constructor(
    readonly listener: ConversationListener,
    readonly outcome: SubscribeOutcome,
    private readonly channel: {
      started(subscription: InMemorySubscription): void;
      ended(subscription: InMemorySubscription): void;
    },
  ) {}

  start(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    for (const event of held) this.listener(event);
    this.channel.started(this);
  }

  unsubscribe(): void {
    this.held = undefined;
    this.channel.ended(this);
  }
}

/**
 * The in-process conversation channel, for a single node: seqs from a counter, the replay
 * window in a ring buffer, delivery by direct calls inside `append`. Everything happens at the
 * moment of the call: an append is sequenced, kept and delivered before it returns (its promise
 * is already resolved), and a subscription's outcome is taken in the same step as the
 * subscription is registered, so a resuming client can neither miss nor repeat an event.
 */
export class InMemoryConversationChannel implements ConversationChannel {
  private sequence: number;
  private readonly buffer: ReplayBuffer;
  /** Started subscriptions, called for each event. */
  private readonly live = new Set<InMemorySubscription>();
  /** Subscriptions not started yet, which keep the events meanwhile. */
  private readonly holding = new Set<InMemorySubscription>();
  private readonly membership = {
    started: (subscription: InMemorySubscription): void => {
      if (!this.holding.delete(subscription)) return;
      this.live.add(subscription);
    },
    ended: (subscription: InMemorySubscription): void => {
      this.holding.delete(subscription);
      this.live.delete(subscription);
    },
  };
  /** The first seq this process issued; anything at or before it is not in the buffer. */
  private readonly floorSeq: number;
  /** The reply streaming now (one at a time per conversation), whose chunks share its text. */
  private transcript: ReplyTranscript | undefined;

  constructor(private readonly options: ConversationChannelOptions) {
    this.sequence = options.lastSeq;
    this.floorSeq = options.lastSeq;
    this.buffer = new ReplayBuffer(options.replayWindow, {
      ...(options.replayBudgetBytes === undefined
        ? {}
        : { budgetBytes: options.replayBudgetBytes }),
      ...(options.replayMemory === undefined ? {} : { memory: options.replayMemory }),
    });
  }

  get lastSeq(): number {
    return this.sequence;
  }

  get subscriberCount(): number {
    return this.live.size + this.holding.size;
  }

  /**
   * Resolves at once: the event is sequenced, kept and delivered before this returns. The
   * promise is only the interface's shape; a caller that pipelines need not await it.
   */
  append(frame: UnsequencedEventFrame): Promise<ConversationEvent> {
    return Promise.resolve(this.appendNow(frame));
  }

  /** {@link append} without the promise, for this process's own callers and tests. */
  appendNow(frame: UnsequencedEventFrame): ConversationEvent {
    this.sequence += 1;
    const sequenced = withSeq(frame, this.sequence);
    const event = new ConversationEvent(sequenced, this.transcriptFor(sequenced));
    this.buffer.push(event);
    this.options.onSequence?.(this.sequence);
    for (const subscription of this.live) subscription.listener(event);
    if (this.holding.size > 0) {
      for (const subscription of this.holding) subscription.held?.push(event);
    }
    event.settle();
    return event;
  }

  /**
   * The transcript a streaming chunk can be kept against, or undefined when the event must be
   * kept whole (anything but a streaming chunk, or a chunk whose content does not extend the
   * reply's text by its delta).
   */
  private transcriptFor(frame: ConversationEventFrame): ReplyTranscript | undefined {
    if (frame.type !== 'response') return undefined;
    const chunk = frame.data;
    if (chunk.is_final) {
      if (this.transcript?.replyId === chunk.id) this.transcript = undefined;
      return undefined;
    }
    if (this.transcript?.replyId === chunk.id && this.transcript.extend(chunk)) {
      return this.transcript;
    }
    const fresh = new ReplyTranscript(chunk.id);
    if (fresh.extend(chunk)) {
      this.transcript = fresh;
      return fresh;
    }
    // Content that is not the concatenation of the deltas: keep this chunk whole and continue
    // the reply's transcript from its content.
    this.transcript = new ReplyTranscript(chunk.id, chunk.content);
    return undefined;
  }

  subscribe(listener: ConversationListener, afterSeq?: number): Promise<ConversationSubscription> {
    const subscription = new InMemorySubscription(
      listener,
      this.outcomeAfter(afterSeq),
      this.membership,
    );
    this.holding.add(subscription);
    return Promise.resolve(subscription);
  }

  private outcomeAfter(afterSeq: number | undefined): SubscribeOutcome {
    const lastSeq = this.sequence;
    if (afterSeq === undefined || afterSeq === lastSeq) return { kind: 'live', lastSeq };
    if (afterSeq > lastSeq || afterSeq < this.floorSeq) return { kind: 'resync', lastSeq };
    const oldest = this.buffer.oldestSeq;
    if (oldest === undefined || oldest > afterSeq + 1) return { kind: 'resync', lastSeq };
    return { kind: 'resumed', lastSeq, missed: this.buffer.after(afterSeq) };
  }

  findUserMessage(messageId: number): Promise<ConversationEvent | undefined> {
    return Promise.resolve(
      this.buffer.findLast(
        (event) => event.type === 'user_message' && event.messageId === messageId,
      ),
    );
  }

  close(): Promise<void> {
    for (const subscription of [...this.live, ...this.holding]) subscription.unsubscribe();
    this.buffer.clear();
    this.transcript = undefined;
    return Promise.resolve();
  }
}

/**
 * `frame` with its seq, as the last field (chunk templates rely on that). A reply chunk, every
 * event but a handful, is built as a literal: a spread of frames of several shapes leaves V8's
 * object-cloning cache megamorphic, which made the copy the costliest line of an append.
 */
function withSeq(frame: UnsequencedEventFrame, seq: number): ConversationEventFrame {
  if (frame.type === 'response') return { type: 'response', data: frame.data, seq };
  return { ...frame, seq };
}
