import type { Logger } from '../logging/logger.js';

/** Options for {@link RefusalLog}. */
export interface RefusalLogOptions {
  logger: Logger;
  /** Lines logged per window; refusals past it are only counted. */
  linesPerWindow?: number;
  windowMs?: number;
  now?: () => number;
}

/**
 * Logs connection refusals at a bounded rate. A flood of refused sockets (a reconnect storm, or
 * an attack) would otherwise write a line each, as fast as sockets arrive; past the budget of a
 * window the refusals are counted, and the first line of the next window says how many were
 * left out.
 */
export class RefusalLog {
  private readonly linesPerWindow: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private windowStart = Number.NEGATIVE_INFINITY;
  private logged = 0;
  private suppressed = 0;

  constructor(private readonly options: RefusalLogOptions) {
    this.linesPerWindow = options.linesPerWindow ?? 10;
    this.windowMs = options.windowMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** Logs `fields` with "connection refused" at info, unless this window's lines are used up. */
  refused(fields: Record<string, unknown>): void {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      if (this.suppressed > 0) {
        this.options.logger.warn(
          { suppressed: this.suppressed },
          'connection refusals left out of the log (more than the rate allows)',
        );
      }
      this.windowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged >= this.linesPerWindow) {
      this.suppressed += 1;
      return;
    }
    this.logged += 1;
    this.options.logger.info(fields, 'connection refused');
  }
}
