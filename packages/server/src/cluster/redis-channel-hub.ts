import type { Redis } from 'ioredis';
import type {
  ConversationChannel,
  ConversationChannelFactory,
  ConversationChannelTarget,
} from '../conversations/conversation-channel.js';
import type { Logger } from '../logging/logger.js';
import type { Store } from '../storage/store.js';
import { clusterUnavailable } from './cluster-bus.js';
import {
  RedisChannelCommands,
  conversationRedisNames,
  defineChannelScripts,
} from './redis-channel-commands.js';
import { RedisConversationChannel } from './redis-conversation-channel.js';
import { connectRedis, createRedisConnection } from './redis-connection.js';

/** How long a conversation's keys outlive its last append or opening. */
export const CONVERSATION_KEY_TTL_MS = 24 * 60 * 60_000;
/** Seqs reserved in the database ahead of Redis, so a Redis that lost its data continues above. */
const SEQ_BLOCK = 1_000;

/** Options for {@link RedisChannelHub.connect}. */
export interface RedisChannelHubOptions {
  url: string;
  /** Prefix of every key and channel, e.g. `botwire:`. */
  prefix: string;
  nodeId: string;
  store: Store;
  logger: Logger;
  /** Events each conversation keeps for clients resuming with `last_seq`. */
  replayWindow: number;
  /**
   * Bytes of events (their JSON) each conversation's stream keeps, besides the window's count;
   * unbounded when absent.
   */
  replayBudgetBytes?: number;
  /** Expiry of a conversation's keys, refreshed on use; {@link CONVERSATION_KEY_TTL_MS} if absent. */
  keyTtlMs?: number;
}

/** Messages of a conversation that arrived before its channel was built, or the channel. */
type Route = { channel: RedisConversationChannel } | { early: [number, string][] };

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * This node's two Redis connections for conversation channels and the factory of
 * {@link RedisConversationChannel}s. The command connection runs the scripts and has no offline
 * queue, so an append while Redis is down fails at once (`CLUSTER_UNAVAILABLE`) instead of being
 * acknowledged later or lost. The subscriber connection SUBSCRIBEs to the live channel of each
 * conversation open on this node (one subscription per live conversation, not one per
 * connection, so a node receives only the events of conversations it serves) and routes each
 * message by its channel name; after a reconnect every channel catches up from its stream.
 */
export class RedisChannelHub {
  private readonly commandsConnection: Redis;
  private readonly subscriber: Redis;
  private readonly routes = new Map<string, Route>();
  private readonly ttlMs: number;
  private subscriberWasCut = false;
  private closed = false;

  private constructor(private readonly options: RedisChannelHubOptions) {
    this.ttlMs = options.keyTtlMs ?? CONVERSATION_KEY_TTL_MS;
    this.commandsConnection = createRedisConnection({
      url: options.url,
      nodeId: options.nodeId,
      role: 'channels',
    });
    defineChannelScripts(this.commandsConnection);
    this.subscriber = createRedisConnection({
      url: options.url,
      nodeId: options.nodeId,
      role: 'channel-subscriber',
      subscriber: true,
    });
    // The cluster bus logs outages; without a listener ioredis' errors would end the process.
    this.commandsConnection.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('close', () => {
      if (!this.closed) this.subscriberWasCut = true;
    });
    this.subscriber.on('ready', () => this.resubscribed());
    this.subscriber.on('message', (name: string, text: string) => this.route(name, text));
  }

  /** Connects both connections; fails with `CLUSTER_UNAVAILABLE` when Redis cannot be reached. */
  static async connect(options: RedisChannelHubOptions): Promise<RedisChannelHub> {
    const hub = new RedisChannelHub(options);
    try {
      await connectRedis(options.url, [hub.commandsConnection, hub.subscriber]);
    } catch (error) {
      await hub.close();
      throw error;
    }
    return hub;
  }

  /** Whether both connections are up: counted in the node's readiness (`/readyz`). */
  get available(): boolean {
    return (
      !this.closed &&
      this.commandsConnection.status === 'ready' &&
      this.subscriber.status === 'ready'
    );
  }

