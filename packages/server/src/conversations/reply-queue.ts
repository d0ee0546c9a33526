import type { ConversationIdentity } from '../storage/store.js';

/** Why a generation was stopped early; becomes the reply's stored status. */
export type StopReason = 'cancelled' | 'interrupted';

/** A job's handle on its own run: the signal to honour and a way to name its reply. */
export interface GenerationContext {
  signal: AbortSignal;
  /** Called once the reply row exists, so `cancel(replyId)` can find it. */
  setReplyId(replyId: number): void;
}

/** A slot taken in a {@link ReplyQueue} by {@link ReplyQueue.reserve}. */
export interface QueueReservation<TJob> {
  /**
   * Whether nothing ran, waited or was reserved when this slot was taken: its job will start as
   * soon as it is added (unless the queue is stopped meanwhile).
   */
  readonly first: boolean;
  /** Adds the job into the reserved slot (in the order slots are filled, not reserved). */
  add(job: TJob): void;
  /** Gives the slot back unused. */
  release(): void;
}

/**
 * The replies of one conversation, generated one at a time in arrival order. One interface for
 * both implementations, chosen by the composition root: the in-process {@link GenerationQueue}
 * of a single node, and the cluster's queue shared through Redis, where whichever node holds the
 * conversation's generation lease runs the jobs every node added.
 */
export interface ReplyQueue<TJob> {
  /** Whether this process generates, or is about to generate, a reply of the conversation. */
  readonly isBusy: boolean;
  /**
   * Takes a slot for a job that will be known later (after an await), so two callers checking
   * at the same time cannot both get the last slot; `undefined` when the queue is full (the
   * running job, the waiting ones and the reserved slots together reach `maxQueued` plus one).
   */
  reserve(): Promise<QueueReservation<TJob> | undefined>;
  /** Stops the running reply (only if it is `replyId`, when given); false when none matched. */
  cancel(replyId?: number): Promise<boolean>;
  /** Drops waiting jobs, stops the running one with `reason`, resolves once it has settled. */
  stopAll(reason: StopReason): Promise<void>;
  /** Resolves when this process runs nothing of the conversation. */
  drained(): Promise<void>;
  /**
   * For shutdown: stops what this process generates (stored as `interrupted`) and leaves the
   * waiting jobs to whoever continues the conversation; on a single node that is `stopAll`.
   */
  relinquish(): Promise<void>;
  /** The conversation left this process's memory: lets go of what the queue holds. */
  close(): void;
}

/** What a {@link ReplyQueueFactory} builds a queue for. */
export interface ReplyQueueTarget<TJob> {
  identity: ConversationIdentity;
  key: string;
  conversationId: number;
  maxQueued: number;
  run: (job: TJob, context: GenerationContext) => Promise<void>;
  /** Receives what `run` threw; the queue carries on with the next job. */
  onError: (error: unknown, job: TJob) => void;
  /**
   * Ends the replies a dead process left in progress (cluster only: called by the node that took
   * over the conversation's generation, before it runs the jobs left waiting).
   */
  recoverAbandoned: () => Promise<void>;
}

/** Builds each conversation's reply queue: chosen by the composition root. */
export type ReplyQueueFactory<TJob> = (target: ReplyQueueTarget<TJob>) => ReplyQueue<TJob>;
