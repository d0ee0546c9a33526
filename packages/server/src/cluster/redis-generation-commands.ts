import type { Redis } from 'ioredis';
import type { ScriptedGenerationRedis } from './redis-generation-scripts.js';

/** The names of one conversation's queue under `prefix`, and the cluster's lease index. */
export interface GenerationRedisNames {
  lease: string;
  jobs: string;
  reserved: string;
  running: string;
  identity: string;
  leases: string;
}

/** The cluster-wide index of leases under `prefix`. */
export function leaseIndexName(prefix: string): string {
  return `${prefix}generation-leases`;
}

/** The names of conversation `conversationId`'s queue. */
export function generationRedisNames(prefix: string, conversationId: number): GenerationRedisNames {
  const base = `${prefix}generation:${conversationId}:`;
  return {
    lease: `${base}lease`,
    jobs: `${base}jobs`,
    reserved: `${base}reserved`,
    running: `${base}running`,
    identity: `${base}identity`,
    leases: leaseIndexName(prefix),
  };
}

/** What taking the next job found. */
export type TakeNextOutcome = { kind: 'job'; job: string } | { kind: 'empty' } | { kind: 'lost' };

/** Timings every queue command uses. */
export interface GenerationTimings {
  leaseMs: number;
  /** How long a reserved slot is held for a message being stored. */
  reservationMs: number;
  /** Expiry of the jobs and identity keys, refreshed on every add. */
  keyTtlMs: number;
}

/** The queue commands of one conversation, for one node process (its lease `token`). */
export class GenerationCommands {
  private readonly scripted: ScriptedGenerationRedis;

  constructor(
    private readonly redis: Redis,
    private readonly names: GenerationRedisNames,
    private readonly options: GenerationTimings & { token: string; conversationId: number },
  ) {
    this.scripted = redis as unknown as ScriptedGenerationRedis;
  }

  /** The slots occupied before this one, or undefined when the queue is full. */
  async reserve(slotId: string, capacity: number): Promise<number | undefined> {
    const { jobs, reserved, running } = this.names;
    const occupied = await this.scripted.botwireQueueReserve(
      jobs,
      reserved,
      running,
      slotId,
      capacity,
      this.options.reservationMs,
    );
    return occupied < 0 ? undefined : occupied;
  }

  /** Adds a job into its slot; true when this process now holds the lease. */
  async add(slotId: string, job: string, identity: string): Promise<boolean> {
    const { jobs, reserved, lease, leases } = this.names;
    const { token, leaseMs, conversationId, keyTtlMs } = this.options;
    const owner = await this.scripted.botwireQueueAdd(
      jobs,
      reserved,
      lease,
      leases,
      this.names.identity,
      slotId,
      job,
      token,
      leaseMs,
      conversationId,
      identity,
      keyTtlMs,
    );
    return owner === 1;
  }

  /** Gives a reserved slot back. */
  async release(slotId: string): Promise<void> {
    await this.redis.zrem(this.names.reserved, slotId);
  }

  async takeNext(): Promise<TakeNextOutcome> {
    const { lease, jobs, running, leases } = this.names;
    const { token, leaseMs, conversationId, keyTtlMs } = this.options;
    const [code, job] = await this.scripted.botwireQueueTakeNext(
      lease,
      jobs,
      running,
      leases,
      token,
      leaseMs,
      conversationId,
      keyTtlMs,
    );
    if (code === 1 && job !== undefined) return { kind: 'job', job };
    return code === 2 ? { kind: 'empty' } : { kind: 'lost' };
  }

  /** False when another process holds the lease now. */
  async renew(): Promise<boolean> {
    const { token, leaseMs, conversationId } = this.options;
    const renewed = await this.scripted.botwireQueueRenew(
      this.names.lease,
      this.names.leases,
      token,
      leaseMs,
      conversationId,
    );
    return renewed !== 0;
  }

  /** Gives the lease up, leaving waiting jobs to another node. */
  async releaseLease(): Promise<void> {
    const { lease, running, jobs, leases } = this.names;
    await this.scripted.botwireQueueRelease(
      lease,
      running,
      jobs,
      leases,
      this.options.token,
      this.options.conversationId,
    );
  }

  /** Drops the waiting jobs (a reset). */
  async clearWaiting(): Promise<void> {
    await this.redis.del(this.names.jobs);
  }

  /** The token of the process holding the lease, if any. */
  async holder(): Promise<string | undefined> {
    const token = await this.redis.get(this.names.lease);
    return token ?? undefined;
  }
}

/** The conversations whose lease lapsed (ids), at most `count`. */
export async function lapsedLeases(redis: Redis, prefix: string, count: number): Promise<number[]> {
  const ids = await (redis as unknown as ScriptedGenerationRedis).botwireQueueLapsed(
    leaseIndexName(prefix),
    count,
  );
  return ids.map(Number).filter(Number.isSafeInteger);
}

/** Takes over a lapsed conversation; its identity (JSON) when this process holds the lease now. */
export async function claimLease(
  redis: Redis,
  prefix: string,
  options: { conversationId: number; token: string; leaseMs: number },
): Promise<string | undefined> {
  const names = generationRedisNames(prefix, options.conversationId);
  const [code, identity] = await (redis as unknown as ScriptedGenerationRedis).botwireQueueClaim(
    names.lease,
    names.running,
    names.jobs,
    names.leases,
    names.identity,
    options.token,
    options.leaseMs,
    options.conversationId,
  );
  return code === 1 ? identity : undefined;
}
