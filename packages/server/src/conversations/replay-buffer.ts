import type { ConversationEvent } from './conversation-event.js';

/**
 * The newest `capacity` events of a conversation, for clients resuming with `last_seq`.
 *
 * Storage grows with the events actually kept: every connected conversation has a buffer, and
 * most idle ones hold a handful of events, so reserving `capacity` slots up front (8 KB for the
 * default 1000) would dominate the memory of an idle connection. Once full it is a ring.
 */
export class ReplayBuffer {
  private readonly events: ConversationEvent[] = [];
  /** Index of the oldest event once the ring is full; 0 while it is still filling. */
  private start = 0;

  constructor(private readonly capacity: number) {}

  push(event: ConversationEvent): void {
    if (this.events.length < this.capacity) {
      this.events.push(event);
      return;
    }
    this.events[this.start] = event;
    this.start = (this.start + 1) % this.capacity;
  }

  /** The number of events kept. */
  get size(): number {
    return this.events.length;
  }

  /** The seq of the oldest event kept, or undefined when empty. */
  get oldestSeq(): number | undefined {
    return this.at(0)?.seq;
  }

  /** Events with seq greater than `seq`, oldest first. */
  after(seq: number): ConversationEvent[] {
    const result: ConversationEvent[] = [];
    for (let offset = 0; offset < this.events.length; offset += 1) {
      const event = this.at(offset);
      if (event !== undefined && event.seq > seq) result.push(event);
    }
    return result;
  }

  /** The newest kept event matching `predicate`. */
  findLast(predicate: (event: ConversationEvent) => boolean): ConversationEvent | undefined {
    for (let offset = this.events.length - 1; offset >= 0; offset -= 1) {
      const event = this.at(offset);
      if (event !== undefined && predicate(event)) return event;
    }
    return undefined;
  }

  clear(): void {
    this.events.length = 0;
    this.start = 0;
  }

  /** The event `offset` places after the oldest. */
  private at(offset: number): ConversationEvent | undefined {
    return this.events[(this.start + offset) % this.events.length];
  }
}
