import type { ConversationEventFrame } from '@botwire/protocol';
import type {
  ConversationChannel,
  ConversationListener,
  ConversationSubscription,
  SubscribeOptions,
  SubscribeOutcome,
} from '../conversations/conversation-channel.js';
import {
  ConversationEvent,
  type UnsequencedEventFrame,
} from '../conversations/conversation-event.js';
import type { Logger } from '../logging/logger.js';
import { clusterUnavailable } from './cluster-bus.js';
import type { RedisChannelCommands, StreamEntry } from './redis-channel-commands.js';
import { RedisSubscription } from './redis-subscription.js';

/** One Redis message or a catch-up request, handled strictly one after the other. */
type Inbound = { seq: number; json: string } | { catchUp: true };

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The seq of a stream entry id `<seq>-0`. */
function seqOf(entry: StreamEntry): number {
  return Number.parseInt(entry[0], 10);
}

function eventOf(seq: number, json: string): ConversationEvent {
  const frame = { ...(JSON.parse(json) as object), seq } as ConversationEventFrame;
  return new ConversationEvent(frame);
}

function eventOfEntry(entry: StreamEntry): ConversationEvent {
  return eventOf(seqOf(entry), entry[1][1] ?? '{}');
}

/**
 * A conversation channel shared by every node through Redis: seqs from an INCR, the replay window
 * in a capped Stream, live delivery by PUBLISH (see `redis-channel-scripts.ts`). Each append is
 * one script on the node's command connection, so appends of this node are numbered in call
 * order and settle in that order. This node delivers events to its subscribers only from what
 * Redis publishes, in seq order: a gap (a message lost while the subscriber connection was
 * reconnecting) is filled from the stream before anything after it is delivered.
 */
export class RedisConversationChannel implements ConversationChannel {
  /** The newest seq delivered to this node's subscribers (every one up to it was). */
  private delivered: number;
  private appended = 0;
  private readonly live = new Set<RedisSubscription>();
  private readonly holding = new Set<RedisSubscription>();
  private readonly inbox: Inbound[] = [];
  private draining = false;
  private closed = false;
  private readonly membership = {
    started: (subscription: RedisSubscription): void => {
      if (this.holding.delete(subscription)) this.live.add(subscription);
    },
    ended: (subscription: RedisSubscription): void => {
      this.holding.delete(subscription);
      this.live.delete(subscription);
    },
  };

  constructor(
    private readonly commands: RedisChannelCommands,
    private readonly options: {
      /** The seq Redis held when this node subscribed to the conversation's live messages. */
      lastSeq: number;
      logger: Logger;
      /** Called with each seq this node appended, to keep the database's reservation ahead. */
      onSequence: (seq: number) => void;
      /** The current reservation in the database, to initialise a missing seq key. */
      storedReservation: () => Promise<number>;
      /** Called by close(): stop routing this conversation's messages here. */
      detach: () => void;
    },
  ) {
    this.delivered = options.lastSeq;
  }

  get lastSeq(): number {
    return Math.max(this.delivered, this.appended);
  }

  get subscriberCount(): number {
    return this.live.size + this.holding.size;
  }

  append(frame: UnsequencedEventFrame): Promise<ConversationEvent> {
    const json = JSON.stringify(frame);
    const promise = this.commands.append(json).then(
      async (seq) => this.sequenced(seq ?? (await this.appendAfterInitialising(json)), json),
      (error: unknown) => {
        throw clusterUnavailable(reasonOf(error));
      },
    );
    promise.catch(() => undefined);
    return promise;
  }

  /** The seq key was missing (first use, or Redis lost its data): set it from the database. */
  private async appendAfterInitialising(json: string): Promise<number> {
    const floor = await this.options.storedReservation();
    // One above the reservation, as after a single node's restart: no seq handed out before
    // (and perhaps not yet reserved) can come again.
    await this.commands.initialise(floor + 1);
    const seq = await this.commands.append(json);
    if (seq === null) throw clusterUnavailable('the conversation sequence key vanished again');
    return seq;
  }

  private sequenced(seq: number, json: string): ConversationEvent {
    if (seq > this.appended) this.appended = seq;
    this.options.onSequence(seq);
    return eventOf(seq, json);
  }

  /** A message Redis published for this conversation, in publish order. */
  receive(seq: number, json: string): void {
    if (this.closed) return;
    this.inbox.push({ seq, json });
    this.drain();
  }

