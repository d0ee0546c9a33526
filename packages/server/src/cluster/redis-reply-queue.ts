import { randomUUID } from 'node:crypto';
import type {
  QueueReservation,
  ReplyQueue,
  ReplyQueueTarget,
  StopReason,
} from '../conversations/reply-queue.js';
import { RunningGeneration } from '../conversations/running-generation.js';
import type { Logger } from '../logging/logger.js';
import { clusterUnavailable } from './cluster-bus.js';
import type { GenerationCommands } from './redis-generation-commands.js';

/** How a job travels through Redis: encoded by the node that adds it, decoded by the one running it. */
export interface JobCodec<TJob> {
  encode(job: TJob): string;
  /** The job, or undefined when the text is not one (logged and skipped). */
  decode(text: string): TJob | undefined;
}

/** A cancel or stop for the reply a conversation's lease holder runs. */
export interface HolderRequest {
  conversationId: number;
  action: 'cancel' | 'stop';
  replyId?: number;
  reason?: StopReason;
}

/** What the queues of one node share: their hub. */
export interface ReplyQueueHubLink {
  /** This process's lease token (`<node id>/<random>`). */
  readonly token: string;
  readonly leaseMs: number;
  /** Set once the node began shutting down: queues finish their running job and hand over. */
  readonly shuttingDown: boolean;
  /** Asks the process holding `token` to cancel or stop the conversation's running reply. */
  askHolder(token: string, request: HolderRequest): Promise<boolean>;
  forget(conversationId: number, queue: RedisReplyQueue<unknown>): void;
}

/** Options for {@link RedisReplyQueue}. */
export interface RedisReplyQueueOptions<TJob> {
  target: ReplyQueueTarget<TJob>;
  commands: GenerationCommands;
  codec: JobCodec<TJob>;
  hub: ReplyQueueHubLink;
  logger: Logger;
}

/** Wait before asking Redis again when it could not be reached while running a queue. */
const RETRY_MS = 500;

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A conversation's reply queue shared by every node through Redis. Any node takes a slot and
 * adds a job; the node process holding the conversation's lease runs the jobs one at a time, in
 * the order they were added, whichever node added them. The holder renews its lease while it
 * runs; when it dies, the lease lapses and another node takes the conversation over: it ends
 * the reply left in progress as `interrupted` and runs the jobs still waiting. Cancel and stop
 * requests for a reply running elsewhere go to its holder over the cluster bus.
 */
export class RedisReplyQueue<TJob> implements ReplyQueue<TJob> {
  private running: RunningGeneration | undefined;
  private driving: Promise<void> | undefined;
  private relinquishing = false;

  /** The conversation's identity as a node taking it over reads it. */
  private readonly identity: string;

  constructor(private readonly options: RedisReplyQueueOptions<TJob>) {
    const { pipelineUuid, sessionType, key } = options.target.identity;
    // Just the identity's own fields: callers' objects may carry more (the session's name).
    this.identity = JSON.stringify({ pipelineUuid, sessionType, key });
  }

  get isBusy(): boolean {
    return this.driving !== undefined;
  }

  async reserve(): Promise<QueueReservation<TJob> | undefined> {
    const { commands, target } = this.options;
    const slotId = randomUUID();
    let occupied: number | undefined;
    try {
      occupied = await commands.reserve(slotId, target.maxQueued + 1);
    } catch (error) {
      throw clusterUnavailable(reasonOf(error));
    }
    if (occupied === undefined) return undefined;
    let settled = false;
    return {
      first: occupied === 0,
      add: (job) => {
        if (settled) return;
        settled = true;
        this.add(slotId, job);
      },
      release: () => {
        if (settled) return;
        settled = true;
        commands.release(slotId).catch((error: unknown) => {
          // The slot lapses by itself after a while.
          this.options.logger.warn({ err: error }, 'could not give a reply queue slot back');
        });
      },
    };
  }

  async cancel(replyId?: number): Promise<boolean> {
    if (this.running !== undefined) return this.cancelLocal(replyId);
    const holder = await this.holder();
    if (holder === undefined || holder === this.options.hub.token) return false;
    return this.options.hub.askHolder(holder, {
      conversationId: this.options.target.conversationId,
      action: 'cancel',
      ...(replyId === undefined ? {} : { replyId }),
    });
  }

