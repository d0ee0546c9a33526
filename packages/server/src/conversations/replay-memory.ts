import type { ConversationEvent } from './conversation-event.js';

/** One event kept by a replay buffer, as the process-wide account sees it. */
export interface ReplayEntry {
  readonly event: ConversationEvent;
  readonly bytes: number;
  /** False once its buffer let it go; the process-wide queue then skips it. */
  kept: boolean;
  /** The buffer that keeps it, asked to let it go when the process is over budget. */
  readonly owner: { evict(entry: ReplayEntry): void };
}

/** Options for {@link ReplayMemory}. */
export interface ReplayMemoryOptions {
  /** Bytes all replay buffers of the process may keep together. */
  budgetBytes: number;
}

/**
 * The process-wide account of what every conversation's replay buffer keeps. Events are queued
 * in the order they were kept; when the total passes the budget, the oldest event of the whole
 * process goes first (it is always the oldest of its own buffer, since each buffer also lets
 * events go oldest first). O(1) per event: an entry let go by its buffer stays in the queue until
 * it reaches the front or the queue is compacted, which happens when released entries
 * outnumber the kept ones.
 */
export class ReplayMemory {
  private queue: ReplayEntry[] = [];
  private head = 0;
  private total = 0;
  private keptCount = 0;

  constructor(private readonly options: ReplayMemoryOptions) {}

  /** Bytes kept by every buffer together. */
  get bytes(): number {
    return this.total;
  }

  /** Entries in the process-wide queue, kept or awaiting compaction. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** Counts an entry a buffer just kept, then lets the oldest go while over budget. */
  add(entry: ReplayEntry): void {
    this.queue.push(entry);
    this.total += entry.bytes;
    this.keptCount += 1;
    while (this.total > this.options.budgetBytes && this.head < this.queue.length) {
      const oldest = this.queue[this.head];
      this.head += 1;
      if (oldest?.kept === true) oldest.owner.evict(oldest);
    }
    this.compact();
  }

  /** A buffer let `entry` go (evicted, cleared or closed). */
  released(entry: ReplayEntry): void {
    this.total -= entry.bytes;
    this.keptCount -= 1;
  }

  private compact(): void {
    const queued = this.queue.length - this.head;
    if (queued > 2 * this.keptCount + 64) {
      this.queue = this.queue.slice(this.head).filter((entry) => entry.kept);
      this.head = 0;
    } else if (this.head > 1_024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
