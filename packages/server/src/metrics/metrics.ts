import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one server instance. Each instance has its own registry so several
 * servers in one process (tests) do not mix their numbers.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly connections = new Gauge({
    name: 'botwire_connections',
    help: 'Open WebSocket connections',
    registers: [this.registry],
  });
  readonly pendingConnections = new Gauge({
    name: 'botwire_pending_connections',
    help: 'WebSocket sockets upgraded but not yet authenticated and joined',
    registers: [this.registry],
  });
  /** Reads the memory figures below at scrape time; set once by the composition root. */
  private memorySource: { replayBytes(): number; liveConversations(): number } | undefined;
  readonly replayBytes = new Gauge({
    name: 'botwire_replay_bytes',
    help: 'Bytes of events kept for resuming, all conversations together (as counted against websocket.replayTotalBytes)',
    registers: [this.registry],
    collect: () => {
      if (this.memorySource !== undefined) this.replayBytes.set(this.memorySource.replayBytes());
    },
  });
  readonly liveConversations = new Gauge({
    name: 'botwire_live_conversations',
    help: 'Conversations held in memory (limits.maxLiveConversations)',
    registers: [this.registry],
    collect: () => {
      if (this.memorySource !== undefined) {
        this.liveConversations.set(this.memorySource.liveConversations());
      }
    },
  });
  /** Frames received since the last scrape, by type; see {@link countFrameIn}. */
  private readonly framesInUncollected = new Map<string, number>();
  readonly framesIn = new Counter({
    name: 'botwire_frames_in_total',
    help: 'Frames received from clients, by type',
    labelNames: ['type'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [type, count] of this.framesInUncollected) this.framesIn.inc({ type }, count);
      this.framesInUncollected.clear();
    },
  });
  /** Frames counted since the last scrape; see {@link countFrameOut}. */
  private framesOutUncollected = 0;
  readonly framesOut = new Counter({
    name: 'botwire_frames_out_total',
    help: 'Conversation events sent to clients (one per recipient)',
    registers: [this.registry],
    collect: () => {
      const count = this.framesOutUncollected;
      this.framesOutUncollected = 0;
      if (count > 0) this.framesOut.inc(count);
    },
  });
  /** Replies finished since the last scrape, by status; see {@link countReply}. */
  private readonly repliesUncollected = new Map<string, number>();
  readonly replies = new Counter({
    name: 'botwire_replies_total',
    help: 'Replies finished, by final status',
    labelNames: ['status'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [status, count] of this.repliesUncollected) this.replies.inc({ status }, count);
      this.repliesUncollected.clear();
    },
  });
  readonly errors = new Counter({
    name: 'botwire_errors_total',
    help: 'Errors reported to clients, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly replyLatency = new Histogram({
    name: 'botwire_reply_duration_seconds',
    help: 'Time from a stored user message to the final chunk of its reply',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  readonly firstChunkLatency = new Histogram({
    name: 'botwire_reply_first_chunk_seconds',
    help: 'Time from a stored user message to the first chunk of its reply',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'botwire_process_' });
  }

  /** Where {@link replayBytes} and {@link liveConversations} are read from. */
  observeMemory(source: { replayBytes(): number; liveConversations(): number }): void {
    this.memorySource = source;
  }

  /**
   * Counts one conversation event sent to one connection. This runs once per recipient of every
   * reply chunk, so it only adds to a number; the counter takes it up when scraped.
   */
  countFrameOut(): void {
    this.framesOutUncollected += 1;
  }

  /**
   * Counts one frame received, of `type`. Like {@link countFrameOut}, it only adds to a number
   * per type: a labelled counter's `inc` checks and hashes its labels on every call, which cost
   * more than the rest of the frame's bookkeeping.
   */
  countFrameIn(type: string): void {
    this.framesInUncollected.set(type, (this.framesInUncollected.get(type) ?? 0) + 1);
  }

  /** Counts one reply finished with `status`, taken up by the counter when scraped. */
  countReply(status: string): void {
    this.repliesUncollected.set(status, (this.repliesUncollected.get(status) ?? 0) + 1);
  }
}
