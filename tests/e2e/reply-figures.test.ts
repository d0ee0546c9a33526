import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicServer } from '../support/fake-anthropic-server.js';
import { startFakeOpenAiServer } from '../support/fake-openai-server.js';
import type { FakeProviderServer } from '../support/fake-provider-server.js';
import {
  anthropicRunner,
  createModelPipeline,
  finalFor,
  openAiRunner,
  sendAndAck,
} from '../support/model-test-kit.js';
import { registerModelSuiteHooks } from '../support/model-suite-hooks.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline, fetchHistory, TestResources } from '../support/stream-test-kit.js';

/**
 * Per-reply figures end to end: the final `response` frame and the history carry the reply's
 * timings, chunks and characters, and the tokens and finish reason the provider reported.
 */
describe('reply figures', () => {
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

  it('sends and stores the provider’s tokens and finish reason with the timings', async () => {
    anthropic.setBehaviour({ kind: 'stream', chunks: ['Bonjour', ' à ', 'tous'], delayMs: 40 });
    const pipeline = await createModelPipeline(server, {
      name: 'figures-anthropic',
      runner: anthropicRunner(anthropic.baseUrl, { model: 'claude-sonnet-4-5-e2e' }),
      output: { coalesce_ms: 0 },
    });
    const chat = await resources.connect(server, pipeline.uuid, { query: 'session_type=person' });
    const ack = await sendAndAck(chat, 'Hello');
    const final = await finalFor(chat, ack.data.id);

    const figures = final.data.figures;
    expect(figures).toMatchObject({
      chunks: 3,
      characters: 'Bonjour à tous'.length,
      // The fake reports 25 prompt tokens and 15 reply tokens, and stops with end_turn.
      input_tokens: 25,
      output_tokens: 15,
      finish_reason: 'stop',
    });
    expect(figures?.first_chunk_ms).toBeGreaterThanOrEqual(0);
    // Three chunks 40 ms apart: the whole reply took at least the two gaps after the first.
    expect(figures?.duration_ms).toBeGreaterThanOrEqual((figures?.first_chunk_ms ?? 0) + 70);
    // Streaming chunks carry none.
    const chunks = chat
      .ofType('response')
      .filter((frame) => frame.data.id === final.data.id && !frame.data.is_final);
    expect(chunks.every((frame) => frame.data.figures === undefined)).toBe(true);

    const history = await fetchHistory(server, pipeline.uuid, 'person');
    expect(history.messages.find((message) => message.id === final.data.id)?.figures).toEqual(
      figures,
    );
    expect(history.messages.find((message) => message.id === ack.data.id)?.figures).toBeUndefined();
  });

  it('leaves tokens null where the provider reported none, and measures echo replies too', async () => {
    openai.setBehaviour({ kind: 'stream', chunks: ['One', ' two'] });
    const pipeline = await createModelPipeline(server, {
      name: 'figures-openai',
      runner: openAiRunner(openai.baseUrl),
    });
    const chat = await resources.connect(server, pipeline.uuid, { query: 'session_type=person' });
    const final = await finalFor(chat, (await sendAndAck(chat, 'Hi')).data.id);
    expect(final.data.figures).toMatchObject({
      characters: 7,
      input_tokens: null,
      output_tokens: null,
      finish_reason: 'stop',
    });

    const echoUuid = await createPipeline(server, 'figures-echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const echo = await resources.connect(server, echoUuid, { query: 'session_type=person' });
    const echoed = await finalFor(echo, (await sendAndAck(echo, 'ping')).data.id);
    expect(echoed.data.figures).toMatchObject({
      characters: echoed.data.content.length,
      input_tokens: null,
      output_tokens: null,
      finish_reason: null,
    });
    expect(echoed.data.figures?.chunks).toBeGreaterThanOrEqual(1);
  });
});
