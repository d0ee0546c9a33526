import type { Pipeline, ResponseFrame } from '@botwire/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { startFakeAnthropicServer } from '../support/fake-anthropic-server.js';
import { startFakeOpenAiServer } from '../support/fake-openai-server.js';
import type { FakeProviderServer } from '../support/fake-provider-server.js';
import {
  anthropicRunner,
  createModelPipeline,
  finalFor,
  openAiRunner,
  receivedPrompt,
  sendAndAck,
  waitForRequests,
  words,
} from '../support/model-test-kit.js';
import { rest } from '../support/rest-client.js';
import { registerModelSuiteHooks } from '../support/model-suite-hooks.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import {
  TestResources,
  barrier,
  fetchHistory,
  replyFrames,
  summarize,
} from '../support/stream-test-kit.js';

/**
 * Model pipelines end to end: a real server process streams replies from real local HTTP
 * servers speaking the OpenAI and Anthropic wire formats, to real WebSocket clients.
 */
describe('model pipelines', () => {
  let server: ServerProcess;
  let openai: FakeProviderServer;
  let anthropic: FakeProviderServer;
  const resources = new TestResources();

  beforeAll(async () => {
    [openai, anthropic, server] = await Promise.all([
      startFakeOpenAiServer(),
      startFakeAnthropicServer(),
      startServerProcess(),
    ]);
  });
  registerModelSuiteHooks({
    resources,
    server: () => server,
    fakes: () => [openai, anthropic],
    behaviour: { kind: 'stream', chunks: ['Hello', ' world'] },
  });

  const SLOW_CHUNKS = ['Streaming ', 'replies ', 'arrive ', 'in ', 'order.'];

  /** Checks one streamed reply as every client must see it, and returns its frames. */
  function expectStreamedReply(
    chat: ChatSocket,
    final: ResponseFrame,
    chunks: readonly string[],
  ): ResponseFrame[] {
    const frames = replyFrames(chat.frames, final.data.id);
    const chunkFrames = frames.slice(0, -1);
    // Chunks are 80 ms apart and the coalescing window is 20 ms: each one is its own frame.
    expect(chunkFrames.map((frame) => frame.data.delta)).toEqual(chunks);
    let text = '';
    for (const frame of chunkFrames) {
      text += frame.data.delta;
      expect(frame.data).toMatchObject({
        id: final.data.id,
        role: 'assistant',
        content: text,
        is_final: false,
        status: 'streaming',
        reply_to: final.data.reply_to,
      });
    }
    const seqs = frames.map((frame) => frame.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(frames.at(-1)).toBe(final);
    expect(final.data).toMatchObject({
      content: chunks.join(''),
      delta: '',
      is_final: true,
      status: 'complete',
      message_chain: [{ type: 'Plain', text: chunks.join('') }],
    });
    return frames;
  }

  it('streams an openai-compatible reply in order, with the pipeline settings on the wire', async () => {
    openai.setBehaviour({ kind: 'stream', chunks: SLOW_CHUNKS, delayMs: 80 });
    const pipeline = await createModelPipeline(server, {
      name: 'openai-stream',
      runner: openAiRunner(openai.baseUrl, { api_key: 'sk-openai-stream-key', model: 'gpt-e2e-1' }),
      system_prompt: 'You are a terse test bot.',
      model_parameters: { temperature: 0.3, max_output_tokens: 77 },
      output: { coalesce_ms: 20 },
    });
    const chat = await resources.connect(server, pipeline.uuid, { query: 'session_type=person' });
    const ack = await sendAndAck(chat, 'Hello model');
    const final = await finalFor(chat, ack.data.id);

    expectStreamedReply(chat, final, SLOW_CHUNKS);
    const history = await fetchHistory(server, pipeline.uuid, 'person');
    expect(summarize(history.messages)).toEqual([
      { id: ack.data.id, role: 'user', content: 'Hello model', status: 'complete', reply_to: null },
      {
        id: final.data.id,
        role: 'assistant',
        content: SLOW_CHUNKS.join(''),
        status: 'complete',
        reply_to: ack.data.id,
      },
    ]);

    expect(openai.requests).toHaveLength(1);
    const request = openai.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-openai-stream-key');
    expect(request.body).toMatchObject({
      model: 'gpt-e2e-1',
      stream: true,
      temperature: 0.3,
      max_tokens: 77,
    });
    expect(request.body.messages).toEqual([
      { role: 'system', content: 'You are a terse test bot.' },
      { role: 'user', content: 'Hello model' },
    ]);
  });

  it('streams an anthropic reply in order, with the pipeline settings on the wire', async () => {
    anthropic.setBehaviour({ kind: 'stream', chunks: SLOW_CHUNKS, delayMs: 80 });
    const pipeline = await createModelPipeline(server, {
      name: 'anthropic-stream',
      runner: anthropicRunner(anthropic.baseUrl, {
        api_key: 'sk-ant-stream-key',
        // A known model family: the AI SDK drops temperature for claude-* ids it does not know.
        model: 'claude-sonnet-4-5-e2e',
      }),
      system_prompt: 'You are a careful test bot.',
      model_parameters: { temperature: 0.7, max_output_tokens: 321 },
      output: { coalesce_ms: 20 },
    });
    const chat = await resources.connect(server, pipeline.uuid, { query: 'session_type=person' });
    const ack = await sendAndAck(chat, 'Hello Claude');
    const final = await finalFor(chat, ack.data.id);

    expectStreamedReply(chat, final, SLOW_CHUNKS);
    const history = await fetchHistory(server, pipeline.uuid, 'person');
    expect(history.messages.at(-1)).toMatchObject({
      id: final.data.id,
      role: 'assistant',
      content: SLOW_CHUNKS.join(''),
      status: 'complete',
    });

    expect(anthropic.requests).toHaveLength(1);
    const request = anthropic.requests[0]!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe('sk-ant-stream-key');
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toMatchObject({
      model: 'claude-sonnet-4-5-e2e',
      stream: true,
      temperature: 0.7,
      max_tokens: 321,
    });
    expect(receivedPrompt(request)).toEqual({
      system: 'You are a careful test bot.',
      turns: [{ role: 'user', text: 'Hello Claude' }],
    });
  });

  it('coalesces a fast stream of tiny deltas into a few frames without losing text', async () => {
    const chunks = words(50, 't');
    openai.setBehaviour({ kind: 'stream', chunks, delayMs: 0 });
    const pipeline = await createModelPipeline(server, {
      name: 'coalescing',
      runner: openAiRunner(openai.baseUrl),
      output: { coalesce_ms: 200 },
    });
    const chat = await resources.connect(server, pipeline.uuid, { query: 'session_type=person' });
    const ack = await sendAndAck(chat, 'go fast');
    const final = await finalFor(chat, ack.data.id);

    const frames = replyFrames(chat.frames, final.data.id);
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames.length).toBeLessThan(10);
    expect(
      frames
        .slice(0, -1)
        .map((frame) => frame.data.delta)
        .join(''),
    ).toBe(chunks.join(''));
    expect(final.data).toMatchObject({ content: chunks.join(''), status: 'complete' });
  });

  it('sends one final response frame with the whole text when streaming is off', async () => {
    const chunks = ['One ', 'piece ', 'only.'];
    openai.setBehaviour({ kind: 'stream', chunks, delayMs: 20 });
    const pipeline = await createModelPipeline(server, {
      name: 'no-streaming',
      runner: openAiRunner(openai.baseUrl),
      output: { streaming: false },
    });
    const chat = await resources.connect(server, pipeline.uuid, { query: 'session_type=person' });
    const ack = await sendAndAck(chat, 'all at once please');
    const final = await finalFor(chat, ack.data.id);
    await barrier(chat);

    expect(chat.ofType('response')).toEqual([final]);
    expect(final.data).toMatchObject({
      content: 'One piece only.',
      is_final: true,
      status: 'complete',
      reply_to: ack.data.id,
      message_chain: [{ type: 'Plain', text: 'One piece only.' }],
    });
    const history = await fetchHistory(server, pipeline.uuid, 'person');
    expect(history.messages.at(-1)).toMatchObject({
      id: final.data.id,
      content: 'One piece only.',
      status: 'complete',
    });
  });

  it('cancels a streaming reply from another connection and drops the upstream request', async () => {
    const chunks = words(40, 'slow');
    openai.setBehaviour({ kind: 'stream', chunks, delayMs: 100 });
    const pipeline = await createModelPipeline(server, {
      name: 'cancel',
      runner: openAiRunner(openai.baseUrl),
      output: { coalesce_ms: 10 },
    });
    const sender = await resources.connect(server, pipeline.uuid, {
      query: 'session_type=person',
    });
    const other = await resources.connect(server, pipeline.uuid, {
      query: 'session_type=person',
    });
    const ack = await sendAndAck(sender, 'tell me a long story');
    await other.waitFor(
      () =>
        other.ofType('response').filter((frame) => frame.data.reply_to === ack.data.id).length >= 2,
      5_000,
    );
    const replyId = other.ofType('response')[0]!.data.id;
    other.send({ type: 'cancel', reply_id: replyId });

    await openai.waitForDisconnect(3_000);
    const [senderFinal, otherFinal] = await Promise.all([
      finalFor(sender, ack.data.id, 5_000),
      finalFor(other, ack.data.id, 5_000),
    ]);
    await Promise.all([barrier(sender), barrier(other)]);

    for (const final of [senderFinal, otherFinal]) {
      expect(final.data.id).toBe(replyId);
      expect(final.data.status).toBe('cancelled');
      expect(final.data.is_final).toBe(true);
    }
    expect(otherFinal.data).toEqual(senderFinal.data);
    const partial = senderFinal.data.content;
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(chunks.join('').length);
    expect(chunks.join('').startsWith(partial)).toBe(true);
    // Nothing is streamed after the final chunk, and the cancel itself was accepted.
    for (const chat of [sender, other]) {
      expect(replyFrames(chat.frames, replyId).at(-1)).toEqual(senderFinal);
      expect(chat.ofType('error')).toEqual([]);
    }
    expect(openai.disconnects).toBe(1);

    const history = await fetchHistory(server, pipeline.uuid, 'person');
    expect(history.messages.at(-1)).toMatchObject({
      id: replyId,
      role: 'assistant',
      content: partial,
      status: 'cancelled',
      reply_to: ack.data.id,
    });
  });

  it('creates the default pipeline on the model from the environment at first start', async () => {
    openai.setBehaviour({ kind: 'stream', chunks: ['From ', 'the ', 'fake.'] });
    const configured = await resources.startServer({
      env: {
        OPENAI_BASE_URL: openai.baseUrl,
        OPENAI_API_KEY: 'sk-env-default-key-42',
        BOTWIRE_MODEL: 'fake-model',
        // The server's default level, so the startup lines are printed.
        BOTWIRE_LOG_LEVEL: 'info',
      },
    });
    const response = await rest<{ pipeline: Pipeline }>(
      configured.url,
      'GET',
      `/api/v1/pipelines/${configured.defaultPipelineUuid}`,
    );
    expect(response.status).toBe(200);
    expect(response.body.data.pipeline.is_default).toBe(true);
    expect(response.body.data.pipeline.runner).toEqual({
      type: 'openai-compatible',
      settings: {
        base_url: openai.baseUrl,
        model: 'fake-model',
        timeout_ms: 60_000,
        vision: false,
        api_key_set: true,
      },
    });

    const chat = await resources.connect(configured, configured.defaultPipelineUuid, {
      query: 'session_type=person',
    });
    const ack = await sendAndAck(chat, 'who answers?');
    const final = await finalFor(chat, ack.data.id);
    expect(final.data).toMatchObject({ content: 'From the fake.', status: 'complete' });
    const request = await waitForRequests(openai, 1);
    expect(openai.requests).toHaveLength(1);
    expect(request.body.model).toBe('fake-model');
    expect(request.headers.authorization).toBe('Bearer sk-env-default-key-42');
    expect(receivedPrompt(request).turns).toEqual([{ role: 'user', text: 'who answers?' }]);

    const output = configured.output();
    expect(output).toContain('created the default pipeline with the openai-compatible runner');
    expect(output).toContain('fake-model');
    expect(output).not.toContain('sk-env-default-key-42');
  });

  it('creates the default pipeline on the echo runner without model variables', async () => {
    const response = await rest<{ pipeline: Pipeline }>(
      server.url,
      'GET',
      `/api/v1/pipelines/${server.defaultPipelineUuid}`,
    );
    expect(response.status).toBe(200);
    expect(response.body.data.pipeline.runner.type).toBe('echo');

    const chat = await resources.connect(server, server.defaultPipelineUuid, {
      query: 'session_type=person',
    });
    const ack = await sendAndAck(chat, 'echo me');
    const final = await finalFor(chat, ack.data.id);
    expect(final.data).toMatchObject({
      content: '[echo: no model configured] echo me',
      status: 'complete',
    });
    expect(openai.requests).toHaveLength(0);
    expect(anthropic.requests).toHaveLength(0);
  });
});
