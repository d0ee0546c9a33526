import type { Redis } from 'ioredis';
import { APPEND_SCRIPT, INITIALISE_SCRIPT, READ_AFTER_SCRIPT } from './redis-channel-scripts.js';

/** A stream entry as ioredis returns it: `[id, [field, value, ...]]`. */
export type StreamEntry = [id: string, fields: string[]];

/** The Redis names of one conversation. */
export interface ConversationRedisNames {
  seqKey: string;
  eventsKey: string;
  /** The bytes the stream's entries hold (see `APPEND_SCRIPT`). */
  bytesKey: string;
  /** The pub/sub channel its events are published on. */
  liveChannel: string;
}

/** The names of conversation `conversationId` under `prefix`. */
export function conversationRedisNames(
  prefix: string,
  conversationId: number,
): ConversationRedisNames {
  const base = `${prefix}conversation:${conversationId}`;
  return {
    seqKey: `${base}:seq`,
    eventsKey: `${base}:events`,
    bytesKey: `${base}:bytes`,
    liveChannel: `${base}:live`,
  };
}

/** The scripts, registered on a connection by {@link defineChannelScripts}. */
interface ScriptedRedis {
  botwireAppend(
    seqKey: string,
    eventsKey: string,
    bytesKey: string,
    json: string,
    window: number,
    ttlMs: number,
    channel: string,
    budgetBytes: number,
  ): Promise<number | null>;
  botwireInitialise(
    seqKey: string,
    eventsKey: string,
    bytesKey: string,
    floor: number,
    ttlMs: number,
  ): Promise<number>;
  botwireReadAfter(
    seqKey: string,
    eventsKey: string,
    fromSeq: number,
  ): Promise<[string | null, StreamEntry[], StreamEntry[]]>;
}

/** Registers the channel's scripts (EVALSHA, loaded again by ioredis after a Redis restart). */
export function defineChannelScripts(redis: Redis): void {
  redis.defineCommand('botwireAppend', { numberOfKeys: 3, lua: APPEND_SCRIPT });
  redis.defineCommand('botwireInitialise', { numberOfKeys: 3, lua: INITIALISE_SCRIPT });
  redis.defineCommand('botwireReadAfter', { numberOfKeys: 2, lua: READ_AFTER_SCRIPT });
}

/** What the channel of one conversation asks of Redis. */
export class RedisChannelCommands {
  private readonly scripted: ScriptedRedis;

  constructor(
    private readonly redis: Redis,
    private readonly names: ConversationRedisNames,
    private readonly settings: {
      window: number;
      /** Bytes of event JSON the stream may keep, besides the window's count; no limit if absent. */
      budgetBytes?: number;
      ttlMs: number;
    },
  ) {
    this.scripted = redis as unknown as ScriptedRedis;
  }

  /** Appends; resolves to the seq, or null when the seq key must be initialised first. */
  async append(json: string): Promise<number | null> {
    const { seqKey, eventsKey, bytesKey, liveChannel } = this.names;
    const seq = await this.scripted.botwireAppend(
      seqKey,
      eventsKey,
      bytesKey,
      json,
      this.settings.window,
      this.settings.ttlMs,
      liveChannel,
      // Lua reads a number; a very large one stands for no budget.
      this.settings.budgetBytes ?? Number.MAX_SAFE_INTEGER,
    );
    return seq === null ? null : Number(seq);
  }

  /** Sets a missing seq key to `floor` (or the stream's newest seq); resolves to the last seq. */
  async initialise(floor: number): Promise<number> {
    const { seqKey, eventsKey, bytesKey } = this.names;
    return Number(
      await this.scripted.botwireInitialise(
        seqKey,
        eventsKey,
        bytesKey,
        floor,
        this.settings.ttlMs,
      ),
    );
  }

  /** The last seq, the oldest kept entry and the entries from `fromSeq` on, in one atomic read. */
  async readAfter(fromSeq: number): Promise<{
    lastSeq: number | undefined;
    oldest: StreamEntry | undefined;
    entries: StreamEntry[];
  }> {
    const { seqKey, eventsKey } = this.names;
    const [last, oldest, entries] = await this.scripted.botwireReadAfter(
      seqKey,
      eventsKey,
      fromSeq,
    );
    return {
      lastSeq: last === null ? undefined : Number(last),
      oldest: oldest[0],
      entries,
    };
  }

  /** The kept entries from `fromSeq` up to `toSeq` (or the newest). */
  range(fromSeq: number, toSeq: number | undefined): Promise<StreamEntry[]> {
    const end = toSeq === undefined ? '+' : `${toSeq}-0`;
    return this.redis.xrange(this.names.eventsKey, `${fromSeq}-0`, end);
  }

  /** Every kept entry, newest first. */
  newestFirst(): Promise<StreamEntry[]> {
    return this.redis.xrevrange(this.names.eventsKey, '+', '-');
  }
}
