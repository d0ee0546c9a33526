import { BackendClient, BotwireClientError } from '@botwire/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { connectChat } from '../support/chat-socket.js';
import { closeAll, nextError } from '../support/e2e-helpers.js';
import { startFakeAnthropicServer } from '../support/fake-anthropic-server.js';
import { startFakeOpenAiServer } from '../support/fake-openai-server.js';
import type { FakeProviderServer } from '../support/fake-provider-server.js';
import {
  anthropicRunner,
  createModelPipeline,
  finalFor,
  openAiRunner,
  waitForRequests,
} from '../support/model-test-kit.js';
import { rest } from '../support/rest-client.js';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createApiKey } from '../support/stream-test-kit.js';
import { ONE_PIXEL_PNG as PNG, SVG_WITH_SCRIPT as SVG } from '../support/image-fixtures.js';

async function upload(
  server: ServerProcess,
  pipeline: string,
  body: Buffer,
  options: { type?: string; token?: string; query?: string } = {},
) {
  const response = await fetch(
    `${server.url}/api/v1/pipelines/${pipeline}/images${options.query ?? ''}`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token ?? ADMIN_KEY}`,
        'content-type': options.type ?? 'image/png',
      },
      body,
    },
  );
  return {
    status: response.status,
    body: (await response.json()) as {
      code: number;
      error?: string;
      msg: string;
      data: { image_id: string; url: string; media_type: string; bytes: number };
    },
  };
}

/**
 * Image messages end to end: uploads to a real server process (SQLite store, files under its
 * data directory), serving only to readers of the conversation, `Image` components in messages,
 * and image parts arriving at local servers speaking the OpenAI and Anthropic wire formats.
 */
describe('image messages', () => {
  let server: ServerProcess;
  let openai: FakeProviderServer;
  let anthropic: FakeProviderServer;
  let memberKey: string;
  let otherKey: string;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    [openai, anthropic, server] = await Promise.all([
      startFakeOpenAiServer({ behaviour: { kind: 'stream', chunks: ['A red ', 'pixel.'] } }),
      startFakeAnthropicServer({ behaviour: { kind: 'stream', chunks: ['A red ', 'pixel.'] } }),
      startServerProcess({ env: { BOTWIRE_MAX_IMAGE_BYTES: '2048' } }),
    ]);
    memberKey = await createApiKey(server, 'image member');
    otherKey = await createApiKey(server, 'image stranger');
  });
  afterAll(async () => {
    await closeAll(sockets);
    await Promise.all([server[Symbol.asyncDispose](), openai.close(), anthropic.close()]);
  });

  it('passes an uploaded image to an OpenAI-compatible vision model as an image_url part', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'openai vision',
      runner: {
        ...openAiRunner(openai.baseUrl),
        settings: { ...openAiRunner(openai.baseUrl).settings, vision: true },
      },
    });
    const uploaded = await upload(server, pipeline.uuid, PNG, { token: memberKey });
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data).toMatchObject({ media_type: 'image/png', bytes: PNG.length });
    expect(uploaded.body.data.url).toBe(`/api/v1/images/${uploaded.body.data.image_id}`);

    const chat = await connectChat(server.wsUrl, pipeline.uuid, { token: memberKey });
    sockets.push(chat);
    const before = openai.requests.length;
    chat.send({
      type: 'message',
      message: [
        { type: 'Plain', text: 'What is this?' },
        { type: 'Image', image_id: uploaded.body.data.image_id },
      ],
    });
    const acknowledged = await chat.next('user_message');
    expect(acknowledged.data.message_chain[1]).toEqual({
      type: 'Image',
      image_id: uploaded.body.data.image_id,
      url: uploaded.body.data.url,
      media_type: 'image/png',
      bytes: PNG.length,
    });
    const final = await finalFor(chat, acknowledged.data.id);
    expect(final.data.content).toBe('A red pixel.');

    const request = await waitForRequests(openai, before + 1);
    const messages = request.body.messages as { role: string; content: unknown }[];
    const last = messages[messages.length - 1]!;
    expect(last.role).toBe('user');
    expect(last.content).toEqual([
      { type: 'text', text: 'What is this?[Image]' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);

    // History returns the component with its URL; the member reads the image, a stranger not.
    const history = await rest(
      server.url,
      'GET',
      `/api/v1/pipelines/${pipeline.uuid}/ws/messages/person`,
      {
        token: memberKey,
      },
    );
    expect(history.body.data.messages[0].message_chain[1].url).toBe(uploaded.body.data.url);
    const served = await fetch(`${server.url}${uploaded.body.data.url}`, {
      headers: { authorization: `Bearer ${memberKey}` },
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-disposition')).toMatch(/^inline/);
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(served.headers.get('cache-control')).toContain('private');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

    const foreign = await fetch(`${server.url}${uploaded.body.data.url}`, {
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(foreign.status).toBe(404);
    const missing = await fetch(`${server.url}/api/v1/images/img_doesnotexist000000000000`, {
      headers: { authorization: `Bearer ${otherKey}` },
    });
    expect(missing.status).toBe(404);
    // The same answer as for an id that does not exist: the code, and no trace of the owner.
    const foreignBody = (await foreign.json()) as { error: string; msg: string };
    const missingBody = (await missing.json()) as { error: string; msg: string };
    expect(foreignBody.error).toBe('NOT_FOUND');
    expect(missingBody.error).toBe('NOT_FOUND');
    expect(foreignBody.msg).toBe(
      missingBody.msg.replace('img_doesnotexist000000000000', uploaded.body.data.image_id),
    );

    // The stranger cannot use the member's image in its own conversation either.
    const strangerChat = await connectChat(server.wsUrl, pipeline.uuid, { token: otherKey });
    sockets.push(strangerChat);
    const refused = nextError(strangerChat, 'IMAGE_NOT_FOUND');
    strangerChat.send({
      type: 'message',
      message: [{ type: 'Image', image_id: uploaded.body.data.image_id }],
    });
    expect((await refused).code).toBe('IMAGE_NOT_FOUND');
    expect(strangerChat.ofType('user_message')).toHaveLength(0);
  });

  it('passes an uploaded image to Anthropic as a base64 image block', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'anthropic vision',
      runner: {
        ...anthropicRunner(anthropic.baseUrl),
        settings: { ...anthropicRunner(anthropic.baseUrl).settings, vision: true },
      },
    });
    const uploaded = await upload(server, pipeline.uuid, PNG);
    const chat = await connectChat(server.wsUrl, pipeline.uuid);
    sockets.push(chat);
    const before = anthropic.requests.length;
    chat.send({
      type: 'message',
      message: [{ type: 'Image', image_id: uploaded.body.data.image_id }],
    });
    const acknowledged = await chat.next('user_message');
    await finalFor(chat, acknowledged.data.id);
    const request = await waitForRequests(anthropic, before + 1);
    const turns = request.body.messages as { content: { type: string; source?: unknown }[] }[];
    const content = turns[turns.length - 1]!.content;
    expect(content.find((part) => part.type === 'image')).toEqual({
      type: 'image',
      source: { type: 'base64', media_type: 'image/png', data: PNG.toString('base64') },
    });
  });

  it('refuses an image for a model not marked vision, naming the setting', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'text only',
      runner: openAiRunner(openai.baseUrl),
    });
    const uploaded = await upload(server, pipeline.uuid, PNG);
    const chat = await connectChat(server.wsUrl, pipeline.uuid);
    sockets.push(chat);
    const refused = nextError(chat, 'IMAGES_NOT_SUPPORTED');
    chat.send({
      type: 'message',
      message: [{ type: 'Image', image_id: uploaded.body.data.image_id }],
    });
    const error = await refused;
    expect(error.code).toBe('IMAGES_NOT_SUPPORTED');
    expect(error.message).toContain('runner.settings.vision');
  });

  it('refuses image URLs unless the pipeline allows them', async () => {
    const pipeline = await createModelPipeline(server, {
      name: 'urls',
      runner: {
        ...openAiRunner(openai.baseUrl),
        settings: { ...openAiRunner(openai.baseUrl).settings, vision: true },
      },
    });
    const chat = await connectChat(server.wsUrl, pipeline.uuid);
    sockets.push(chat);
    const refused = nextError(chat, 'IMAGE_URL_NOT_ALLOWED');
    chat.send({
      type: 'message',
      message: [{ type: 'Image', url: 'https://example.com/cat.png' }],
    });
    expect((await refused).code).toBe('IMAGE_URL_NOT_ALLOWED');
  });

  it('refuses oversize, non-image, SVG and mismatched uploads with stable codes', async () => {
    const uuid = server.defaultPipelineUuid;
    const oversize = Buffer.concat([PNG, Buffer.alloc(4_096)]);
    const cases: [Buffer, string, string, number][] = [
      [oversize, 'image/png', 'IMAGE_TOO_LARGE', 413],
      [Buffer.from('just some text'), 'text/plain', 'IMAGE_TYPE_UNSUPPORTED', 415],
      [SVG, 'image/svg+xml', 'IMAGE_TYPE_UNSUPPORTED', 415],
      [PNG, 'image/jpeg', 'IMAGE_TYPE_UNSUPPORTED', 415],
      // An empty Content-Type matches no body parser: still told as an image problem.
      [PNG, '', 'IMAGE_TYPE_UNSUPPORTED', 415],
    ];
    for (const [body, type, code, status] of cases) {
      const refused = await upload(server, uuid, body, { type });
      expect(refused.status, code).toBe(status);
      expect(refused.body.error).toBe(code);
    }
  });

  it('echoes a description of the image on the echo runner', async () => {
    const uuid = server.defaultPipelineUuid;
    const uploaded = await upload(server, uuid, PNG, {
      query: '?session_type=person&session=pics',
    });
    const chat = await connectChat(server.wsUrl, uuid, { query: 'session=pics' });
    sockets.push(chat);
    chat.send({
      type: 'message',
      message: [{ type: 'Image', image_id: uploaded.body.data.image_id }],
    });
    const acknowledged = await chat.next('user_message');
    const final = await finalFor(chat, acknowledged.data.id);
    expect(final.data.content).toContain('[Image image/png 1 KB]');
  });

  it('uploads through the SDK from bytes and from a Blob, with typed errors', async () => {
    const backend = new BackendClient({ baseUrl: server.url, token: memberKey });
    const uuid = server.defaultPipelineUuid;
    const fromBytes = await backend.uploadImage(uuid, new Uint8Array(PNG), {
      mediaType: 'image/png',
    });
    expect(fromBytes).toMatchObject({ media_type: 'image/png', bytes: PNG.length });
    const fromBlob = await backend.uploadImage(uuid, new Blob([PNG], { type: 'image/png' }), {
      sessionType: 'group',
    });
    expect(fromBlob.image_id).not.toBe(fromBytes.image_id);
    // Bytes read from a file carry no type: the SDK reads it from their first bytes.
    const sniffed = await backend.uploadImage(uuid, new Uint8Array(PNG));
    expect(sniffed).toMatchObject({ media_type: 'image/png', bytes: PNG.length });
    const refused = await backend
      .uploadImage(uuid, new Blob([SVG], { type: 'image/svg+xml' }))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BotwireClientError);
    expect((refused as BotwireClientError).code).toBe('IMAGE_TYPE_UNSUPPORTED');
  });
});
