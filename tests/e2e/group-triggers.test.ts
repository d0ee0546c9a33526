import type { MessageChain } from '@botwire/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { startFakeOpenAiServer } from '../support/fake-openai-server.js';
import type { FakeProviderServer } from '../support/fake-provider-server.js';
import {
  createModelPipeline,
  finalFor,
  mentionChain,
  openAiRunner,
  patchPipeline,
  receivedPrompt,
  sendAndAck,
} from '../support/model-test-kit.js';
import { registerModelSuiteHooks } from '../support/model-suite-hooks.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import {
  TestResources,
  barrier,
  createApiKey,
  eventually,
  fetchHistory,
  summarize,
} from '../support/stream-test-kit.js';

/**
 * Group trigger rules end to end: which group messages get a reply (mention, prefix), that the
 * others are still stored and shown to everyone, the sender mention in replies, and person
 * conversations that always reply.
 */
describe('group triggers', () => {
  let server: ServerProcess;
  let openai: FakeProviderServer;
  let alice: string;
  let bob: string;
  const resources = new TestResources();
  const ANSWER = 'Sure, done.';

  beforeAll(async () => {
    [openai, server] = await Promise.all([startFakeOpenAiServer(), startServerProcess()]);
    [alice, bob] = await Promise.all([createApiKey(server, 'alice'), createApiKey(server, 'bob')]);
  });
  registerModelSuiteHooks({
    resources,
    server: () => server,
    fakes: () => [openai],
    behaviour: { kind: 'stream', chunks: ['Sure', ', done.'] },
  });

  /**
   * The requests the fake received for one pipeline. Each pipeline names its own model, so a
   * late reply of an earlier (failed) test cannot be counted here.
   */
  const requestsOf = (model: string) =>
    openai.requests.filter((request) => request.body?.model === model);

  /** A model pipeline with `extra` settings and two group connections (alice and bob). */
  async function groupOf(name: string, extra: Record<string, unknown> = {}) {
    const pipeline = await createModelPipeline(server, {
      name,
      runner: openAiRunner(openai.baseUrl, { model: `model-${name}` }),
      ...extra,
    });
    const aliceChat = await resources.connect(server, pipeline.uuid, {
      query: 'session_type=group',
      token: alice,
    });
    const bobChat = await resources.connect(server, pipeline.uuid, {
      query: 'session_type=group',
      token: bob,
    });
    return { uuid: pipeline.uuid, model: `model-${name}`, aliceChat, bobChat };
  }

  /**
   * Sends each chain from `chat` and checks it gets no reply: stored, echoed to both connections,
   * and after a ping/pong barrier no `response` frame and no model request.
   */
  async function expectNoReply(
    { uuid, model }: { uuid: string; model: string },
    chat: ChatSocket,
    chats: ChatSocket[],
    chains: MessageChain[],
  ): Promise<number[]> {
    const ids: number[] = [];
    for (const chain of chains) {
      const ack = await sendAndAck(chat, chain);
      ids.push(ack.data.id);
      for (const other of chats) await other.next('user_message', (f) => f.data.id === ack.data.id);
    }
    await Promise.all(chats.map((other) => barrier(other)));
    for (const other of chats) expect(other.ofType('response')).toEqual([]);
    expect(requestsOf(model)).toHaveLength(0);
    const history = await fetchHistory(server, uuid, 'group', { token: alice });
    expect(history.messages.filter((message) => message.role === 'assistant')).toEqual([]);
    expect(history.messages.map((message) => message.id)).toEqual(expect.arrayContaining(ids));
    return ids;
  }

  /**
   * Proves that none of the messages before `trigger` was queued for a reply: replies run one at
   * a time in arrival order, so the first reply anyone gets must be the one to `trigger`.
   */
  async function expectOnlyReplyTo(
    model: string,
    chats: ChatSocket[],
    trigger: number,
  ): Promise<void> {
    for (const chat of chats) {
      const final = await finalFor(chat, trigger);
      expect(final.data).toMatchObject({ status: 'complete', content: ANSWER });
    }
    await Promise.all(chats.map((chat) => barrier(chat)));
    for (const chat of chats) {
      expect(new Set(chat.ofType('response').map((frame) => frame.data.reply_to))).toEqual(
        new Set([trigger]),
      );
    }
    await eventually(() => requestsOf(model).length >= 1, 5_000, 'the model request');
    expect(requestsOf(model)).toHaveLength(1);
  }

  it('replies to a mention only; other messages are stored and shown to everyone', async () => {
    const group = await groupOf('triggers-default');
    const { uuid, model, aliceChat, bobChat } = group;
    const chats = [aliceChat, bobChat];
    const [quiet] = await expectNoReply(group, aliceChat, chats, [
      [{ type: 'Plain', text: 'just chatting among humans' }],
      // A mention of someone else is no mention of the bot.
      [
        { type: 'At', target: 'key:somebody-else', display: 'carol' },
        { type: 'Plain', text: ' hi carol' },
      ],
    ]);
    for (const chat of chats) {
      expect(chat.ofType('user_message').map((frame) => frame.data.content)).toEqual([
        'just chatting among humans',
        '@carol hi carol',
      ]);
    }

    const mention = await sendAndAck(bobChat, mentionChain(uuid, 'what did alice say?'));
    await expectOnlyReplyTo(model, chats, mention.data.id);
    // The unanswered messages are context for the reply, with their senders' names.
    expect(receivedPrompt(requestsOf(model)[0]!).turns).toEqual([
      { role: 'user', text: 'alice: just chatting among humans' },
      { role: 'user', text: 'alice: @carol hi carol' },
      { role: 'user', text: 'bob: @bot what did alice say?' },
    ]);
    const history = await fetchHistory(server, uuid, 'group', { token: bob });
    expect(summarize(history.messages).map(({ role, reply_to }) => ({ role, reply_to }))).toEqual([
      { role: 'user', reply_to: null },
      { role: 'user', reply_to: null },
      { role: 'user', reply_to: null },
      { role: 'assistant', reply_to: mention.data.id },
    ]);
    expect(history.messages[0]?.id).toBe(quiet);
  });

  it('replies to messages starting with a configured prefix', async () => {
    const group = await groupOf('triggers-prefix', {
      group_triggers: { prefixes: ['/ask'] },
    });
    const { model, aliceChat, bobChat } = group;
    const chats = [aliceChat, bobChat];
    await expectNoReply(group, aliceChat, chats, [
      [{ type: 'Plain', text: 'hello there' }],
      [{ type: 'Plain', text: 'please /ask later' }],
    ]);
    const asked = await sendAndAck(aliceChat, '/ask what is 2+2?');
    await expectOnlyReplyTo(model, chats, asked.data.id);
    expect(receivedPrompt(requestsOf(model)[0]!).turns.at(-1)).toEqual({
      role: 'user',
      text: 'alice: /ask what is 2+2?',
    });
  });

  it('does not reply to a mention when the mention rule is off and no prefix matches', async () => {
    const group = await groupOf('triggers-off', {
      group_triggers: { mention: false },
    });
    const { uuid, model, aliceChat, bobChat } = group;
    const chats = [aliceChat, bobChat];
    await expectNoReply(group, aliceChat, chats, [
      mentionChain(uuid, 'are you there?'),
      [
        { type: 'At', target: 'websocket-proxy-bot' },
        { type: 'Plain', text: ' hello?' },
      ],
    ]);
    // Had either been queued, its reply would come before this one's.
    await patchPipeline(server, uuid, { group_triggers: { probability: 1 } });
    const later = await sendAndAck(bobChat, 'anyone?');
    await expectOnlyReplyTo(model, chats, later.data.id);
  });

  it('starts group replies with an At mention of the sender when mention_sender_in_group is on', async () => {
    const { uuid, aliceChat, bobChat } = await groupOf('mention-sender', {
      output: { mention_sender_in_group: true, coalesce_ms: 0 },
    });
    const ack = await sendAndAck(aliceChat, mentionChain(uuid, 'do the thing'));
    const sender = ack.data.sender!;
    expect(sender.name).toBe('alice');

    for (const chat of [aliceChat, bobChat]) {
      const final = await finalFor(chat, ack.data.id);
      expect(final.data.content).toBe(`@alice ${ANSWER}`);
      expect(final.data.status).toBe('complete');
      expect(final.data.message_chain).toEqual([
        { type: 'At', target: sender.id, display: 'alice' },
        { type: 'Plain', text: ANSWER },
      ]);
      const first = chat.ofType('response')[0]!;
      expect(first.data.delta.startsWith('@alice ')).toBe(true);
      expect(first.data.content.startsWith('@alice ')).toBe(true);
    }
    const history = await fetchHistory(server, uuid, 'group', { token: bob });
    expect(history.messages.at(-1)).toMatchObject({
      content: `@alice ${ANSWER}`,
      message_chain: [
        { type: 'At', target: sender.id, display: 'alice' },
        { type: 'Plain', text: ANSWER },
      ],
    });

    // Person conversations of the same pipeline get no mention.
    const person = await resources.connect(server, uuid, {
      query: 'session_type=person',
      token: alice,
    });
    const personAck = await sendAndAck(person, 'in private');
    const personFinal = await finalFor(person, personAck.data.id);
    expect(personFinal.data.content).toBe(ANSWER);
    expect(personFinal.data.message_chain).toEqual([{ type: 'Plain', text: ANSWER }]);
  });

  it('always replies in person conversations, whatever the group rules', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'person-always',
      runner: openAiRunner(openai.baseUrl, { model: 'model-person-always' }),
      group_triggers: { mention: false, prefixes: ['/never-used'], probability: 0 },
    });
    const chat = await resources.connect(server, pipeline.uuid, {
      query: 'session_type=person',
      token: bob,
    });
    const ack = await sendAndAck(chat, 'no mention, no prefix');
    const final = await finalFor(chat, ack.data.id);
    expect(final.data).toMatchObject({ content: ANSWER, status: 'complete' });
    await eventually(() => requestsOf('model-person-always').length >= 1, 5_000, 'the request');
    // Person conversations carry no sender names.
    expect(receivedPrompt(requestsOf('model-person-always')[0]!).turns).toEqual([
      { role: 'user', text: 'no mention, no prefix' },
    ]);
  });
});
