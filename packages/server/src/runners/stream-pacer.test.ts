import { describe, expect, it, vi } from 'vitest';
import { StreamPacer } from './stream-pacer.js';

describe('StreamPacer', () => {
  it('listens to the signal once for the whole stream, not once per wait', async () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const pacer = new StreamPacer(controller.signal);
    for (let index = 0; index < 5; index += 1) {
      await pacer.sleep(1);
      await pacer.yieldToEventLoop();
    }
    pacer.dispose();
    expect(add).toHaveBeenCalledTimes(1);
    expect(remove).toHaveBeenCalledTimes(1);
  });

  it('never touches the signal for a stream that never waits', () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const pacer = new StreamPacer(controller.signal);
    pacer.dispose();
    expect(add).not.toHaveBeenCalled();
    expect(remove).not.toHaveBeenCalled();
  });

  it('rejects a wait in progress, and every later one, with an AbortError', async () => {
    const controller = new AbortController();
    const pacer = new StreamPacer(controller.signal);
    const waiting = pacer.sleep(60_000);
    controller.abort('stop');
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError', cause: 'stop' });
    await expect(pacer.yieldToEventLoop()).rejects.toMatchObject({ cause: 'stop' });
    pacer.dispose();
  });
});
