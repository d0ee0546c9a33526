import type { ConversationEvent } from './conversation-event.js';

/** The newest `capacity` events of a conversation, for clients resuming with `last_seq`. */
export class ReplayBuffer {
  private readonly events: (ConversationEvent | undefined)[];
  private start = 0;
  private length = 0;

  constructor(private readonly capacity: number) {
    this.events = new Array<ConversationEvent | undefined>(capacity);
  }

  push(event: ConversationEvent): void {
    const index = (this.start + this.length) % this.capacity;
    this.events[index] = event;
    if (this.length < this.capacity) {
      this.length += 1;
    } else {
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The seq of the oldest event kept, or undefined when empty. */
  get oldestSeq(): number | undefined {
    return this.length === 0 ? undefined : this.events[this.start]?.seq;
  }

  /** Events with seq greater than `seq`, oldest first. */
  after(seq: number): ConversationEvent[] {
    const result: ConversationEvent[] = [];
    for (let offset = 0; offset < this.length; offset += 1) {
      const event = this.events[(this.start + offset) % this.capacity];
      if (event !== undefined && event.seq > seq) result.push(event);
    }
    return result;
  }

  /** The newest kept event matching `predicate`. */
  findLast(predicate: (event: ConversationEvent) => boolean): ConversationEvent | undefined {
    for (let offset = this.length - 1; offset >= 0; offset -= 1) {
      const event = this.events[(this.start + offset) % this.capacity];
      if (event !== undefined && predicate(event)) return event;
    }
    return undefined;
  }

  clear(): void {
    this.events.fill(undefined);
    this.start = 0;
    this.length = 0;
  }
}
