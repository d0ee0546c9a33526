import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits `milliseconds`, or rejects with the signal's reason as soon as it aborts. A zero wait
 * still yields to the event loop, so a runner with no delay cannot starve sockets and timers.
 */
export async function abortableDelay(milliseconds: number, signal: AbortSignal): Promise<void> {
  if (milliseconds <= 0) {
    await yieldToEventLoop(undefined, { signal });
    return;
  }
  await sleep(milliseconds, undefined, { signal });
}
