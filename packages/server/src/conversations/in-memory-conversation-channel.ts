import type {
  ConversationChannel,
  ConversationListener,
  SubscribeOutcome,
} from './conversation-channel.js';
import { ConversationEvent, type UnsequencedEventFrame } from './conversation-event.js';
import { ReplayBuffer } from './replay-buffer.js';

/** Options for {@link InMemoryConversationChannel}. */
export interface ConversationChannelOptions {
  /** The seq the stream continues after. */
  lastSeq: number;
  replayWindow: number;
  /** Called after each append with the new last seq, so the caller can persist a reservation. */
  onSequence?: (lastSeq: number) => void;
}

/**
 * The in-process conversation channel, for a single node: seqs from a counter, the replay
 * window in a ring buffer, delivery by direct calls. Subscribing and replaying happen in one
 * synchronous step, so a resuming client can neither miss nor repeat an event.
 */
export class InMemoryConversationChannel implements ConversationChannel {
  private sequence: number;
  private readonly buffer: ReplayBuffer;
  private readonly listeners = new Set<ConversationListener>();
  /** The first seq this process issued; anything at or before it is not in the buffer. */
  private readonly floorSeq: number;

  constructor(private readonly options: ConversationChannelOptions) {
    this.sequence = options.lastSeq;
    this.floorSeq = options.lastSeq;
    this.buffer = new ReplayBuffer(options.replayWindow);
  }

  get lastSeq(): number {
    return this.sequence;
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  append(frame: UnsequencedEventFrame): ConversationEvent {
    this.sequence += 1;
    const event = new ConversationEvent({ ...frame, seq: this.sequence });
    this.buffer.push(event);
    this.options.onSequence?.(this.sequence);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  subscribe(listener: ConversationListener, afterSeq?: number): SubscribeOutcome {
    this.listeners.add(listener);
    const lastSeq = this.sequence;
    if (afterSeq === undefined || afterSeq === lastSeq) return { kind: 'live', lastSeq };
    if (afterSeq > lastSeq || afterSeq < this.floorSeq) return { kind: 'resync', lastSeq };
    const oldest = this.buffer.oldestSeq;
    if (oldest === undefined || oldest > afterSeq + 1) return { kind: 'resync', lastSeq };
    return { kind: 'resumed', lastSeq, missed: this.buffer.after(afterSeq) };
  }

  findEvent(predicate: (event: ConversationEvent) => boolean): ConversationEvent | undefined {
    return this.buffer.findLast(predicate);
  }

  unsubscribe(listener: ConversationListener): void {
    this.listeners.delete(listener);
  }
}
