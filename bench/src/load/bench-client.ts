import { performance } from 'node:perf_hooks';
import { benchChunkIndex } from '../bench-chunk.js';
import { DeliveryTracker, isPerfectDelivery } from '../delivery-tracker.js';
import type { ReplyMeasurement, StreamMode, WorkerProgress } from './worker-messages.js';

/** Wall-clock epoch milliseconds with sub-millisecond resolution, comparable across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The state of {@link BenchClient.runMessages}. */
interface MessageLoop {
  remaining: number;
  expectedChunks: number;
  outcome: MessageLoopOutcome;
  resolve: () => void;
}

/** What one connection's message loop measured. */
export interface MessageLoopOutcome {
  completed: number;
  imperfect: number;
  ackMs: number[];
  replyMs: number[];
  firstSentAt: number;
  lastFinalAt: number;
}

/** Options every client dialect takes. */
export interface BenchClientOptions {
  session: string;
  localAddress: string;
  streamMode: StreamMode;
  /** Counters shared by all clients of a worker. */
  progress: WorkerProgress;
}

/**
 * One load-generating client: a connection in one conversation that sends a message, checks
 * the reply chunk by chunk and records when things arrived. The dialects (plain WebSocket,
 * Socket.IO) only differ in how they connect, cut and resume; frames are handled here.
 */
export abstract class BenchClient {
  /** Largest `seq` processed, for resuming. */
  protected lastSeq: number | undefined;
  private tracker: DeliveryTracker | undefined;
  private sentAt = Number.NaN;
  private firstChunkAt = Number.NaN;
  private finalAt = Number.NaN;
  private bytes = 0;
  private frames = 0;
  private resyncRequired = 0;
  private readonly broadcasts = new Map<string, number>();
  /** Set while waiting for the first frame after a reconnect. */
  private resumeStartedAt: number | undefined;
  private resumedAfterMs: number | undefined;
  private onResumed: (() => void) | undefined;
  /** Set while {@link runMessages} sends messages one after another. */
  private loop: MessageLoop | undefined;
  private ackAt = Number.NaN;

  constructor(protected readonly options: BenchClientOptions) {}

  /** Connects; resolves once the server said the connection is ready. */
  abstract open(timeoutMs: number): Promise<void>;
  /** Sends a JSON frame. */
  protected abstract sendFrame(frame: Record<string, unknown>): void;
  /** Cuts the connection with no close handshake, as a network failure would. */
  protected abstract cut(): void;
  /** Reconnects after {@link cut}, resuming the conversation the way the dialect supports. */
  protected abstract reconnect(timeoutMs: number): Promise<void>;
  /** Closes politely. */
  abstract close(): void;

