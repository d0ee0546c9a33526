import { ConversationEvent, type UnsequencedEventFrame } from './conversation-event.js';
import { ReplayBuffer } from './replay-buffer.js';

export type ConversationListener = (event: ConversationEvent) => void;

/** What a subscriber gets: the events it missed, or word that they are gone. */
export type SubscribeOutcome =
  | { kind: 'live'; lastSeq: number }
  | { kind: 'resumed'; lastSeq: number; missed: ConversationEvent[] }
  | { kind: 'resync'; lastSeq: number };

/** Options for {@link ConversationChannel}. */
export interface ConversationChannelOptions {
  /** The seq the stream continues after. */
  lastSeq: number;
  replayWindow: number;
  /** Called after each append with the new last seq, so the caller can persist a reservation. */
  onSequence?: (lastSeq: number) => void;
}

/**
 * The ordered event stream of one conversation: gives each event its seq, keeps the newest
 * events for resuming, and delivers each to every subscriber. Subscribing and replaying happen
 * in one synchronous step, so a resuming client can neither miss nor repeat an event.
 */
export class ConversationChannel {
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

  /** Gives `frame` the next seq, keeps it for replay and delivers it to every subscriber. */
  append(frame: UnsequencedEventFrame): ConversationEvent {
    this.sequence += 1;
    const event = new ConversationEvent({ ...frame, seq: this.sequence });
    this.buffer.push(event);
    this.options.onSequence?.(this.sequence);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /**
   * Subscribes `listener` to events after `afterSeq` (or only to new events when undefined).
   * Missed events are returned, not delivered, so the caller sends them before anything live.
   */
  subscribe(listener: ConversationListener, afterSeq?: number): SubscribeOutcome {
    this.listeners.add(listener);
    const lastSeq = this.sequence;
    if (afterSeq === undefined || afterSeq === lastSeq) return { kind: 'live', lastSeq };
    if (afterSeq > lastSeq || afterSeq < this.floorSeq) return { kind: 'resync', lastSeq };
    const oldest = this.buffer.oldestSeq;
    if (oldest === undefined || oldest > afterSeq + 1) return { kind: 'resync', lastSeq };
    return { kind: 'resumed', lastSeq, missed: this.buffer.after(afterSeq) };
  }

  /** The newest kept event matching `predicate`. */
  findEvent(predicate: (event: ConversationEvent) => boolean): ConversationEvent | undefined {
    return this.buffer.findLast(predicate);
  }

  unsubscribe(listener: ConversationListener): void {
    this.listeners.delete(listener);
  }
}
