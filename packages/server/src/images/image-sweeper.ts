import type { Logger } from '../logging/logger.js';
import type { ImageService } from './image-service.js';

import { BACKGROUND_TIMERS, type BackgroundTimers } from '../timing/background-timers.js';

/** Options for {@link ImageSweeper}. */
export interface ImageSweeperOptions {
  images: Pick<ImageService, 'sweepUnattached'>;
  /** How long an image no message carried is kept (`limits.unattachedImageTtlMs`). */
  ttlMs: number;
  logger: Logger;
  timers?: BackgroundTimers;
  /** Images deleted per database round; a sweep goes on in rounds until none is left. */
  batchSize?: number;
}

const DEFAULT_BATCH_SIZE = 200;
/** The longest wait between sweeps, whatever the TTL. */
export const MAX_SWEEP_INTERVAL_MS = 60 * 60 * 1_000;

/**
 * Deletes uploaded images that no message carried once they are older than the TTL, so uploads
 * that were never sent (a closed tab, a script, an abusive visitor) do not hold disk space and
 * quota for ever. Runs every quarter of the TTL (at most hourly), so an image goes at most
 * 1.25 TTL after its upload. Several processes on one database may sweep at once: deleting an
 * image twice is harmless.
 */
export class ImageSweeper {
  readonly #options: ImageSweeperOptions;
  readonly #timers: BackgroundTimers;
  readonly #intervalMs: number;
  #timer: unknown;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: ImageSweeperOptions) {
    this.#options = options;
    this.#timers = options.timers ?? BACKGROUND_TIMERS;
    this.#intervalMs = Math.min(Math.ceil(options.ttlMs / 4), MAX_SWEEP_INTERVAL_MS);
  }

  /** Arms the first sweep one interval from now. */
  start(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#schedule();
  }

  /**
   * Deletes every image that is due now, in rounds of `batchSize`, and resolves with
   * how many went. A failure is logged and ends the sweep; the next one tries again.
   */
  async sweep(): Promise<number> {
    let deleted = 0;
    try {
      const limit = this.#options.batchSize ?? DEFAULT_BATCH_SIZE;
      for (;;) {
        if (this.#stopped) break;
        const round = await this.#options.images.sweepUnattached({
          ttlMs: this.#options.ttlMs,
          limit,
        });
        deleted += round;
        if (round < limit) break;
      }
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'could not delete unsent images; retrying later');
    }
    return deleted;
  }

  /** Stops sweeping and waits for a sweep under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(): void {
    this.#timer = this.#timers.set(() => {
      this.#running = this.sweep().then(() => {
        this.#running = undefined;
        if (!this.#stopped) this.#schedule();
      });
    }, this.#intervalMs);
  }
}
