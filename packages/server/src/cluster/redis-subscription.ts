import type {
  ConversationListener,
  ConversationSubscription,
  MissedEvents,
  SubscribeOptions,
  SubscribeOutcome,
} from '../conversations/conversation-channel.js';
import { ConversationEvent } from '../conversations/conversation-event.js';

/** A subscription of a `RedisConversationChannel`; held until started. */
export class RedisSubscription implements ConversationSubscription {
  /** Events (and losses) delivered while held; undefined once started or ended. */
  held: (ConversationEvent | MissedEvents)[] | undefined = [];
  outcome: SubscribeOutcome = { kind: 'live', lastSeq: 0 };

  constructor(
    readonly listener: ConversationListener,
    private readonly options: SubscribeOptions,
    private readonly channel: {
      started(s: RedisSubscription): void;
      ended(s: RedisSubscription): void;
    },
  ) {}

  /** Events this node lost: told now, or after the held events before it once started. */
  missed(missed: MissedEvents): void {
    if (this.held !== undefined) this.held.push(missed);
    else if (missed.to > this.outcome.lastSeq) this.options.onMissed?.(missed);
  }

  start(): void {
    const held = this.held;
    if (held === undefined) return;
    this.held = undefined;
    for (const item of held) {
      if (item instanceof ConversationEvent) this.receive(item);
      // A loss the subscription's own read (its outcome) did not already cover.
      else if (item.to > this.outcome.lastSeq) this.options.onMissed?.(item);
    }
    this.channel.started(this);
  }

  /**
   * Hands a live event on unless the subscription's read already covered it: this node may
   * receive events after the read returned them (as `missed`, or as the `lastSeq` the client
   * already has), since the read and the live messages travel on different connections.
   */
  receive(event: ConversationEvent): void {
    if (event.seq > this.outcome.lastSeq) this.listener(event);
  }

  unsubscribe(): void {
    this.held = undefined;
    this.channel.ended(this);
  }
}
