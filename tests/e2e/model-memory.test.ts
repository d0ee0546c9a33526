import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { startFakeOpenAiServer } from '../support/fake-openai-server.js';
import type { FakeProviderServer } from '../support/fake-provider-server.js';
import {
  createModelPipeline,
  finalFor,
  openAiRunner,
  receivedPrompt,
  sendAndAck,
  waitForRequests,
} from '../support/model-test-kit.js';
import { registerModelSuiteHooks } from '../support/model-suite-hooks.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import {
  TestResources,
  closeSocket,
  createApiKey,
  fetchHistory,
  resetConversation,
} from '../support/stream-test-kit.js';

/**
 * What the model remembers: the last `memory.turns` turns from the stored history, cleared by a
 * reset, kept across reconnects, and with group senders told apart by name.
 */
describe('model memory', () => {
  let server: ServerProcess;
  let openai: FakeProviderServer;
  const resources = new TestResources();
  const SYSTEM = 'You remember the conversation.';

  beforeAll(async () => {
    [openai, server] = await Promise.all([startFakeOpenAiServer(), startServerProcess()]);
  });
  registerModelSuiteHooks({ resources, server: () => server, fakes: () => [openai] });

  /**
   * Sends `text` with the fake set to answer `answer`, waits for the complete reply and returns
   * the request the fake received for it.
   */
  async function exchange(chat: ChatSocket, text: string, answer: string) {
    const before = openai.requests.length;
    openai.setBehaviour({ kind: 'stream', chunks: [answer] });
    const ack = await sendAndAck(chat, text);
    const final = await finalFor(chat, ack.data.id);
    expect(final.data).toMatchObject({ content: answer, status: 'complete' });
    const request = await waitForRequests(openai, before + 1);
    expect(openai.requests).toHaveLength(before + 1);
    return { ack, final, prompt: receivedPrompt(request), request };
  }

  it('sends the last memory.turns turns, forgets them on reset and keeps them across reconnects', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'memory-two-turns',
      runner: openAiRunner(openai.baseUrl),
      system_prompt: SYSTEM,
      memory: { turns: 2 },
    });
    const connect = () =>
      resources.connect(server, pipeline.uuid, { query: 'session_type=person' });
    let chat = await connect();

    const first = await exchange(chat, 'first question', 'answer one');
    expect(first.prompt).toEqual({
      system: SYSTEM,
      turns: [{ role: 'user', text: 'first question' }],
    });
    const second = await exchange(chat, 'second question', 'answer two');
    expect(second.prompt.turns).toEqual([
      { role: 'user', text: 'first question' },
      { role: 'assistant', text: 'answer one' },
      { role: 'user', text: 'second question' },
    ]);
    await exchange(chat, 'third question', 'answer three');

    const fourth = await exchange(chat, 'fourth question', 'answer four');
    // The system prompt, exactly two past turns (the oldest one dropped), then the new message.
    expect(fourth.request.body.messages).toEqual([
      { role: 'system', content: SYSTEM },
      { role: 'user', content: 'second question' },
      { role: 'assistant', content: 'answer two' },
      { role: 'user', content: 'third question' },
      { role: 'assistant', content: 'answer three' },
      { role: 'user', content: 'fourth question' },
    ]);

    // A reset clears the history, which is the model's context too.
    await resetConversation(server, pipeline.uuid, 'person');
    await chat.next('session_reset');
    expect((await fetchHistory(server, pipeline.uuid, 'person')).messages).toEqual([]);
    const afterReset = await exchange(chat, 'after reset', 'fresh start');
    expect(afterReset.prompt).toEqual({
      system: SYSTEM,
      turns: [{ role: 'user', text: 'after reset' }],
    });

    // A new connection to the same conversation keeps the context.
    await closeSocket(chat);
    chat = await connect();
    const afterReconnect = await exchange(chat, 'after reconnect', 'still here');
    expect(afterReconnect.prompt).toEqual({
      system: SYSTEM,
      turns: [
        { role: 'user', text: 'after reset' },
        { role: 'assistant', text: 'fresh start' },
        { role: 'user', text: 'after reconnect' },
      ],
    });
  });

  it('tells group senders apart by name in the user texts the model receives', async () => {
    const [alice, bob] = await Promise.all([
      createApiKey(server, 'alice'),
      createApiKey(server, 'bob'),
    ]);
    const pipeline = await createModelPipeline(server, {
      name: 'memory-group',
      runner: openAiRunner(openai.baseUrl),
      system_prompt: SYSTEM,
      // Every group message gets a reply here; trigger rules have their own tests.
      group_triggers: { probability: 1 },
    });
    const aliceChat = await resources.connect(server, pipeline.uuid, {
      query: 'session_type=group',
      token: alice,
    });
    const bobChat = await resources.connect(server, pipeline.uuid, {
      query: 'session_type=group',
      token: bob,
    });

    const fromAlice = await exchange(aliceChat, 'I like tea', 'Noted, Alice.');
    expect(fromAlice.ack.data.sender?.name).toBe('alice');
    expect(fromAlice.prompt.turns).toEqual([{ role: 'user', text: 'alice: I like tea' }]);
    // Bob's reply has to wait for Alice's to be visible to him too.
    await finalFor(bobChat, fromAlice.ack.data.id);

    const fromBob = await exchange(bobChat, 'I prefer coffee', 'Noted, Bob.');
    expect(fromBob.ack.data.sender?.name).toBe('bob');
    expect(fromBob.prompt).toEqual({
      system: SYSTEM,
      turns: [
        { role: 'user', text: 'alice: I like tea' },
        { role: 'assistant', text: 'Noted, Alice.' },
        { role: 'user', text: 'bob: I prefer coffee' },
      ],
    });
    // The names go to the model only: stored and shown texts stay as the senders wrote them.
    const history = await fetchHistory(server, pipeline.uuid, 'group', { token: alice });
    expect(history.messages.map((message) => message.content)).toEqual([
      'I like tea',
      'Noted, Alice.',
      'I prefer coffee',
      'Noted, Bob.',
    ]);
  });
});
