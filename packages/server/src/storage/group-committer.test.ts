import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-committer.js';
import type { WriteBatchExecutor, WriteOperation, WriteResult } from './write-batch.js';

function reserve(conversationId: number): WriteOperation {
  return { kind: 'reserve-seq', conversationId, seqReserved: 10 };
}

/** An executor whose batches the test completes by hand, recording what each held. */
function manualExecutor() {
  const batches: {
    operations: readonly WriteOperation[];
    finish(results?: WriteResult[]): void;
    fail(error: Error): void;
  }[] = [];
  const executor: WriteBatchExecutor = {
    execute: (operations) =>
      new Promise((resolve, reject) => {
        batches.push({
          operations,
          finish: (results) =>
            resolve(results ?? operations.map(() => ({ ok: true, id: undefined }))),
          fail: reject,
        });
      }),
  };
  return { executor, batches };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitter', () => {
  it('sends the writes of one event-loop turn as one batch, in order', async () => {
    const { executor, batches } = manualExecutor();
    const committer = new GroupCommitter({ executor });
    const writes = [1, 2, 3].map((id) => committer.write(reserve(id)));
    expect(batches).toHaveLength(0);
    await turn();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.operations).toEqual([reserve(1), reserve(2), reserve(3)]);
    batches[0]?.finish();
    await expect(Promise.all(writes)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('settles a write only after its batch committed, and batches what came meanwhile', async () => {
    const { executor, batches } = manualExecutor();
    const committer = new GroupCommitter({ executor });
    let committed = false;
    const first = committer.write(reserve(1)).then(() => (committed = true));
    await turn();
    const second = committer.write(reserve(2));
    const third = committer.write(reserve(3));
    await turn();
    // One batch in flight at a time: the next waits for the commit, then leaves whole.
    expect(batches).toHaveLength(1);
    expect(committed).toBe(false);
    batches[0]?.finish();
    await first;
    expect(committed).toBe(true);
    await turn();
    expect(batches[1]?.operations).toEqual([reserve(2), reserve(3)]);
    batches[1]?.finish();
    await Promise.all([second, third]);
  });

  it('fails only the write that failed, and every write of a batch whose commit failed', async () => {
    const { executor, batches } = manualExecutor();
    const committer = new GroupCommitter({ executor });
    const good = committer.write(reserve(1));
    const bad = committer.write(reserve(2));
    await turn();
    const refused = new Error('foreign key');
    batches[0]?.finish([
      { ok: true, id: undefined },
      { ok: false, error: refused },
    ]);
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toBe(refused);

    const lost = [committer.write(reserve(3)), committer.write(reserve(4))];
    await turn();
    batches[1]?.fail(new Error('disk full'));
    for (const write of lost) await expect(write).rejects.toThrow('disk full');
  });

  it('sends a full batch at once, without waiting for the end of the turn', async () => {
    const { executor, batches } = manualExecutor();
    const committer = new GroupCommitter({ executor, maxBatchWrites: 2 });
    const writes = [1, 2, 3].map((id) => committer.write(reserve(id)));
    expect(batches).toHaveLength(1);
    expect(batches[0]?.operations).toEqual([reserve(1), reserve(2)]);
    batches[0]?.finish();
    await Promise.all(writes.slice(0, 2));
    await turn();
    expect(batches[1]?.operations).toEqual([reserve(3)]);
    batches[1]?.finish();
    await writes[2];
  });

  it('drain waits for every write requested so far', async () => {
    const { executor, batches } = manualExecutor();
    const committer = new GroupCommitter({ executor, schedule: () => undefined });
    const write = committer.write(reserve(1));
    let drained = false;
    const draining = committer.drain().then(() => (drained = true));
    await turn();
    expect(batches).toHaveLength(1);
    expect(drained).toBe(false);
    batches[0]?.finish();
    await draining;
    await write;
    expect(drained).toBe(true);
    expect(committer.pending).toBe(0);
  });
});
