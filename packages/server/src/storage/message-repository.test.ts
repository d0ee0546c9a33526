import type { ChatMessage } from '@botwire/protocol';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DatabaseSchema } from './database-schema.js';
import type { KyselyStore } from './kysely-store.js';
import type { NewUserMessage } from './store.js';
import { STORE_DIALECTS, damagedJson, useTemporaryStores } from './temporary-store.test-support.js';

describe.each(STORE_DIALECTS)('on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  interface Fixture {
    store: KyselyStore;
    db: Kysely<DatabaseSchema>;
    location: string;
    conversationId: number;
    otherConversationId: number;
  }

  async function openFixture(): Promise<Fixture> {
    const { store, db, location } = await temporaryStores.open();
    const pipeline = await store.pipelines.create({
      name: 'P',
      description: '',
      runner: { type: 'echo', settings: { delay_ms: 0 } },
    });
    const identity = { pipelineUuid: pipeline.uuid, sessionType: 'person', key: 'alice' } as const;
    const conversation = await store.conversations.getOrCreate(identity);
    const other = await store.conversations.getOrCreate({ ...identity, key: 'bob' });
    return { store, db, location, conversationId: conversation.id, otherConversationId: other.id };
  }

  function userMessage(
    conversationId: number,
    text: string,
    clientId: string | null = null,
  ): NewUserMessage {
    return {
      conversationId,
      chain: [{ type: 'Plain', text }],
      content: text,
      sender: { id: 'alice', name: 'Alice' },
      connectionId: 'conn-1',
      clientId,
    };
  }

  async function insertTexts(fixture: Fixture, count: number): Promise<ChatMessage[]> {
    const inserted: ChatMessage[] = [];
    for (let index = 1; index <= count; index += 1) {
      inserted.push(
        await fixture.store.messages.insertUserMessage(
          userMessage(fixture.conversationId, `m${index}`),
        ),
      );
    }
    return inserted;
  }

  describe('KyselyMessageRepository', () => {
    it('stores a user message and finds it by client id', async () => {
      const fixture = await openFixture();
      const { store, conversationId } = fixture;
      const message = await store.messages.insertUserMessage(
        userMessage(conversationId, 'hello', 'client-1'),
      );
      expect(message).toEqual({
        id: message.id,
        role: 'user',
        content: 'hello',
        message_chain: [{ type: 'Plain', text: 'hello' }],
        timestamp: message.timestamp,
        is_final: true,
        status: 'complete',
        reply_to: null,
        connection_id: 'conn-1',
        client_id: 'client-1',
        sender: { id: 'alice', name: 'Alice' },
      });
      expect(Number.isNaN(Date.parse(message.timestamp))).toBe(false);

      expect(await store.messages.findByClientId(conversationId, 'client-1')).toEqual(message);
      expect(await store.messages.findByClientId(conversationId, 'client-2')).toBeUndefined();
      expect(
        await store.messages.findByClientId(fixture.otherConversationId, 'client-1'),
      ).toBeUndefined();
    });

    it('rejects a second message with the same client id in one conversation only', async () => {
      const { store, conversationId, otherConversationId } = await openFixture();
      await store.messages.insertUserMessage(userMessage(conversationId, 'first', 'dup'));
      await expect(
        store.messages.insertUserMessage(userMessage(conversationId, 'second', 'dup')),
      ).rejects.toThrow(/already stored/);
      // The same key in another conversation, and messages without a key, do not collide.
      await store.messages.insertUserMessage(userMessage(otherConversationId, 'elsewhere', 'dup'));
      await store.messages.insertUserMessage(userMessage(conversationId, 'no key a'));
      await store.messages.insertUserMessage(userMessage(conversationId, 'no key b'));
      const page = await store.messages.listHistory({ conversationId, limit: 10 });
      expect(page.messages.map((message) => message.content)).toEqual([
        'first',
        'no key a',
        'no key b',
      ]);
    });

    it('inserts a streaming reply and finishes it', async () => {
      const { store, conversationId } = await openFixture();
      const question = await store.messages.insertUserMessage(userMessage(conversationId, 'ping'));
      const reply = await store.messages.insertReply({ conversationId, replyTo: question.id });
      expect(reply).toMatchObject({
        role: 'assistant',
        content: '',
        message_chain: [],
        is_final: false,
        status: 'streaming',
        reply_to: question.id,
        sender: null,
        client_id: null,
        connection_id: null,
      });
      expect(reply.id).toBeGreaterThan(question.id);

      await store.messages.finishReply({
        id: reply.id,
        content: 'pong',
        chain: [{ type: 'Plain', text: 'pong' }],
        status: 'complete',
      });
      const page = await store.messages.listHistory({ conversationId, limit: 10 });
      expect(page.messages[1]).toMatchObject({
        id: reply.id,
        content: 'pong',
        message_chain: [{ type: 'Plain', text: 'pong' }],
        is_final: true,
        status: 'complete',
        timestamp: reply.timestamp,
      });
    });

    it('saves the progress of a streaming reply, but never over a finished one', async () => {
      const { store, conversationId } = await openFixture();
      const question = await store.messages.insertUserMessage(userMessage(conversationId, 'ping'));
      const reply = await store.messages.insertReply({ conversationId, replyTo: question.id });
      await store.messages.appendReplyProgress(reply.id, 0, 'po');
      let page = await store.messages.listHistory({ conversationId, limit: 10 });
      expect(page.messages[1]).toMatchObject({ content: 'po', status: 'streaming' });

      await store.messages.finishReply({
        id: reply.id,
        content: 'pong',
        chain: [],
        status: 'complete',
      });
      await store.messages.appendReplyProgress(reply.id, 2, 'p');
      page = await store.messages.listHistory({ conversationId, limit: 10 });
      expect(page.messages[1]).toMatchObject({ content: 'pong', status: 'complete' });
    });

    it('stores each save of a reply as only its new text, and the whole text once it finishes', async () => {
      const { store, db, conversationId } = await openFixture();
      const question = await store.messages.insertUserMessage(userMessage(conversationId, 'ping'));
      const reply = await store.messages.insertReply({ conversationId, replyTo: question.id });
      const pieces = ['Once ', 'upon ', 'a ', 'time'];
      let start = 0;
      for (const piece of pieces) {
        await store.messages.appendReplyProgress(reply.id, start, piece);
        start += piece.length;
      }
      // Proportional to what is new: the rows hold each piece once, never the text so far again.
      const rows = await db
        .selectFrom('reply_progress')
        .select(['start', 'text'])
        .where('message_id', '=', reply.id)
        .orderBy('start')
        .execute();
      expect(rows).toEqual([
        { start: 0, text: 'Once ' },
        { start: 5, text: 'upon ' },
        { start: 10, text: 'a ' },
        { start: 12, text: 'time' },
      ]);
      const stored = await db
        .selectFrom('messages')
        .select('content')
        .where('id', '=', reply.id)
        .executeTakeFirstOrThrow();
      expect(stored.content).toBe('');
      const page = await store.messages.listHistory({ conversationId, limit: 10 });
      expect(page.messages[1]).toMatchObject({ content: 'Once upon a time', status: 'streaming' });

      await store.messages.finishReply({
        id: reply.id,
        content: 'Once upon a time.',
        chain: [{ type: 'Plain', text: 'Once upon a time.' }],
        status: 'complete',
      });
      const left = await db
        .selectFrom('reply_progress')
        .select('text')
        .where('message_id', '=', reply.id)
        .execute();
      expect(left).toEqual([]);
      const finished = await store.messages.listHistory({ conversationId, limit: 10 });
      expect(finished.messages[1]).toMatchObject({
        content: 'Once upon a time.',
        status: 'complete',
      });
    });

    it('keeps the saved progress of a reply a crash left streaming, as interrupted', async () => {
      const { store, location, conversationId } = await openFixture();
      const question = await store.messages.insertUserMessage(userMessage(conversationId, 'ping'));
      const reply = await store.messages.insertReply({ conversationId, replyTo: question.id });
      await store.messages.appendReplyProgress(reply.id, 0, 'half ');
      await store.messages.appendReplyProgress(reply.id, 5, 'done');
      await store.close();

      const { store: restarted, db } = await temporaryStores.open({ location });
      expect(await restarted.messages.markStreamingAsInterrupted()).toBe(1);
      const page = await restarted.messages.listHistory({ conversationId, limit: 10 });
      expect(page.messages[1]).toMatchObject({ content: 'half done', status: 'interrupted' });
      expect(await db.selectFrom('reply_progress').selectAll().execute()).toEqual([]);
    });

    it('pages history newest first by page, oldest first within it', async () => {
      const fixture = await openFixture();
      const { store, conversationId } = fixture;
      const inserted = await insertTexts(fixture, 5);
      await store.messages.insertUserMessage(userMessage(fixture.otherConversationId, 'not mine'));
      const contents = (page: { messages: ChatMessage[] }): string[] =>
        page.messages.map((message) => message.content);

      const latest = await store.messages.listHistory({ conversationId, limit: 2 });
      expect(contents(latest)).toEqual(['m4', 'm5']);
      expect(latest.hasMore).toBe(true);

      const middle = await store.messages.listHistory({
        conversationId,
        limit: 2,
        before: latest.messages[0]?.id,
      });
      expect(contents(middle)).toEqual(['m2', 'm3']);
      expect(middle.hasMore).toBe(true);

      const oldest = await store.messages.listHistory({
        conversationId,
        limit: 2,
        before: middle.messages[0]?.id,
      });
      expect(contents(oldest)).toEqual(['m1']);
      expect(oldest.hasMore).toBe(false);

      const exact = await store.messages.listHistory({ conversationId, limit: 5 });
      expect(contents(exact)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
      expect(exact.hasMore).toBe(false);

      const beforeSecond = await store.messages.listHistory({
        conversationId,
        limit: 5,
        before: inserted[1]?.id,
      });
      expect(contents(beforeSecond)).toEqual(['m1']);
      expect(beforeSecond.hasMore).toBe(false);

      const empty = await store.messages.listHistory({ conversationId: 9999, limit: 5 });
      expect(empty).toEqual({ messages: [], hasMore: false });
    });

    it('marks replies left streaming as interrupted', async () => {
      const { store, conversationId, otherConversationId } = await openFixture();
      const question = await store.messages.insertUserMessage(userMessage(conversationId, 'q'));
      const open = await store.messages.insertReply({ conversationId, replyTo: question.id });
      const alsoOpen = await store.messages.insertReply({
        conversationId: otherConversationId,
        replyTo: question.id,
      });
      const done = await store.messages.insertReply({ conversationId, replyTo: question.id });
      await store.messages.finishReply({
        id: done.id,
        content: 'ok',
        chain: [{ type: 'Plain', text: 'ok' }],
        status: 'complete',
      });

      expect(await store.messages.markStreamingAsInterrupted()).toBe(2);
      expect(await store.messages.markStreamingAsInterrupted()).toBe(0);

      const page = await store.messages.listHistory({ conversationId, limit: 10 });
      const statusById = new Map(page.messages.map((message) => [message.id, message.status]));
      expect(statusById.get(question.id)).toBe('complete');
      expect(statusById.get(open.id)).toBe('interrupted');
      expect(statusById.get(done.id)).toBe('complete');
      const other = await store.messages.listHistory({
        conversationId: otherConversationId,
        limit: 10,
      });
      expect(other.messages[0]).toMatchObject({
        id: alsoOpen.id,
        status: 'interrupted',
        is_final: true,
      });
    });

    it('counts the messages of one conversation only', async () => {
      const fixture = await openFixture();
      const { store, conversationId, otherConversationId } = fixture;
      expect(await store.messages.countInConversation(conversationId)).toBe(0);
      await insertTexts(fixture, 3);
      await store.messages.insertUserMessage(userMessage(otherConversationId, 'elsewhere'));
      expect(await store.messages.countInConversation(conversationId)).toBe(3);
      expect(await store.messages.countInConversation(otherConversationId)).toBe(1);
    });

    it('deletes the messages of one conversation', async () => {
      const fixture = await openFixture();
      const { store, conversationId, otherConversationId } = fixture;
      await insertTexts(fixture, 3);
      await store.messages.insertUserMessage(userMessage(otherConversationId, 'kept'));
      expect(await store.messages.deleteConversationMessages(conversationId)).toBe(3);
      expect((await store.messages.listHistory({ conversationId, limit: 10 })).messages).toEqual(
        [],
      );
      expect(
        (await store.messages.listHistory({ conversationId: otherConversationId, limit: 10 }))
          .messages,
      ).toHaveLength(1);
    });

    it('reads a corrupt chain as empty instead of failing', async () => {
      const fixture = await openFixture();
      const { store, db, conversationId } = fixture;
      const [broken, invalid, fine] = await insertTexts(fixture, 3);
      await db
        .updateTable('messages')
        .set({ message_chain: damagedJson(dialect, '[{"type":') })
        .where('id', '=', broken?.id ?? 0)
        .execute();
      await db
        .updateTable('messages')
        .set({ message_chain: JSON.stringify([{ type: 'Video' }]) })
        .where('id', '=', invalid?.id ?? 0)
        .execute();
      const page = await store.messages.listHistory({ conversationId, limit: 10 });
      expect(page.messages.map((message) => message.message_chain)).toEqual([
        [],
        [],
        [{ type: 'Plain', text: 'm3' }],
      ]);
      expect(page.messages[2]?.id).toBe(fine?.id);
    });
  });
});
