import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stopChild, trackChild } from '../child-processes.js';
import type { ConnectSpec } from '../targets/target.js';
import type {
  BroadcastResult,
  CollectResult,
  ConnectResult,
  MessageLoopResult,
  ReplyMeasurement,
  ResumeResult,
  StreamMode,
  WaitRepliesResult,
  WorkerCommand,
  WorkerMessage,
  WorkerProgress,
} from './worker-messages.js';

const WORKER_MAIN = fileURLToPath(new URL('./load-worker.js', import.meta.url));

/** Extra time a worker gets past a command's own deadline before the command counts as hung. */
const ANSWER_GRACE_MS = 30_000;

/** Options for {@link WorkerPool.connect}. */
export interface PoolConnectOptions {
  spec: ConnectSpec;
  /** One connection per session name, spread over the workers. */
  sessions: string[];
  streamMode: StreamMode;
  sourceAddresses: number;
  /** Handshakes in flight at once, per worker. */
  concurrency: number;
  deadline: number;
}

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** One forked load worker and its outstanding requests. */
class Worker {
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  progress: WorkerProgress = { open: 0, chunks: 0, finals: 0, broadcasts: 0 };

  constructor(readonly child: ChildProcess) {
    child.on('message', (message: WorkerMessage) => this.receive(message));
    child.once('exit', (code, signal) => {
      for (const pending of this.pending.values()) {
        clearTimeout(pending.timer);
        pending.reject(new Error(`load worker exited (${code ?? signal})`));
      }
      this.pending.clear();
    });
  }