  /**
   * Sends `messages` chat messages, each as soon as the previous reply's final frame arrived;
   * resolves after the last reply or when `timeoutMs` ran out (the outcome then counts fewer).
   */
  runMessages(
    messages: number,
    expectedChunks: number,
    timeoutMs: number,
  ): Promise<MessageLoopOutcome> {
    const outcome: MessageLoopOutcome = {
      completed: 0,
      imperfect: 0,
      ackMs: [],
      replyMs: [],
      firstSentAt: Number.NaN,
      lastFinalAt: Number.NaN,
    };
    if (messages <= 0) return Promise.resolve(outcome);
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.loop = undefined;
        resolve(outcome);
      };
      const timer = setTimeout(finish, timeoutMs);
      this.loop = { remaining: messages, expectedChunks, outcome, resolve: finish };
      this.sendMessage(expectedChunks);
      outcome.firstSentAt = this.sentAt;
    });
  }

  /** Sends one chat message and starts checking a reply of `expectedChunks` chunks. */
  sendMessage(expectedChunks: number): void {
    this.tracker = new DeliveryTracker(expectedChunks);
    this.ackAt = Number.NaN;
    this.sentAt = now();
    this.firstChunkAt = Number.NaN;
    this.finalAt = Number.NaN;
    this.bytes = 0;
    this.frames = 0;
    this.sendFrame({ type: 'message', message: [{ type: 'Plain', text: 'bench' }] });
  }

  private continueLoop(loop: MessageLoop, tracker: DeliveryTracker): void {
    const { outcome } = loop;
    outcome.lastFinalAt = this.finalAt;
    outcome.ackMs.push(this.ackAt - this.sentAt);
    outcome.replyMs.push(this.finalAt - this.sentAt);
    const report = tracker.report();
    if (report.expected === loop.expectedChunks && isPerfectDelivery(report))
      outcome.completed += 1;
    else outcome.imperfect += 1;
    loop.remaining -= 1;
    if (loop.remaining > 0) this.sendMessage(loop.expectedChunks);
    else loop.resolve();
  }

  /** Distinct chunks of the current reply received so far. */
  get distinctChunks(): number {
    return this.tracker?.distinctChunks ?? 0;
  }

  /** Whether the current reply's final frame arrived. */
  get isFinal(): boolean {
    return this.tracker?.isFinal ?? false;
  }

  /** When the broadcast with this text arrived (epoch ms), if it did. */
  broadcastReceivedAt(marker: string): number | undefined {
    return this.broadcasts.get(marker);
  }

  /** Cuts the connection and reconnects; resolves with ms until the first frame came back. */
  async cutAndResume(timeoutMs: number): Promise<number> {
    this.resumeStartedAt = now();
    this.resumedAfterMs = undefined;
    // The first frame after the reconnect (`connected`, a replayed chunk or a live one).
    const resumed = new Promise<void>((resolve) => (this.onResumed = resolve));
    this.cut();
    await this.reconnect(timeoutMs);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('no frame after reconnecting')), timeoutMs);
    });
    try {
      await Promise.race([resumed, timedOut]);
    } finally {
      clearTimeout(timer);
    }
    return this.resumedAfterMs ?? Number.NaN;
  }

  /** The measurements of the current reply. */
  measurement(): ReplyMeasurement {
    const delivery = (this.tracker ?? new DeliveryTracker(0)).report();
    return {
      sentAt: this.sentAt,
      firstChunkAt: this.firstChunkAt,
      finalAt: this.finalAt,
      delivery,
      bytes: this.bytes,
      frames: this.frames,
      resyncRequired: this.resyncRequired,
    };
  }

  /** Marks that the connection is (back) up; counts as the resume point for dialects without frames. */
  protected markResumed(): void {
    if (this.resumeStartedAt !== undefined && this.resumedAfterMs === undefined) {
      this.resumedAfterMs = now() - this.resumeStartedAt;
      this.onResumed?.();
      this.onResumed = undefined;
    }
  }

  /** Handles one received frame of `wireBytes` bytes. */
  protected handleFrame(frame: Record<string, unknown>, wireBytes: number): void {
    const receivedAt = now();
    this.bytes += wireBytes;
    this.frames += 1;
    this.markResumed();
    const type = frame.type;
    if (type === 'broadcast') {
      this.broadcasts.set(String(frame.message), receivedAt);
      this.options.progress.broadcasts += 1;
      return;
    }
    if (type === 'resync_required') {
      this.resyncRequired += 1;
      return;
    }
    const seq = frame.seq;
    if (typeof seq === 'number') {
      this.lastSeq = Math.max(this.lastSeq ?? 0, seq);
      this.tracker?.recordSeq(seq);
    }
    if (type === 'user_message' && Number.isNaN(this.ackAt)) this.ackAt = receivedAt;
    if (type !== 'response' || this.tracker === undefined) return;
    const data = frame.data as { delta?: unknown; is_final?: unknown } | undefined;
    if (data?.is_final === true) {
      this.tracker.recordFinal();
      this.finalAt = receivedAt;
      this.options.progress.finals += 1;
      if (this.loop !== undefined) this.continueLoop(this.loop, this.tracker);
      return;
    }
    if (Number.isNaN(this.firstChunkAt)) this.firstChunkAt = receivedAt;
    this.tracker.recordChunk(
      typeof data?.delta === 'string' ? benchChunkIndex(data.delta) : undefined,
    );
    this.options.progress.chunks += 1;
  }
}
