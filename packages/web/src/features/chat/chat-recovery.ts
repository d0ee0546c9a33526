import { backoffDelay, type StateChange } from '@botwire/client';

/**
 * How the console keeps a chat connected while the page is open. The SDK retries a lost
 * connection a few times and then stops (`retries-exhausted`); a server restart that takes
 * longer would leave the chat disconnected until someone pressed Reconnect. The console then
 * calls `connect()` again itself, with its own backoff, until the connection is back.
 */
export const RECOVERY_BACKOFF = Object.freeze({
  initialDelayMs: 2_000,
  maxDelayMs: 30_000,
  multiplier: 2,
});

/** The shortest wait between two recovery rounds, so jitter never makes it a busy loop. */
export const RECOVERY_MIN_DELAY_MS = 1_000;

/**
 * Whether the console should connect again by itself after this change into `closed`: only
 * when the SDK ran out of retries. A final close (signed out, pipeline deleted, forbidden) or
 * a deliberate disconnect is not retried: trying again cannot help.
 */
export function shouldRecover(change: StateChange): boolean {
  return change.current === 'closed' && change.reason === 'retries-exhausted';
}

/** The wait before recovery round `round` (0 for the first after the SDK gave up). */
export function recoveryDelay(round: number, random: () => number = Math.random): number {
  return Math.max(
    RECOVERY_MIN_DELAY_MS,
    backoffDelay({ ...RECOVERY_BACKOFF, attempt: round, random }),
  );
}
