import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, nextError } from '../support/e2e-helpers.js';
import type { ChatSocket } from '../support/chat-socket.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import {
  HOST_ORIGIN,
  createPublicPipeline,
  issueVisitor,
  openVisitorSocket,
} from '../support/widget-kit.js';
import { ONE_PIXEL_PNG as PNG, SVG_WITH_SCRIPT as SVG } from '../support/image-fixtures.js';

const MAX_IMAGE_BYTES = 4_096;

interface Uploaded {
  image_id: string;
  url: string;
  media_type: string;
  bytes: number;
}

interface UploadAnswer {
  status: number;
  body: { code: number; error?: string; msg: string; data: Uploaded };
  headers: Headers;
}

/** Visitors' images: uploads into their own conversation, served only to them, limited. */
describe('widget images', () => {
  let server: ServerProcess;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    server = await startServerProcess({
      env: { BOTWIRE_MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES) },
    });
  });

  afterAll(async () => {
    await closeAll(sockets);
    await server?.[Symbol.asyncDispose]();
  });

  async function upload(
    token: string,
    body: Buffer,
    options: { type?: string; origin?: string } = {},
  ): Promise<UploadAnswer> {
    const response = await fetch(`${server.url}/api/v1/widget/images`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        origin: options.origin ?? HOST_ORIGIN,
        'content-type': options.type ?? 'image/png',
      },
      body,
    });
    return {
      status: response.status,
      body: (await response.json()) as UploadAnswer['body'],
      headers: response.headers,
    };
  }

  function fetchImage(token: string, id: string, origin = HOST_ORIGIN): Promise<Response> {
    return fetch(`${server.url}/api/v1/widget/images/${id}`, {
      headers: { authorization: `Bearer ${token}`, origin },
    });
  }

  it("uploads into the visitor's own conversation and serves it only to that visitor", async () => {
    const pipeline = await createPublicPipeline(server);
    const [alice, bob] = await Promise.all([
      issueVisitor(server, pipeline),
      issueVisitor(server, pipeline),
    ]);
    const uploaded = await upload(alice.token, PNG);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.data).toMatchObject({ media_type: 'image/png', bytes: PNG.length });
    expect(uploaded.body.data.url).toBe(`/api/v1/widget/images/${uploaded.body.data.image_id}`);
    expect(uploaded.headers.get('access-control-allow-origin')).toBe(HOST_ORIGIN);

    const own = await fetchImage(alice.token, uploaded.body.data.image_id);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toBe('image/png');
    expect(own.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await own.arrayBuffer())).toEqual(PNG);

    // Another visitor of the same pipeline: the same answer as for an id that does not exist.
    const foreign = await fetchImage(bob.token, uploaded.body.data.image_id);
    expect(foreign.status).toBe(404);
    const missing = await fetchImage(bob.token, `img_${'A'.repeat(24)}`);
    expect(missing.status).toBe(404);
    expect(((await foreign.json()) as { error: string }).error).toBe('NOT_FOUND');

    // A page on a site that is not allowed cannot read it, even with the token.
    const elsewhere = await fetchImage(
      alice.token,
      uploaded.body.data.image_id,
      'http://evil.test',
    );
    expect(elsewhere.status).toBe(403);

    // The image goes into a message of the visitor's conversation, and comes back in its history.
    const chat = await openVisitorSocket(server, pipeline.uuid, alice.token);
    sockets.push(chat);
    chat.send({
      type: 'message',
      message: [
        { type: 'Plain', text: 'look' },
        { type: 'Image', image_id: uploaded.body.data.image_id },
      ],
    });
    await chat.next('response', (frame) => frame.data.is_final);
    const history = await rest(server.url, 'GET', '/api/v1/widget/messages', {
      token: alice.token,
      headers: { origin: HOST_ORIGIN },
    });
    expect(JSON.stringify(history.body.data)).toContain(uploaded.body.data.image_id);
    // Bob cannot put Alice's image in his own messages either.
    const bobChat = await openVisitorSocket(server, pipeline.uuid, bob.token);
    sockets.push(bobChat);
    bobChat.send({
      type: 'message',
      message: [{ type: 'Image', image_id: uploaded.body.data.image_id }],
    });
    await nextError(bobChat, 'IMAGE_NOT_FOUND');
  });

  it('refuses non-images, oversize uploads and SVG', async () => {
    const pipeline = await createPublicPipeline(server, {
      limits: { image_uploads_per_minute_per_visitor: 100 },
    });
    const visitor = await issueVisitor(server, pipeline);
    const text = await upload(visitor.token, Buffer.from('hello, not an image'), {
      type: 'image/png',
    });
    expect(text.status).toBe(415);
    expect(text.body.error).toBe('IMAGE_TYPE_UNSUPPORTED');
    const svg = await upload(visitor.token, SVG, { type: 'image/svg+xml' });
    expect(svg.status).toBe(415);
    expect(svg.body.error).toBe('IMAGE_TYPE_UNSUPPORTED');
    const oversize = Buffer.concat([PNG, Buffer.alloc(MAX_IMAGE_BYTES)]);
    const big = await upload(visitor.token, oversize);
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('IMAGE_TOO_LARGE');
  });

  it("limits a visitor's uploads per minute, per visitor", async () => {
    const pipeline = await createPublicPipeline(server, {
      limits: { image_uploads_per_minute_per_visitor: 2 },
    });
    const [first, second] = await Promise.all([
      issueVisitor(server, pipeline),
      issueVisitor(server, pipeline),
    ]);
    expect((await upload(first.token, PNG)).status).toBe(200);
    expect((await upload(first.token, PNG)).status).toBe(200);
    const refused = await upload(first.token, PNG);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('VISITOR_RATE_LIMITED');
    expect(refused.body.msg).toContain('2 images per minute');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another visitor has its own count.
    expect((await upload(second.token, PNG)).status).toBe(200);
  });

  it('refuses uploads and image messages when the pipeline turns visitor images off', async () => {
    const pipeline = await createPublicPipeline(server);
    const visitor = await issueVisitor(server, pipeline);
    const before = await upload(visitor.token, PNG);
    expect(before.status).toBe(200);
    const off = await rest(server.url, 'PATCH', `/api/v1/pipelines/${pipeline.uuid}/widget`, {
      body: { limits: { allow_images: false } },
    });
    expect(off.body.data.widget.limits.allow_images).toBe(false);
    // The settings cache of the server lives a few seconds.
    await expect
      .poll(async () => (await upload(visitor.token, PNG)).body.error, {
        timeout: 10_000,
        interval: 500,
      })
      .toBe('VISITOR_IMAGES_DISABLED');
    const refused = await upload(visitor.token, PNG);
    expect(refused.status).toBe(403);
    expect(refused.body.msg).toContain('does not take images');

    // An image uploaded earlier cannot be sent in a message now either; text still can.
    const chat = await openVisitorSocket(server, pipeline.uuid, visitor.token);
    sockets.push(chat);
    chat.send({
      type: 'message',
      message: [{ type: 'Image', image_id: before.body.data.image_id }],
    });
    await nextError(chat, 'VISITOR_IMAGES_DISABLED');
    chat.send({ type: 'message', message: [{ type: 'Plain', text: 'text still works' }] });
    await chat.next('response', (frame) => frame.data.is_final);
  });
});
