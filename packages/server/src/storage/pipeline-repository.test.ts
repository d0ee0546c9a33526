import { describe, expect, it } from 'vitest';
import { KyselyPipelineRepository } from './pipeline-repository.js';
import { STORE_DIALECTS, damagedJson, useTemporaryStores } from './temporary-store.test-support.js';

describe.each(STORE_DIALECTS)('on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  const echo = { type: 'echo', settings: { delay_ms: 5 } } as const;

  describe('KyselyPipelineRepository', () => {
    it('creates, reads, lists, updates and deletes a pipeline', async () => {
      const { db } = await temporaryStores.open();
      let clock = new Date('2030-01-01T00:00:00.000Z');
      const store = { pipelines: new KyselyPipelineRepository(db, () => clock) };
      const created = await store.pipelines.create({
        name: 'Echo',
        description: 'd',
        runner: echo,
      });
      expect(created.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(created).toMatchObject({
        name: 'Echo',
        description: 'd',
        runner: echo,
        is_default: false,
      });
      expect(created.updated_at).toBe(created.created_at);

      expect(await store.pipelines.get(created.uuid)).toEqual(created);
      expect(await store.pipelines.get('missing')).toBeUndefined();

      clock = new Date('2030-01-01T00:00:00.001Z');
      const bench = {
        type: 'bench',
        settings: { chunks: 3, chunk_bytes: 8, interval_ms: 1 },
      } as const;
      const updated = await store.pipelines.update(created.uuid, { name: 'Bench', runner: bench });
      expect(updated).toMatchObject({
        uuid: created.uuid,
        name: 'Bench',
        description: 'd',
        runner: bench,
      });
      expect(updated?.created_at).toBe(created.created_at);
      expect(updated?.updated_at).toBe('2030-01-01T00:00:00.001Z');
      expect(await store.pipelines.update('missing', { name: 'x' })).toBeUndefined();

      const second = await store.pipelines.create({
        name: 'Second',
        description: '',
        runner: echo,
      });
      expect((await store.pipelines.list()).map((pipeline) => pipeline.uuid)).toEqual([
        created.uuid,
        second.uuid,
      ]);

      expect(await store.pipelines.delete(created.uuid)).toBe(true);
      expect(await store.pipelines.delete(created.uuid)).toBe(false);
      expect((await store.pipelines.list()).map((pipeline) => pipeline.uuid)).toEqual([
        second.uuid,
      ]);
    });

    it('keeps a single default pipeline', async () => {
      const { store } = await temporaryStores.open();
      expect(await store.pipelines.getDefault()).toBeUndefined();
      const first = await store.pipelines.create({
        name: 'A',
        description: '',
        runner: echo,
        isDefault: true,
      });
      expect((await store.pipelines.getDefault())?.uuid).toBe(first.uuid);
      const second = await store.pipelines.create({
        name: 'B',
        description: '',
        runner: echo,
        isDefault: true,
      });
      expect((await store.pipelines.getDefault())?.uuid).toBe(second.uuid);
      expect((await store.pipelines.get(first.uuid))?.is_default).toBe(false);
    });

    it('deleting a pipeline deletes its conversations and messages', async () => {
      const { store, db } = await temporaryStores.open();
      const pipeline = await store.pipelines.create({ name: 'P', description: '', runner: echo });
      const other = await store.pipelines.create({ name: 'O', description: '', runner: echo });
      const identity = {
        pipelineUuid: pipeline.uuid,
        sessionType: 'person',
        key: 'alice',
      } as const;
      const conversation = await store.conversations.getOrCreate(identity);
      const kept = await store.conversations.getOrCreate({ ...identity, pipelineUuid: other.uuid });
      const message = await store.messages.insertUserMessage({
        conversationId: conversation.id,
        chain: [{ type: 'Plain', text: 'hi' }],
        content: 'hi',
        sender: { id: 'alice', name: 'Alice' },
        connectionId: 'c1',
        clientId: null,
      });
      await store.messages.insertReply({ conversationId: conversation.id, replyTo: message.id });
      await store.messages.insertUserMessage({
        conversationId: kept.id,
        chain: [{ type: 'Plain', text: 'stay' }],
        content: 'stay',
        sender: { id: 'alice', name: 'Alice' },
        connectionId: null,
        clientId: null,
      });

      expect(await store.pipelines.delete(pipeline.uuid)).toBe(true);

      expect(await store.conversations.find(identity)).toBeUndefined();
      const remaining = await db
        .selectFrom('messages')
        .select(['conversation_id', 'content'])
        .execute();
      expect(remaining).toEqual([{ conversation_id: kept.id, content: 'stay' }]);
    });

    it('serves the echo runner when the stored runner is corrupt', async () => {
      const { store, db } = await temporaryStores.open();
      const broken = await store.pipelines.create({
        name: 'Broken',
        description: '',
        runner: echo,
      });
      const unknown = await store.pipelines.create({
        name: 'Unknown',
        description: '',
        runner: echo,
      });
      await db
        .updateTable('pipelines')
        .set({ runner: damagedJson(dialect, '{not json') })
        .where('uuid', '=', broken.uuid)
        .execute();
      await db
        .updateTable('pipelines')
        .set({ runner: JSON.stringify({ type: 'gpt-9' }) })
        .where('uuid', '=', unknown.uuid)
        .execute();
      const fallback = { type: 'echo', settings: { delay_ms: 30 } };
      expect((await store.pipelines.get(broken.uuid))?.runner).toEqual(fallback);
      expect((await store.pipelines.get(unknown.uuid))?.runner).toEqual(fallback);
    });
  });
});
