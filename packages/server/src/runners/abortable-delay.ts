import { setTimeout as sleep } from 'node:timers/promises';

/** Waits `milliseconds`, or rejects with the signal's reason as soon as it aborts. */
export async function abortableDelay(milliseconds: number, signal: AbortSignal): Promise<void> {
  if (milliseconds <= 0) {
    signal.throwIfAborted();
    return;
  }
  await sleep(milliseconds, undefined, { signal });
}
