import type { ConversationListData, ConversationMessagesData } from '@botwire/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { finalFor, sendAndAck } from '../support/model-test-kit.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline, TestResources } from '../support/stream-test-kit.js';

/**
 * The conversation list and reading any listed conversation by id: an admin sees every
 * conversation of the pipeline, a member its group conversations and their own.
 */
describe('conversation list', () => {
  let server: ServerProcess;
  const resources = new TestResources();
  let pipelineUuid: string;
  let memberKey: string;
  let memberId: string;

  beforeAll(async () => {
    server = await startServerProcess();
    pipelineUuid = await createPipeline(server, 'listed echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const created = await rest<{ api_key: { id: number }; key: string }>(
      server.url,
      'POST',
      '/api/v1/keys',
      { body: { name: 'member-key', role: 'member' } },
    );
    expect(created.status).toBe(201);
    memberKey = created.body.data.key;
    memberId = `key:${created.body.data.api_key.id}`;
  });
  afterEach(async () => {
    await resources.dispose();
  });
  afterAll(async () => {
    await server?.[Symbol.asyncDispose]();
  });

  async function converse(query: string, token: string | undefined, text: string) {
    const chat = await resources.connect(server, pipelineUuid, {
      query,
      ...(token === undefined ? {} : { token }),
    });
    const ack = await sendAndAck(chat, text);
    await finalFor(chat, ack.data.id);
  }

  const list = (token?: string) =>
    rest<ConversationListData>(
      server.url,
      'GET',
      `/api/v1/pipelines/${pipelineUuid}/conversations`,
      token === undefined ? {} : { token },
    );
  const messages = (id: number, query = '', token?: string) =>
    rest<ConversationMessagesData>(
      server.url,
      'GET',
      `/api/v1/pipelines/${pipelineUuid}/conversations/${id}/messages${query}`,
      token === undefined ? {} : { token },
    );

  it('lists conversations with owner, session, count and last message, by visibility', async () => {
    await converse('session_type=person', undefined, 'admin here');
    await converse('session_type=group&session=lobby', undefined, 'hello group');
    await converse('session_type=person&session=work', memberKey, 'member one');
    await converse('session_type=person&session=work', memberKey, 'member two');

    const all = await list();
    expect(all.status).toBe(200);
    const conversations = all.body.data.conversations;
    expect(conversations).toHaveLength(3);
    // Newest activity first.
    expect(conversations[0]).toMatchObject({
      session_type: 'person',
      session: 'work',
      owner: memberId,
      message_count: 4,
      last_message: { role: 'assistant', status: 'complete' },
    });
    expect(conversations[0]?.last_message?.content).toContain('member two');
    expect(conversations.map((entry) => [entry.session_type, entry.session])).toEqual([
      ['person', 'work'],
      ['group', 'lobby'],
      ['person', 'default'],
    ]);
    expect(conversations[1]?.owner).toBeNull();

    const mine = await list(memberKey);
    expect(mine.status).toBe(200);
    expect(mine.body.data.conversations.map((entry) => [entry.session_type, entry.owner])).toEqual([
      ['person', memberId],
      ['group', null],
    ]);
  });

  it('pages through any conversation an admin lists, and hides others’ from a member', async () => {
    const conversations = (await list()).body.data.conversations;
    const memberConversation = conversations.find((entry) => entry.owner === memberId);
    const adminConversation = conversations.find(
      (entry) => entry.session_type === 'person' && entry.owner !== memberId,
    );
    if (memberConversation === undefined || adminConversation === undefined) {
      throw new Error('the first test did not leave its conversations');
    }

    const newest = await messages(memberConversation.id, '?limit=3');
    expect(newest.status).toBe(200);
    expect(newest.body.data.has_more).toBe(true);
    expect(newest.body.data.messages.map((message) => message.role)).toEqual([
      'assistant',
      'user',
      'assistant',
    ]);
    expect(newest.body.data.conversation).toMatchObject({
      id: memberConversation.id,
      owner: memberId,
    });
    const older = await messages(
      memberConversation.id,
      `?limit=3&before=${newest.body.data.messages[0]?.id}`,
    );
    expect(older.body.data.has_more).toBe(false);
    expect(older.body.data.messages.map((message) => message.content)).toEqual(['member one']);

    // The member may read their own, not the admin's: it does not exist for them.
    expect((await messages(memberConversation.id, '', memberKey)).status).toBe(200);
    const hidden = await messages(adminConversation.id, '', memberKey);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toBe('NOT_FOUND');

    // Unknown ids and ids of another pipeline's conversations are not found; a bad id is refused.
    expect((await messages(999_999)).body.error).toBe('NOT_FOUND');
    const other = await createPipeline(server, 'other echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const elsewhere = await rest(
      server.url,
      'GET',
      `/api/v1/pipelines/${other}/conversations/${memberConversation.id}/messages`,
    );
    expect(elsewhere.status).toBe(404);
    const bad = await rest(
      server.url,
      'GET',
      `/api/v1/pipelines/${pipelineUuid}/conversations/abc/messages`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('VALIDATION_FAILED');
    const unknownPipeline = await rest(
      server.url,
      'GET',
      '/api/v1/pipelines/00000000-0000-4000-8000-000000000000/conversations',
    );
    expect(unknownPipeline.body.error).toBe('PIPELINE_NOT_FOUND');
  });
});
