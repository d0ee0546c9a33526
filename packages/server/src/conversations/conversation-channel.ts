import type { ConversationEvent, UnsequencedEventFrame } from './conversation-event.js';

/** Receives the events of a conversation, one call per event, in seq order. */
export type ConversationListener = (event: ConversationEvent) => void;

/** Events a started subscription can no longer be given: `from` to `to`, both included. */
export interface MissedEvents {
  from: number;
  to: number;
}

/** What a subscriber is told besides the events themselves. */
export interface SubscribeOptions {
  /**
   * Called, in seq order with the events, when events after the subscription's start were lost
   * before they reached this process and are no longer kept (a shared channel whose node was cut
   * off for longer than the replay window covers). The events after `to` keep coming. A channel
   * of one process never loses events and never calls it.
   */
  onMissed?: (missed: MissedEvents) => void;
}

/** Where a subscription starts: the events it missed, or word that they are gone. */
export type SubscribeOutcome =
  | { kind: 'live'; lastSeq: number }
  | { kind: 'resumed'; lastSeq: number; missed: ConversationEvent[] }
  | { kind: 'resync'; lastSeq: number };

/**
 * One listener's subscription to a channel. Created held: the listener gets nothing until
 * {@link start}, so the subscriber sends what comes first (its `connected` frame, the missed
 * events of {@link outcome}) without racing live events.
 */
export interface ConversationSubscription {
  readonly outcome: SubscribeOutcome;
  /**
   * Starts live delivery: first, synchronously, every event after `outcome.lastSeq` that arrived
   * while the subscription was held, then each new event as it comes. Calling it again does
   * nothing.
   */
  start(): void;
  /** Ends delivery (held events are dropped); the channel forgets the listener. Idempotent. */
  unsubscribe(): void;
}

/**
 * The ordered event stream of one conversation, between the pipeline core (which appends) and
 * the connections (which subscribe). One interface for every implementation: the in-memory one
 * serves a single node (`InMemoryConversationChannel`), the shared one
 * (`RedisConversationChannel` in `cluster/`: a seq counter and a Redis stream per conversation
 * capped at the replay window, PUBLISH for delivery) serves a cluster. The composition root picks one through a {@link ConversationChannelFactory};
 * nothing else knows which.
 *
 * The contract every implementation keeps:
 *
 * - **Seqs.** Each appended event gets the next seq of the conversation: unique, strictly
 *   increasing, never reused (also across restarts and nodes); a failed append gets none.
 * - **Call order is seq order.** Events appended by one process get seqs in the order of the
 *   `append` calls, whether or not the caller awaited the earlier ones. An appender may
 *   therefore pipeline (a reply's chunks are appended without awaiting each one) and still
 *   keep their order.
 * - **Settlement order.** An append's promise settles after those of every earlier append of
 *   the channel in this process, so awaiting the newest append waits for all of them.
 * - **Failures.** A failed append rejects its own promise; the event was delivered to nobody.
 *   Implementations mark their promises handled, so an appender that pipelines may drop every
 *   promise but the one it awaits (a reply's final chunk carries the whole text, so a chunk
 *   lost to a failure costs clients only intermediate text).
 * - **Delivery.** A started subscription's listener gets every event with a seq above its
 *   `outcome.lastSeq` exactly once and in seq order, never one it was given in `missed` and
 *   never a live event before `start()`. The in-memory channel calls listeners synchronously
 *   inside `append`, so it costs no promise or microtask per event; a listener must not throw
 *   and must not append.
 */
export interface ConversationChannel {
  /**
   * The newest seq this process knows of: appended here or delivered here. A shared
   * implementation's may trail the shared log by what is still in flight to this node.
   */
  readonly lastSeq: number;
  /** Subscriptions of this process, held or started. */
  readonly subscriberCount: number;
  /**
   * Gives `frame` the next seq, keeps it for replay and delivers it to every started
   * subscription; resolves to the sequenced event.
   */
  append(frame: UnsequencedEventFrame): Promise<ConversationEvent>;
  /**
   * Subscribes `listener` to the events after `afterSeq` (or, when undefined, to new events
   * only). Resolves to a held subscription whose outcome carries the missed events: `resumed`
   * with every kept event after `afterSeq`, `live` when nothing was missed, `resync` when the
   * events after `afterSeq` are no longer kept (older than the replay window, from before a
   * restart, or `afterSeq` is ahead of the conversation).
   */
  subscribe(
    listener: ConversationListener,
    afterSeq?: number,
    options?: SubscribeOptions,
  ): Promise<ConversationSubscription>;
  /** The newest kept user message event of message `messageId`, when it is still kept. */
  findUserMessage(messageId: number): Promise<ConversationEvent | undefined>;
  /**
   * The conversation left this process's memory: subscriptions end, and whatever this process
   * keeps for replay is let go (a shared log stays for the other nodes).
   */
  close(): Promise<void>;
}

/** What a factory needs to know of the conversation whose channel it builds. */
export interface ConversationChannelTarget {
  /** The conversation's key, for logs and shared names. */
  key: string;
  /** The stored conversation's id. */
  conversationId: number;
  /** The highest seq reserved in the store for this conversation before (0 for a new one). */
  seqReserved: number;
}

/**
 * Builds the channel of one conversation when it is opened on this process. Chosen by the
 * composition root (`app.ts`): the in-memory factory for a single node, a shared one for a
 * cluster.
 */
export type ConversationChannelFactory = (
  target: ConversationChannelTarget,
) => Promise<ConversationChannel>;
