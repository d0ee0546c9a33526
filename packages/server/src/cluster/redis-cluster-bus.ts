import type { Redis } from 'ioredis';
import { BotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import { clusterUnavailable, type ClusterBus } from './cluster-bus.js';
import {
  decodeClusterMessage,
  encodeClusterMessage,
  type ClusterMessage,
  type ClusterMessageBody,
} from './cluster-message.js';
import { createRedisConnection, describeRedisUrl } from './redis-connection.js';

/** How often a node records in Redis that it is alive. */
export const NODE_HEARTBEAT_MS = 2_000;
/** A node not heard of for this long counts as gone (its connections leave the listings). */
export const NODE_TIMEOUT_MS = 6_000;
/** Publishes waiting for Redis at most; more fail at once instead of piling up. */
const MAX_PENDING_PUBLISHES = 10_000;

/** Options for {@link RedisClusterBus.connect}. */
export interface RedisClusterBusOptions {
  url: string;
  /** Prefix of the channel and keys, e.g. `botwire:`. */
  prefix: string;
  nodeId: string;
  logger: Logger;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The cluster bus on Redis pub/sub (ioredis). Two connections: one publishes (and keeps the node
 * list), one only subscribes, as Redis requires. The publisher has no offline queue, so a publish
 * while Redis is down fails at once with `CLUSTER_UNAVAILABLE` instead of waiting to be sent
 * later; the subscriber resubscribes by itself when it reconnects (ioredis' `autoResubscribe`).
 * Received messages are validated; a malformed one is logged and dropped.
 */
export class RedisClusterBus implements ClusterBus {
  readonly clustered = true;
  readonly nodeId: string;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #nodesKey: string;
  readonly #logger: Logger;
  readonly #handlers: ((message: ClusterMessage) => void)[] = [];
  readonly #reconnectedHandlers: (() => void)[] = [];
  #pendingPublishes = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #outage = false;
  /** Whether the subscriber is confirmed subscribed on its current connection. */
  #subscribed = false;
  #subscriberWasCut = false;
  #closed = false;

  private constructor(options: RedisClusterBusOptions) {
    this.nodeId = options.nodeId;
    this.#channel = `${options.prefix}bus`;
    this.#nodesKey = `${options.prefix}nodes`;
    this.#logger = options.logger;
    this.#publisher = createRedisConnection({
      url: options.url,
      nodeId: options.nodeId,
      role: 'publisher',
    });
    this.#subscriber = createRedisConnection({
      url: options.url,
      nodeId: options.nodeId,
      role: 'subscriber',
      subscriber: true,
    });
    const target = describeRedisUrl(options.url);
    for (const [role, client] of [
      ['publisher', this.#publisher],
      ['subscriber', this.#subscriber],
    ] as const) {
      // Without a listener ioredis' 'error' events would be unhandled and end the process.
      client.on('error', (error: unknown) => {
        if (this.#closed || this.#outage) return;
        this.#outage = true;
        this.#logger.warn(
          { redis: target, role, reason: reasonOf(error) },
          'Redis cannot be reached; changes that must reach every node are refused until it is back',
        );
      });
      client.on('ready', () => this.#noteRecovery(target));
    }
    // A restarted Redis may have lost the node list: be back on it at once, not a beat later.
    this.#publisher.on('ready', () => {
      if (!this.#closed) this.#beat().catch(() => undefined);
    });
    this.#subscriber.on('close', () => {
      this.#subscribed = false;
      if (!this.#closed) this.#subscriberWasCut = true;
    });
    this.#subscriber.on('ready', () => {
      if (!this.#subscriberWasCut) return;
      // ioredis resubscribes by itself; subscribing again (idempotent) tells when it is done,
      // so the node reports ready only once it hears the other nodes again.
      this.#subscriber.subscribe(this.#channel).then(
        () => {
          if (this.#subscriber.status !== 'ready') return;
          this.#subscribed = true;
          this.#subscriberWasCut = false;
          this.#noteRecovery(target);
          for (const handler of this.#reconnectedHandlers) handler();
        },
        () => undefined,
      );
    });
    this.#subscriber.on('message', (_channel: string, text: string) => this.#receive(text));
  }

  /**
   * Connects both connections and subscribes. Fails with `CLUSTER_UNAVAILABLE` naming the Redis
   * when it cannot be reached at start (the node does not start half-clustered).
   */
  static async connect(options: RedisClusterBusOptions): Promise<RedisClusterBus> {
    const bus = new RedisClusterBus(options);
    try {
      await bus.#publisher.connect();
      await bus.#subscriber.connect();
      await bus.#subscriber.subscribe(bus.#channel);
      bus.#subscribed = true;
      await bus.#beat();
    } catch (error) {
      await bus.close();
      throw new BotwireError(
        'CLUSTER_UNAVAILABLE',
        `Redis (${describeRedisUrl(options.url)}) cannot be reached: ${reasonOf(error)}. Cluster mode (BOTWIRE_REDIS_URL) needs it at start; check the URL and that Redis runs.`,
        { cause: error },
      );
    }
    bus.#heartbeat = setInterval(() => {
      bus.#beat().catch(() => undefined);
    }, NODE_HEARTBEAT_MS);
    bus.#heartbeat.unref();
    return bus;
  }

  get available(): boolean {
    return (
      this.#publisher.status === 'ready' && this.#subscriber.status === 'ready' && this.#subscribed
    );
  }

  async publish(body: ClusterMessageBody): Promise<void> {
    if (this.#publisher.status !== 'ready') throw clusterUnavailable();
    if (this.#pendingPublishes >= MAX_PENDING_PUBLISHES) {
      throw clusterUnavailable('too many messages wait for Redis');
    }
    this.#pendingPublishes += 1;
    try {
      const text = encodeClusterMessage({ ...body, origin: this.nodeId });
      await this.#publisher.publish(this.#channel, text);
    } catch (error) {
      throw clusterUnavailable(reasonOf(error));
    } finally {
      this.#pendingPublishes -= 1;
    }
  }

  onMessage(handler: (message: ClusterMessage) => void): void {
    this.#handlers.push(handler);
  }

  onReconnected(handler: () => void): void {
    this.#reconnectedHandlers.push(handler);
  }

  async liveNodes(): Promise<string[]> {
    if (this.#publisher.status !== 'ready') throw clusterUnavailable();
    try {
      return await this.#publisher.zrangebyscore(
        this.#nodesKey,
        Date.now() - NODE_TIMEOUT_MS,
        '+inf',
      );
    } catch (error) {
      throw clusterUnavailable(reasonOf(error));
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    if (this.#publisher.status === 'ready') {
      await this.#publisher.zrem(this.#nodesKey, this.nodeId).catch(() => undefined);
    }
    this.#subscriber.disconnect();
    this.#publisher.disconnect();
  }

  /** Logs the end of an outage once both connections are back and subscribed. */
  #noteRecovery(target: string): void {
    if (!this.#outage || !this.available) return;
    this.#outage = false;
    this.#logger.warn({ redis: target }, 'Redis can be reached again');
  }

  /** Records this node as alive, and forgets nodes gone long ago. */
  async #beat(): Promise<void> {
    const now = Date.now();
    await this.#publisher
      .multi()
      .zadd(this.#nodesKey, now, this.nodeId)
      .zremrangebyscore(this.#nodesKey, '-inf', now - 10 * NODE_TIMEOUT_MS)
      .exec();
  }

  #receive(text: string): void {
    const decoded = decodeClusterMessage(text);
    if (!decoded.ok) {
      this.#logger.warn(
        { reason: decoded.error },
        'dropped a malformed message from the cluster bus',
      );
      return;
    }
    const message = decoded.value;
    if (message.origin === this.nodeId) return;
    if ('to' in message && message.to !== this.nodeId) return;
    for (const handler of this.#handlers) {
      try {
        handler(message);
      } catch (error) {
        this.#logger.error(
          { err: error, type: message.type, origin: message.origin },
          'could not apply a message from the cluster bus',
        );
      }
    }
  }
}
