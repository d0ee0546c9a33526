import type { ConversationEvent, UnsequencedEventFrame } from './conversation-event.js';
import type { ReplayMemory } from './replay-memory.js';

export type ConversationListener = (event: ConversationEvent) => void;

/** What a subscriber gets: the events it missed, or word that they are gone. */
export type SubscribeOutcome =
  | { kind: 'live'; lastSeq: number }
  | { kind: 'resumed'; lastSeq: number; missed: ConversationEvent[] }
  | { kind: 'resync'; lastSeq: number };

/**
 * The ordered event stream of one conversation, between the pipeline core (which appends) and
 * the connections (which subscribe). The in-memory implementation serves one node; a shared one
 * (Redis streams, say) can serve several without changing its callers.
 */
export interface ConversationChannel {
  /** The seq of the newest event. */
  readonly lastSeq: number;
  readonly subscriberCount: number;
  /** Gives `frame` the next seq, keeps it for replay and delivers it to every subscriber. */
  append(frame: UnsequencedEventFrame): ConversationEvent;
  /**
   * Subscribes `listener` to events after `afterSeq` (or only to new events when undefined).
   * Missed events are returned, not delivered, so the caller sends them before anything live.
   */
  subscribe(listener: ConversationListener, afterSeq?: number): SubscribeOutcome;
  unsubscribe(listener: ConversationListener): void;
  /** The newest kept event matching `predicate`. */
  findEvent(predicate: (event: ConversationEvent) => boolean): ConversationEvent | undefined;
  /** The conversation left memory: let its replay events go (their bytes are given back). */
  close(): void;
}

/** Creates the channel of one conversation, continuing after `lastSeq`. */
export type ConversationChannelFactory = (options: {
  lastSeq: number;
  replayWindow: number;
  replayBudgetBytes?: number;
  replayMemory?: ReplayMemory;
  onSequence: (lastSeq: number) => void;
}) => ConversationChannel;
