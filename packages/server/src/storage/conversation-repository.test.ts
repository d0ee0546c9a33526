import { describe, expect, it } from 'vitest';
import type { KyselyStore } from './kysely-store.js';
import { STORE_DIALECTS, useTemporaryStores } from './temporary-store.test-support.js';

describe.each(STORE_DIALECTS)('on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  async function withPipeline(store: KyselyStore): Promise<string> {
    const pipeline = await store.pipelines.create({
      name: 'P',
      description: '',
      runner: { type: 'echo', settings: { delay_ms: 0 } },
    });
    return pipeline.uuid;
  }

  describe('KyselyConversationRepository', () => {
    it('creates a conversation once, even when asked twice at the same time', async () => {
      const { store } = await temporaryStores.open();
      const pipelineUuid = await withPipeline(store);
      const identity = { pipelineUuid, sessionType: 'group', key: 'room' } as const;
      expect(await store.conversations.find(identity)).toBeUndefined();

      const [first, second] = await Promise.all([
        store.conversations.getOrCreate(identity),
        store.conversations.getOrCreate(identity),
      ]);
      expect(first).toEqual({ ...identity, id: first.id, seqReserved: 0 });
      expect(second).toEqual(first);
      expect(await store.conversations.find(identity)).toEqual(first);

      const person = await store.conversations.getOrCreate({ ...identity, sessionType: 'person' });
      expect(person.id).not.toBe(first.id);
      expect(person.sessionType).toBe('person');
    });

    it('rejects a conversation of a pipeline that does not exist', async () => {
      const { store } = await temporaryStores.open();
      await expect(
        store.conversations.getOrCreate({ pipelineUuid: 'nope', sessionType: 'person', key: 'k' }),
      ).rejects.toThrow(/foreign key/i);
    });

    it('reserveSeq only raises the reserved seq', async () => {
      const { store } = await temporaryStores.open();
      const identity = {
        pipelineUuid: await withPipeline(store),
        sessionType: 'person',
        key: 'a',
      } as const;
      const conversation = await store.conversations.getOrCreate(identity);
      await store.conversations.reserveSeq(conversation.id, 100);
      expect((await store.conversations.find(identity))?.seqReserved).toBe(100);
      await store.conversations.reserveSeq(conversation.id, 40);
      expect((await store.conversations.find(identity))?.seqReserved).toBe(100);
      await store.conversations.reserveSeq(conversation.id, 250);
      expect((await store.conversations.getOrCreate(identity)).seqReserved).toBe(250);
    });
  });
});
