import { chainToText, type MessageChain } from '@botwire/protocol';
import { isAdmin, type Principal } from '../auth/principal.js';
import type { Config } from '../config/config.js';
import { TokenBucket } from '../connections/token-bucket.js';
import { BotwireError } from '../errors/botwire-error.js';
import type { MessageUsageRepository } from '../storage/store.js';

/** Options for {@link MessageBudget}. */
export interface MessageBudgetOptions {
  usage: MessageUsageRepository;
  limits: Config['limits'];
  now?: () => number;
}

/** What a message to be stored holds back until it is stored, or not. */
export interface MessageReservation {
  /** The message's size as quotas count it. */
  readonly bytes: number;
  /** The message was not stored (a duplicate, or storing failed): give everything back. */
  cancel(): void;
}

/** A counter of stored bytes, usable at once and corrected by the store's sum when it arrives. */
interface UsageCounter {
  bytes: number;
  loaded: Promise<void>;
  /** Whether `loaded` has resolved: then a message need not wait for it (no await per message). */
  ready: boolean;
}

/** The size of a message as stored: UTF-8 bytes of its text content plus its chain as JSON. */
export function storedMessageBytes(chain: MessageChain): number {
  return Buffer.byteLength(chainToText(chain), 'utf8') + Buffer.byteLength(JSON.stringify(chain));
}

/**
 * What a principal may make the server store: each message at most `maxMessageBytes`, at most
 * `principalBytesPerSecond` sustained over all its connections (bursts of four seconds' worth, or
 * one largest message), and in all at most `principalQuotaBytes`; each pipeline at most
 * `pipelineQuotaBytes`. Admins (admin users, static keys) are held only to the message size and
 * the pipeline quota: they can delete and create pipelines anyway.
 *
 * Usage counters live in memory, one per principal and per pipeline that sent messages since the
 * start; each starts from one sum query of the store and then follows what is reserved here, so a
 * message costs O(1) beyond measuring it. Several processes on one database each count only
 * their own additions after that query (see docs/configuration.md).
 */
export class MessageBudget {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly byPrincipal = new Map<string, UsageCounter>();
  private readonly byPipeline = new Map<string, UsageCounter>();

  constructor(private readonly options: MessageBudgetOptions) {}

  /**
   * Checks a message about to be stored and holds its bytes, or throws `MESSAGE_TOO_LARGE`,
   * `BYTE_RATE_LIMITED` or `STORAGE_QUOTA_EXCEEDED` (nothing held).
   */
  async reserve(message: {
    principal: Principal;
    pipelineUuid: string;
    chain: MessageChain;
  }): Promise<MessageReservation> {
    const { limits } = this.options;
    const bytes = storedMessageBytes(message.chain);
    if (bytes > limits.maxMessageBytes) {
      throw new BotwireError(
        'MESSAGE_TOO_LARGE',
        `The message has ${bytes} bytes of text; the server stores at most ${limits.maxMessageBytes} per message. Send it in parts.`,
      );
    }
    const limited = !isAdmin(message.principal);
    const bucket = limited ? this.bucketOf(message.principal.id) : undefined;
    if (bucket !== undefined && !bucket.take(bytes)) {
      throw new BotwireError(
        'BYTE_RATE_LIMITED',
        `These credentials may send ${limits.principalBytesPerSecond} bytes of messages per second; this one was not stored. Slow down and send it again.`,
      );
    }
    return this.holdQuota({ ...message, bytes, what: 'messages' }, bucket);
  }

  /**
   * Holds an uploaded image's bytes against the same storage quotas as messages, or throws
   * `STORAGE_QUOTA_EXCEEDED` (nothing held). The image's size limit is checked by the caller;
   * the byte rate does not apply (one image may be larger than a second's worth of text).
   */
  reserveImage(image: {
    principal: Principal;
    pipelineUuid: string;
    bytes: number;
  }): Promise<MessageReservation> {
    return this.holdQuota({ ...image, what: 'messages and images' }, undefined);
  }

  private async holdQuota(
    held: { principal: Principal; pipelineUuid: string; bytes: number; what: string },
    bucket: TokenBucket | undefined,
  ): Promise<MessageReservation> {
    const { limits } = this.options;
    const { bytes } = held;
    const limited = !isAdmin(held.principal);
    const pipeline = this.counter(this.byPipeline, held.pipelineUuid, () =>
      this.options.usage.userMessageBytesOfPipeline(held.pipelineUuid),
    );
    const principal = limited
      ? this.counter(this.byPrincipal, held.principal.id, () =>
          this.options.usage.userMessageBytesOfSender(held.principal.id),
        )
      : undefined;
    // Held before awaiting, so concurrent messages see each other.
    pipeline.bytes += bytes;
    if (principal !== undefined) principal.bytes += bytes;
    let cancelled = false;
    const reservation: MessageReservation = {
      bytes,
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        pipeline.bytes -= bytes;
        if (principal !== undefined) principal.bytes -= bytes;
        bucket?.refund(bytes);
      },
    };
    if (!pipeline.ready || principal?.ready === false) {
      try {
        await Promise.all([pipeline.loaded, principal?.loaded]);
      } catch (error) {
        reservation.cancel();
        throw error;
      }
    }
    if (pipeline.bytes > limits.pipelineQuotaBytes) {
      reservation.cancel();
      throw new BotwireError(
        'STORAGE_QUOTA_EXCEEDED',
        `Pipeline ${held.pipelineUuid} holds its quota of ${limits.pipelineQuotaBytes} bytes of ${held.what}; reset conversations to free space.`,
      );
    }
    if (principal !== undefined && principal.bytes > limits.principalQuotaBytes) {
      reservation.cancel();
      throw new BotwireError(
        'STORAGE_QUOTA_EXCEEDED',
        `These credentials have stored their quota of ${limits.principalQuotaBytes} bytes of ${held.what}; reset conversations to free space.`,
      );
    }
    return reservation;
  }

  /**
   * Forgets the counters, so each is summed from the store again when next needed: messages were
   * deleted (a conversation reset, a pipeline deleted).
   */
  forgetUsage(): void {
    this.byPrincipal.clear();
    this.byPipeline.clear();
  }

  private bucketOf(principalId: string): TokenBucket {
    let bucket = this.buckets.get(principalId);
    if (bucket === undefined) {
      const { principalBytesPerSecond, maxMessageBytes } = this.options.limits;
      bucket = new TokenBucket({
        ratePerSecond: principalBytesPerSecond,
        capacity: Math.max(4 * principalBytesPerSecond, maxMessageBytes),
        ...(this.options.now === undefined ? {} : { now: this.options.now }),
      });
      this.buckets.set(principalId, bucket);
    }
    return bucket;
  }

  private counter(
    counters: Map<string, UsageCounter>,
    key: string,
    load: () => Promise<number>,
  ): UsageCounter {
    let counter = counters.get(key);
    if (counter === undefined) {
      const created: UsageCounter = { bytes: 0, loaded: Promise.resolve(), ready: false };
      created.loaded = load().then(
        (stored) => {
          created.bytes += stored;
          created.ready = true;
        },
        (error: unknown) => {
          // Sum again next time rather than keep a counter that never learned the stored bytes.
          if (counters.get(key) === created) counters.delete(key);
          throw error;
        },
      );
      counters.set(key, created);
      counter = created;
    }
    return counter;
  }
}
