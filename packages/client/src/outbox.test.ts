import { describe, expect, it } from 'vitest';
import { BotwireClientError } from './client-error.js';
import { Outbox } from './outbox.js';

const entry = (clientId: string) => ({ clientId, text: `frame ${clientId}` });

describe('Outbox', () => {
  it('keeps entries in send order until their client_id is acknowledged', () => {
    const outbox = new Outbox<ReturnType<typeof entry>>(10);
    outbox.add(entry('a'));
    outbox.add(entry('b'));
    outbox.add(entry('c'));
    expect(outbox.take('b')).toEqual(entry('b'));
    expect(outbox.take('b')).toBeUndefined();
    expect(outbox.take('unknown')).toBeUndefined();
    expect(outbox.pending().map((pending) => pending.clientId)).toEqual(['a', 'c']);
    expect(outbox.has('a')).toBe(true);
    expect(outbox.size).toBe(2);
  });

  it('refuses beyond its limit with OUTBOX_FULL, and has room again after an acknowledgement', () => {
    const outbox = new Outbox<ReturnType<typeof entry>>(2);
    outbox.add(entry('a'));
    outbox.add(entry('b'));
    let thrown: unknown;
    try {
      outbox.add(entry('c'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BotwireClientError);
    expect((thrown as BotwireClientError).code).toBe('OUTBOX_FULL');
    outbox.take('a');
    outbox.add(entry('c'));
    expect(outbox.pending().map((pending) => pending.clientId)).toEqual(['b', 'c']);
  });

  it('refuses a client_id that is already waiting', () => {
    const outbox = new Outbox<ReturnType<typeof entry>>(5);
    outbox.add(entry('a'));
    expect(() => outbox.add(entry('a'))).toThrow(TypeError);
  });

  it('finds the oldest entry matching a predicate and drains everything', () => {
    const outbox = new Outbox<{ clientId: string; sentOn: number }>(5);
    outbox.add({ clientId: 'a', sentOn: 1 });
    outbox.add({ clientId: 'b', sentOn: 2 });
    outbox.add({ clientId: 'c', sentOn: 2 });
    expect(outbox.find((pending) => pending.sentOn === 2)?.clientId).toBe('b');
    expect(outbox.drain().map((pending) => pending.clientId)).toEqual(['a', 'b', 'c']);
    expect(outbox.size).toBe(0);
  });
});
