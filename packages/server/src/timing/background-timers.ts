/** Timer functions, so tests can drive background work with fake time. */
export interface BackgroundTimers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

/**
 * Real timers for housekeeping (expiry watches, sweeps): unreferenced, because waiting for
 * background work must never keep the process alive.
 */
export const BACKGROUND_TIMERS: BackgroundTimers = {
  set(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return timer;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