  async stopAll(reason: StopReason): Promise<void> {
    try {
      await this.options.commands.clearWaiting();
    } catch (error) {
      throw clusterUnavailable(reasonOf(error));
    }
    if (await this.stopLocal(reason)) return;
    const holder = await this.holder();
    if (holder === undefined || holder === this.options.hub.token) return;
    await this.options.hub.askHolder(holder, {
      conversationId: this.options.target.conversationId,
      action: 'stop',
      reason,
    });
  }

  async drained(): Promise<void> {
    while (this.driving !== undefined) await this.driving;
  }

  async relinquish(): Promise<void> {
    this.relinquishing = true;
    await this.stopLocal('interrupted');
    await this.drained();
  }

  close(): void {
    this.options.hub.forget(this.options.target.conversationId, this as RedisReplyQueue<unknown>);
  }

  /** Cancels the reply this process runs (only `replyId`, when given); false when none matched. */
  cancelLocal(replyId?: number): boolean {
    return this.running?.cancel(replyId) ?? false;
  }

  /** Stops the reply this process runs and waits until it settled; false when none ran. */
  async stopLocal(reason: StopReason): Promise<boolean> {
    const running = this.running;
    if (running === undefined) return false;
    await running.stop(reason);
    return true;
  }

  /**
   * Runs the queue after this process took the lease over from a dead one: first ends the
   * replies it left in progress.
   */
  adopt(): void {
    this.drive(true);
  }

  private add(slotId: string, job: TJob): void {
    const { commands, codec, target, logger } = this.options;
    commands.add(slotId, codec.encode(job), this.identity).then(
      (holder) => {
        if (holder) this.drive(false);
      },
      (error: unknown) => {
        // Stored and acknowledged, but Redis went away between the slot and the job: the message
        // stays in the history, unanswered. Rare (the slot was just taken); say so loudly.
        logger.error(
          { err: error, conversation: target.key },
          'a stored message could not be queued for its reply (Redis unavailable); it will not be answered',
        );
      },
    );
  }

  private drive(recover: boolean): void {
    if (this.driving !== undefined) return;
    this.driving = this.loop(recover).finally(() => {
      this.driving = undefined;
    });
  }

  private async loop(recover: boolean): Promise<void> {
    const { commands, codec, target, hub, logger } = this.options;
    const renewal = setInterval(() => this.renew(), Math.floor(hub.leaseMs / 3));
    try {
      if (recover) {
        await target.recoverAbandoned().catch((error: unknown) => {
          logger.error(
            { err: error, conversation: target.key },
            'could not end the replies a stopped node left in progress',
          );
        });
      }
      for (;;) {
        if (hub.shuttingDown || this.relinquishing) {
          await commands.releaseLease().catch(() => undefined);
          return;
        }
        let next;
        try {
          next = await commands.takeNext();
        } catch (error) {
          logger.warn({ err: error, conversation: target.key }, 'could not reach the reply queue');
          await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
          continue;
        }
        if (next.kind !== 'job') return;
        const job = codec.decode(next.job);
        if (job === undefined) {
          logger.error({ conversation: target.key }, 'dropped a malformed reply job');
          continue;
        }
        await this.runOne(job);
      }
    } finally {
      clearInterval(renewal);
    }
  }

  private async runOne(job: TJob): Promise<void> {
    const running = new RunningGeneration();
    this.running = running;
    running.done = this.options.target.run(job, running.context).then(
      () => undefined,
      (error: unknown) => this.options.target.onError(error, job),
    );
    try {
      await running.done;
    } finally {
      this.running = undefined;
    }
  }

  private renew(): void {
    const { commands, target, logger } = this.options;
    commands.renew().then(
      (held) => {
        if (held) return;
        // Another node took the conversation over (this one was cut off longer than the lease):
        // it has ended this reply as interrupted and runs the rest; stop generating it twice.
        logger.warn({ conversation: target.key }, 'lost the generation lease to another node');
        void this.running?.stop('interrupted');
      },
      () => undefined,
    );
  }

  private async holder(): Promise<string | undefined> {
    try {
      return await this.options.commands.holder();
    } catch (error) {
      throw clusterUnavailable(reasonOf(error));
    }
  }
}