  request<Result>(command: WorkerCommand, timeoutMs: number): Promise<Result> {
    const requestId = this.nextRequestId++;
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`load worker did not answer ${command.type} in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(requestId, {
        resolve: (result) => resolve(result as Result),
        reject,
        timer,
      });
      this.child.send({ ...command, requestId });
    });
  }

  private receive(message: WorkerMessage): void {
    if (message.type === 'progress') {
      this.progress = message.progress;
      return;
    }
    const pending = this.pending.get(message.requestId);
    if (pending === undefined) return;
    this.pending.delete(message.requestId);
    clearTimeout(pending.timer);
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(new Error(`load worker failed: ${message.error}`));
  }
}

function timeoutFor(deadline: number): number {
  return Math.max(0, deadline - Date.now()) + ANSWER_GRACE_MS;
}

/**
 * The load generator: several forked worker processes holding the client connections, so the
 * load never runs inside a measured server and no single process hits its open-file limit.
 */
export class WorkerPool {
  private constructor(private readonly workers: Worker[]) {}

  /** Forks `count` workers. */
  static start(count: number): WorkerPool {
    const workers = Array.from({ length: Math.max(1, count) }, () => {
      const child = trackChild(
        fork(WORKER_MAIN, [], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          execArgv: ['--max-old-space-size=8192'],
        }),
      );
      return new Worker(child);
    });
    return new WorkerPool(workers);
  }

  /** How many worker processes there are. */
  get size(): number {
    return this.workers.length;
  }

  /** The workers' counters, added up. */
  progress(): WorkerProgress {
    const total: WorkerProgress = { open: 0, chunks: 0, finals: 0, broadcasts: 0 };
    for (const worker of this.workers) {
      total.open += worker.progress.open;
      total.chunks += worker.progress.chunks;
      total.finals += worker.progress.finals;
      total.broadcasts += worker.progress.broadcasts;
    }
    return total;
  }

  /** Opens the connections, split in contiguous shares over the workers. */
  async connect(options: PoolConnectOptions): Promise<ConnectResult> {
    const share = Math.ceil(options.sessions.length / this.workers.length);
    const results = await Promise.all(
      this.workers.map((worker, position) =>
        worker.request<ConnectResult>(
          {
            type: 'connect',
            spec: options.spec,
            sessions: options.sessions.slice(position * share, (position + 1) * share),
            firstIndex: position * share,
            sourceAddresses: options.sourceAddresses,
            streamMode: options.streamMode,
            concurrency: options.concurrency,
            deadline: options.deadline,
          },
          timeoutFor(options.deadline),
        ),
      ),
    );
    return {
      opened: results.reduce((sum, result) => sum + result.opened, 0),
      failed: results.reduce((sum, result) => sum + result.failed, 0),
      firstError: results.find((result) => result.firstError !== undefined)?.firstError,
    };
  }

  /** Every connection sends one message expecting a reply of `expectedChunks`. */
  async sendMessages(expectedChunks: number): Promise<void> {
    await this.all({ type: 'send-messages', expectedChunks }, Date.now() + 10_000);
  }

  /**
   * Every connection sends `messages` messages, each as soon as the previous reply is final;
   * resolves with the workers' results added up once all are done or the deadline passed.
   */
  async messageLoop(options: {
    messages: number;
    expectedChunks: number;
    deadline: number;
  }): Promise<MessageLoopResult> {
    const results = await this.all<MessageLoopResult>(
      { type: 'message-loop', ...options },
      options.deadline,
    );
    return {
      completed: results.reduce((sum, result) => sum + result.completed, 0),
      imperfect: results.reduce((sum, result) => sum + result.imperfect, 0),
      unfinished: results.reduce((sum, result) => sum + result.unfinished, 0),
      startedAt: Math.min(...results.map((result) => result.startedAt)),
      finishedAt: Math.max(...results.map((result) => result.finishedAt)),
      ackMs: results.flatMap((result) => result.ackMs),
      replyMs: results.flatMap((result) => result.replyMs),
    };
  }

  /** Waits until every reply has `minimumChunks` chunks (undefined: is final), or the deadline. */
  async waitReplies(
    minimumChunks: number | undefined,
    deadline: number,
  ): Promise<WaitRepliesResult> {
    const results = await this.all<WaitRepliesResult>(
      { type: 'wait-replies', minimumChunks, deadline },
      deadline,
    );
    return {
      satisfied: results.reduce((sum, result) => sum + result.satisfied, 0),
      total: results.reduce((sum, result) => sum + result.total, 0),
    };
  }

  /** Cuts and resumes every connection at once. */
  async terminateAndResume(deadline: number): Promise<ResumeResult> {
    const results = await this.all<ResumeResult>(
      { type: 'terminate-and-resume', deadline },
      deadline,
    );
    return {
      resumed: results.reduce((sum, result) => sum + result.resumed, 0),
      failed: results.reduce((sum, result) => sum + result.failed, 0),
      firstError: results.find((result) => result.firstError !== undefined)?.firstError,
      resumeMs: results.flatMap((result) => result.resumeMs),
    };
  }

  /** Waits until every connection received the broadcast `marker`, or the deadline. */
  async awaitBroadcast(marker: string, deadline: number): Promise<BroadcastResult> {
    const results = await this.all<BroadcastResult>(
      { type: 'await-broadcast', marker, deadline },
      deadline,
    );
    return {
      received: results.reduce((sum, result) => sum + result.received, 0),
      total: results.reduce((sum, result) => sum + result.total, 0),
      receivedAt: results.flatMap((result) => result.receivedAt),
    };
  }

  /** Every connection's reply measurements. */
  async collect(): Promise<ReplyMeasurement[]> {
    const results = await this.all<CollectResult>({ type: 'collect' }, Date.now() + 10_000);
    return results.flatMap((result) => result.replies);
  }

  /** Closes every connection. */
  async closeAll(): Promise<void> {
    await this.all({ type: 'close-all' }, Date.now() + 10_000);
  }

  /** Stops every worker. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => stopChild(worker.child, 2_000)));
  }

  private all<Result>(command: WorkerCommand, deadline: number): Promise<Result[]> {
    return Promise.all(
      this.workers.map((worker) => worker.request<Result>(command, timeoutFor(deadline))),
    );
  }
}
