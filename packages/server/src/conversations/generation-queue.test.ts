import { describe, expect, it } from 'vitest';
import { GenerationQueue } from './generation-queue.js';
import type { GenerationContext } from './reply-queue.js';

interface Step {
  job: string;
  release: () => void;
  context: GenerationContext;
}

function controlledQueue(maxQueued = 5) {
  const started: Step[] = [];
  const finished: string[] = [];
  const errors: unknown[] = [];
  const queue = new GenerationQueue<string>({
    maxQueued,
    run: (job, context) =>
      new Promise<void>((resolve, reject) => {
        started.push({ job, release: resolve, context });
        context.signal.addEventListener('abort', () =>
          reject(new Error(String(context.signal.reason))),
        );
      }).then(() => {
        finished.push(job);
      }),
    onError: (error) => errors.push(error),
  });
  return { queue, started, finished, errors };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('GenerationQueue', () => {
  it('runs jobs one at a time in arrival order', async () => {
    const { queue, started, finished } = controlledQueue();
    queue.enqueue('a');
    queue.enqueue('b');
    expect(started.map((step) => step.job)).toEqual(['a']);
    started[0]?.release();
    await tick();
    expect(finished).toEqual(['a']);
    expect(started.map((step) => step.job)).toEqual(['a', 'b']);
    started[1]?.release();
    await queue.drained();
    expect(finished).toEqual(['a', 'b']);
    expect(queue.isBusy).toBe(false);
  });

  it('cancels only the named reply', async () => {
    const { queue, started, errors } = controlledQueue();
    queue.enqueue('a');
    started[0]?.context.setReplyId(7);
    expect(queue.cancelNow(8)).toBe(false);
    expect(queue.cancelNow(7)).toBe(true);
    expect(queue.cancelNow(7)).toBe(false);
    await queue.drained();
    expect(started[0]?.context.signal.reason).toBe('cancelled');
    expect(errors).toHaveLength(1);
  });

  it('refuses jobs past the limit', () => {
    const { queue } = controlledQueue(1);
    expect(queue.enqueue('a')).toBe(true);
    expect(queue.enqueue('b')).toBe(true);
    expect(queue.hasRoom).toBe(false);
    expect(queue.enqueue('c')).toBe(false);
  });

  it('counts reserved slots, so two callers cannot both take the last one', () => {
    const { queue, started } = controlledQueue(1);
    expect(queue.enqueue('a')).toBe(true);
    const first = queue.reserveNow();
    expect(first).toBeDefined();
    // The slot is taken before its job is known: a second reservation and an enqueue are refused.
    expect(queue.reserveNow()).toBeUndefined();
    expect(queue.enqueue('b')).toBe(false);
    first?.release();
    const second = queue.reserveNow();
    expect(second).toBeDefined();
    second?.add('c');
    second?.add('ignored: a slot is filled once');
    second?.release();
    expect(queue.hasRoom).toBe(false);
    started[0]?.release();
  });

  it('starts a job added into a reservation when nothing runs', () => {
    const { queue, started } = controlledQueue(0);
    const reservation = queue.reserveNow();
    expect(queue.reserveNow()).toBeUndefined();
    reservation?.add('a');
    expect(started.map((step) => step.job)).toEqual(['a']);
  });

  it('stopAll drops waiting jobs and interrupts the running one', async () => {
    const { queue, started } = controlledQueue();
    queue.enqueue('a');
    queue.enqueue('b');
    await queue.stopAll('interrupted');
    expect(started.map((step) => step.job)).toEqual(['a']);
    expect(started[0]?.context.signal.reason).toBe('interrupted');
    expect(queue.isBusy).toBe(false);
  });

  it('reports nothing to cancel when idle', () => {
    const { queue } = controlledQueue();
    expect(queue.cancelNow()).toBe(false);
  });
});
