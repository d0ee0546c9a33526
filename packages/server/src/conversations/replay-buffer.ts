import type { ConversationEvent } from './conversation-event.js';
import type { ReplayEntry, ReplayMemory } from './replay-memory.js';

/** Options for {@link ReplayBuffer} besides its capacity in events. */
export interface ReplayBufferOptions {
  /** Bytes this buffer may keep; the oldest events go first when it would keep more. */
  budgetBytes?: number;
  /** The process-wide account every buffer's events are counted in. */
  memory?: ReplayMemory;
}

/**
 * The newest events of a conversation, for clients resuming with `last_seq`: at most `capacity`
 * events and at most `budgetBytes` of them (see {@link ConversationEvent.retainedBytes}), and
 * fewer when the process-wide {@link ReplayMemory} is over its budget. Oldest go first; a client
 * that resumes from before the oldest kept event is told to resync.
 *
 * Storage grows with the events actually kept: every connected conversation has a buffer, and
 * most idle ones hold a handful of events, so nothing is reserved up front. O(1) per event.
 */
export class ReplayBuffer {
  private entries: (ReplayEntry | undefined)[] = [];
  /** Index of the oldest kept entry; the slots before it are spent. */
  private head = 0;
  private bytesKept = 0;
  private readonly budgetBytes: number;

  constructor(
    private readonly capacity: number,
    private readonly options: ReplayBufferOptions = {},
  ) {
    this.budgetBytes = options.budgetBytes ?? Number.POSITIVE_INFINITY;
  }

  push(event: ConversationEvent): void {
    const entry: ReplayEntry = { event, bytes: event.retainedBytes, kept: true, owner: this };
    this.entries.push(entry);
    this.bytesKept += entry.bytes;
    // Counted first, so every entry this buffer lets go below was counted; the account may let
    // this buffer's (or another's) oldest go right away.
    this.options.memory?.add(entry);
    // An event larger than the whole budget is not kept at all.
    while (this.size > this.capacity || (this.bytesKept > this.budgetBytes && this.size > 0)) {
      this.dropOldest();
    }
  }

  /** The number of events kept. */
  get size(): number {
    return this.entries.length - this.head;
  }

  /** Bytes of the events kept. */
  get bytes(): number {
    return this.bytesKept;
  }

  /** The seq of the oldest event kept, or undefined when empty. */
  get oldestSeq(): number | undefined {
    return this.at(0)?.seq;
  }

  /** Events with seq greater than `seq`, oldest first. */
  after(seq: number): ConversationEvent[] {
    const result: ConversationEvent[] = [];
    for (let offset = 0; offset < this.size; offset += 1) {
      const event = this.at(offset);
      if (event !== undefined && event.seq > seq) result.push(event);
    }
    return result;
  }

  /** The newest kept event matching `predicate`. */
  findLast(predicate: (event: ConversationEvent) => boolean): ConversationEvent | undefined {
    for (let offset = this.size - 1; offset >= 0; offset -= 1) {
      const event = this.at(offset);
      if (event !== undefined && predicate(event)) return event;
    }
    return undefined;
  }

  /** Lets every event go, giving its bytes back to the process-wide account. */
  clear(): void {
    while (this.size > 0) this.dropOldest();
    this.entries = [];
    this.head = 0;
  }

  /** Called by the process-wide account: `entry` is this buffer's oldest and must go. */
  evict(entry: ReplayEntry): void {
    if (this.entries[this.head] === entry) this.dropOldest();
  }

  private dropOldest(): void {
    const entry = this.entries[this.head];
    this.entries[this.head] = undefined;
    this.head += 1;
    if (entry !== undefined) {
      entry.kept = false;
      this.bytesKept -= entry.bytes;
      this.options.memory?.released(entry);
    }
    if (this.head > 32 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** The event `offset` places after the oldest. */
  private at(offset: number): ConversationEvent | undefined {
    return this.entries[this.head + offset]?.event;
  }
}