  /** The factory to hand the conversation registry. */
  readonly createChannel: ConversationChannelFactory = (target) => this.open(target);

  async close(): Promise<void> {
    this.closed = true;
    this.routes.clear();
    this.subscriber.disconnect();
    this.commandsConnection.disconnect();
    return Promise.resolve();
  }

  private async open(target: ConversationChannelTarget): Promise<ConversationChannel> {
    const { store, prefix, logger } = this.options;
    // Fails at once rather than queueing the SUBSCRIBE until the subscriber reconnects.
    if (!this.available) throw clusterUnavailable('the node is cut off from Redis');
    const names = conversationRedisNames(prefix, target.conversationId);
    const commands = new RedisChannelCommands(this.commandsConnection, names, {
      window: this.options.replayWindow,
      ...(this.options.replayBudgetBytes === undefined
        ? {}
        : { budgetBytes: this.options.replayBudgetBytes }),
      ttlMs: this.ttlMs,
    });
    const early: [number, string][] = [];
    this.routes.set(names.liveChannel, { early });
    const giveUp = (): void => {
      this.routes.delete(names.liveChannel);
      this.subscriber.unsubscribe(names.liveChannel).catch(() => undefined);
    };
    let lastSeq: number;
    try {
      // Subscribed before the seq is read: every event after it is published to this node.
      await this.subscriber.subscribe(names.liveChannel);
      // One above the database's reservation when Redis has no seq (see the in-memory factory).
      lastSeq = await commands.initialise(target.seqReserved + 1);
    } catch (error) {
      giveUp();
      throw clusterUnavailable(reasonOf(error));
    }
    let reserved = lastSeq + SEQ_BLOCK;
    try {
      await store.conversations.reserveSeq(target.conversationId, reserved);
    } catch (error) {
      giveUp();
      throw error;
    }
    const channelLogger = logger.child({ conversation: target.key });
    const channel = new RedisConversationChannel(commands, {
      lastSeq,
      logger: channelLogger,
      onSequence: (seq) => {
        if (seq < reserved - SEQ_BLOCK / 2) return;
        reserved = seq + SEQ_BLOCK;
        store.conversations.reserveSeq(target.conversationId, reserved).catch((error: unknown) => {
          channelLogger.error({ err: error }, 'could not reserve event sequence numbers');
        });
      },
      storedReservation: async () => {
        const found = await store.conversations.findById(target.conversationId);
        return Math.max(found?.conversation.seqReserved ?? 0, reserved);
      },
      detach: () => {
        const route = this.routes.get(names.liveChannel);
        if (route === undefined || !('channel' in route) || route.channel !== channel) return;
        this.routes.delete(names.liveChannel);
        if (this.closed) return;
        this.subscriber.unsubscribe(names.liveChannel).catch(() => undefined);
      },
    });
    this.routes.set(names.liveChannel, { channel });
    for (const [seq, json] of early) channel.receive(seq, json);
    return channel;
  }

  private route(name: string, text: string): void {
    const route = this.routes.get(name);
    if (route === undefined) return;
    const colon = text.indexOf(':');
    const seq = Number.parseInt(text.slice(0, colon), 10);
    if (colon < 0 || !Number.isSafeInteger(seq)) {
      this.options.logger.warn({ channel: name }, 'dropped a malformed conversation event');
      return;
    }
    const json = text.slice(colon + 1);
    if ('channel' in route) route.channel.receive(seq, json);
    else route.early.push([seq, json]);
  }

  /** After a cut: once subscribed again, every channel fetches what it missed meanwhile. */
  private resubscribed(): void {
    if (!this.subscriberWasCut || this.closed) return;
    const names = [...this.routes.keys()];
    const subscribed = names.length === 0 ? Promise.resolve() : this.subscriber.subscribe(...names);
    subscribed.then(
      () => {
        this.subscriberWasCut = false;
        for (const route of this.routes.values()) {
          if ('channel' in route) route.channel.catchUp();
        }
      },
      () => undefined,
    );
  }
}
