import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS, useTemporaryStores } from './temporary-store.test-support.js';

describe.each(STORE_DIALECTS)('on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  describe('KyselyStore', () => {
    it('keeps everything across a restart, and the restart interrupts unfinished replies', async () => {
      const { store: before, location } = await temporaryStores.open();
      const pipeline = await before.pipelines.create({
        name: 'P',
        description: 'kept',
        runner: { type: 'echo', settings: { delay_ms: 1 } },
        isDefault: true,
      });
      const identity = {
        pipelineUuid: pipeline.uuid,
        sessionType: 'person',
        key: 'alice',
      } as const;
      const conversation = await before.conversations.getOrCreate(identity);
      await before.conversations.reserveSeq(conversation.id, 42);
      const question = await before.messages.insertUserMessage({
        conversationId: conversation.id,
        chain: [{ type: 'Plain', text: 'hi' }],
        content: 'hi',
        sender: { id: 'alice', name: 'Alice' },
        connectionId: 'c',
        clientId: 'k1',
      });
      const reply = await before.messages.insertReply({
        conversationId: conversation.id,
        replyTo: question.id,
      });
      const user = await before.users.create({
        username: 'root',
        passwordHash: 'h',
        role: 'admin',
      });
      await before.close();

      const { store: after } = await temporaryStores.open({ location });
      expect(await after.pipelines.getDefault()).toEqual(pipeline);
      expect(await after.conversations.find(identity)).toEqual({
        ...conversation,
        seqReserved: 42,
      });
      expect(await after.messages.findByClientId(conversation.id, 'k1')).toEqual(question);
      expect(await after.messages.markStreamingAsInterrupted()).toBe(1);
      const page = await after.messages.listHistory({ conversationId: conversation.id, limit: 10 });
      expect(page.messages.map((message) => [message.id, message.status])).toEqual([
        [question.id, 'complete'],
        [reply.id, 'interrupted'],
      ]);
      expect(await after.users.findByUsername('root')).toEqual({ ...user, passwordHash: 'h' });
    });

    it('answers ping until closed, and closes twice without failing', async () => {
      const { store } = await temporaryStores.open();
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
      await expect(store.close()).resolves.toBeUndefined();
    });
  });
});