  /** The subscriber connection was cut and is back: fetch what was published meanwhile. */
  catchUp(): void {
    if (this.closed) return;
    this.inbox.push({ catchUp: true });
    this.drain();
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    // The common case (the next seq, nothing waiting) is delivered at once, with no promise.
    while (this.inbox.length > 0) {
      const next = this.inbox[0];
      if (next === undefined || 'catchUp' in next || next.seq > this.delivered + 1) break;
      this.inbox.shift();
      if (next.seq === this.delivered + 1) this.deliver(eventOf(next.seq, next.json));
    }
    if (this.inbox.length === 0) {
      this.draining = false;
      return;
    }
    const next = this.inbox.shift();
    // The live message the gap is before, kept to deliver after it; none for a catch-up.
    const after = next !== undefined && 'seq' in next ? next : undefined;
    this.fill(after === undefined ? undefined : after.seq - 1)
      .catch((error: unknown) => {
        this.options.logger.warn(
          { reason: reasonOf(error) },
          'could not fill a gap in a conversation from Redis; events may be missing on this node',
        );
      })
      .finally(() => {
        if (after !== undefined) {
          this.inbox.unshift(after);
          // The gap could not be filled (trimmed, or Redis unreachable): skip it rather than
          // stall, and tell the subscribers, who must reload what they missed.
          if (after.seq > this.delivered + 1) this.skip(after.seq - 1);
        }
        this.draining = false;
        this.drain();
      });
  }

  /** Delivers the kept events after the last delivered one, up to `upTo` (or the newest). */
  private async fill(upTo: number | undefined): Promise<void> {
    if (upTo !== undefined) {
      this.deliverKept(await this.commands.range(this.delivered + 1, upTo));
      return;
    }
    // A catch-up: the kept events and the last seq in one atomic read. Every seq up to it was
    // appended to the stream with it, so one not kept (trimmed, or the keys were lost and the
    // seq started again higher) is lost to this node, even when nothing after it is kept.
    const read = await this.commands.readAfter(this.delivered + 1);
    this.deliverKept(read.entries);
    if (read.lastSeq !== undefined && read.lastSeq > this.delivered) this.skip(read.lastSeq);
  }

  private deliverKept(entries: readonly StreamEntry[]): void {
    for (const entry of entries) {
      const seq = seqOf(entry);
      if (seq <= this.delivered) continue;
      if (seq !== this.delivered + 1) this.skip(seq - 1);
      this.deliver(eventOfEntry(entry));
    }
  }

  /**
   * The events after the last delivered one up to `to` are lost to this node: they left the
   * replay window before it received them (its subscriber was cut off for longer than the window
   * covers). Each subscriber is told (`resync_required`) rather than silently missing them.
   */
  private skip(to: number): void {
    const missed = { from: this.delivered + 1, to };
    this.options.logger.warn(
      missed,
      'events of a conversation left the replay window before this node received them; its connections are told to resync',
    );
    this.delivered = to;
    for (const subscription of [...this.live, ...this.holding]) subscription.missed(missed);
  }

  private deliver(event: ConversationEvent): void {
    this.delivered = event.seq;
    for (const subscription of this.live) subscription.receive(event);
    for (const subscription of this.holding) subscription.held?.push(event);
    event.settle();
  }

  async subscribe(
    listener: ConversationListener,
    afterSeq?: number,
    options: SubscribeOptions = {},
  ): Promise<ConversationSubscription> {
    // Held before Redis is read: whatever is published after the read reaches the subscription.
    const subscription = new RedisSubscription(listener, options, this.membership);
    this.holding.add(subscription);
    try {
      subscription.outcome = await this.outcomeAfter(afterSeq);
    } catch (error) {
      subscription.unsubscribe();
      throw clusterUnavailable(reasonOf(error));
    }
    return subscription;
  }

  private async outcomeAfter(afterSeq: number | undefined): Promise<SubscribeOutcome> {
    const read = await this.commands.readAfter((afterSeq ?? this.lastSeq) + 1);
    const lastSeq = read.lastSeq ?? this.lastSeq;
    if (afterSeq === undefined || afterSeq === lastSeq) return { kind: 'live', lastSeq };
    const oldest = read.oldest === undefined ? undefined : seqOf(read.oldest);
    if (afterSeq > lastSeq || oldest === undefined || oldest > afterSeq + 1) {
      return { kind: 'resync', lastSeq };
    }
    const missed = read.entries.filter((entry) => seqOf(entry) <= lastSeq).map(eventOfEntry);
    return { kind: 'resumed', lastSeq, missed };
  }

  async findUserMessage(messageId: number): Promise<ConversationEvent | undefined> {
    const marker = `"id":${messageId}`;
    for (const entry of await this.commands.newestFirst()) {
      const json = entry[1][1] ?? '';
      if (!json.includes('"type":"user_message"') || !json.includes(marker)) continue;
      const event = eventOfEntry(entry);
      if (event.messageId === messageId) return event;
    }
    return undefined;
  }

  close(): Promise<void> {
    this.closed = true;
    for (const subscription of [...this.live, ...this.holding]) subscription.unsubscribe();
    this.inbox.length = 0;
    this.options.detach();
    return Promise.resolve();
  }
}
