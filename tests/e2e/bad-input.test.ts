import { CLOSE_CODES, ERROR_CATALOGUE, type ErrorCode } from '@botwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, openChatSocket, type ChatSocket } from '../support/chat-socket.js';
import {
  closeAll,
  closedWithin,
  expectRefusal,
  expectUsable,
  nextError,
  unknownUuid,
} from '../support/e2e-helpers.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const MAX_FRAME_BYTES = 4_096;
const BASELINE_SESSION = 'baseline';

/** Bad input of every kind, over WebSocket and REST, against a real server process. */
describe('bad input', () => {
  let server: ServerProcess;
  const sockets: ChatSocket[] = [];
  let baselineHistory: unknown;
  const historyPath = (): string =>
    `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/messages/person?session=${BASELINE_SESSION}`;

  const connect = async (query?: string): Promise<ChatSocket> => {
    const chat = await connectChat(
      server.wsUrl,
      server.defaultPipelineUuid,
      query === undefined ? {} : { query },
    );
    sockets.push(chat);
    return chat;
  };

  beforeAll(async () => {
    server = await startServerProcess({
      env: {
        BOTWIRE_MAX_FRAME_BYTES: String(MAX_FRAME_BYTES),
        // Many bad frames go down one connection; the rate limit is tested in limits.test.ts.
        BOTWIRE_MAX_FRAMES_PER_SECOND: '1000',
      },
    });
    // History stored before any bad input, to check at the end that nothing damaged it.
    const chat = await connect(`session=${BASELINE_SESSION}`);
    chat.sendText('stored before the bad input');
    await chat.finalResponse();
    chat.close();
    await closedWithin(chat);
    const history = await rest(server.url, 'GET', historyPath());
    expect(history.status).toBe(200);
    expect(history.body.data.messages).toHaveLength(2);
    baselineHistory = history.body.data.messages;
  });

  afterAll(async () => {
    await closeAll(sockets);
    await server[Symbol.asyncDispose]();
  });

  describe('over WebSocket', () => {
    /** Sends `frame`, expects one error frame with `code` and a connection that still works. */
    const expectFrameError = async (
      chat: ChatSocket,
      frame: unknown,
      code: ErrorCode,
    ): Promise<string> => {
      const errorsBefore = chat.ofType('error').length;
      chat.send(frame);
      await chat.waitFor(
        (frames) => frames.filter((candidate) => candidate.type === 'error').length > errorsBefore,
      );
      const error = chat.ofType('error')[errorsBefore];
      expect(error?.code).toBe(code);
      expect(error?.message).toEqual(expect.any(String));
      await expectUsable(chat);
      return error?.message ?? '';
    };

    it('answers malformed JSON with BAD_JSON and keeps the connection', async () => {
      const chat = await connect();
      await expectFrameError(chat, '{"type": "message", "message": [', 'BAD_JSON');
      await expectFrameError(chat, 'not json at all', 'BAD_JSON');
      await expectFrameError(chat, '', 'BAD_JSON');
    });

    it('answers frames of the wrong shape with BAD_FRAME naming the problem', async () => {
      const chat = await connect();
      const stringMessage = await expectFrameError(
        chat,
        { type: 'message', message: 'hi' },
        'BAD_FRAME',
      );
      expect(stringMessage).toContain('message');
      const emptyChain = await expectFrameError(
        chat,
        { type: 'message', message: [] },
        'BAD_FRAME',
      );
      expect(emptyChain).toContain('at least one component');
      const numericText = await expectFrameError(
        chat,
        { type: 'message', message: [{ type: 'Plain', text: 42 }] },
        'BAD_FRAME',
      );
      expect(numericText).toContain('message.0.text');
      await expectFrameError(chat, '[1, 2, 3]', 'BAD_FRAME');
      await expectFrameError(chat, '"just a string"', 'BAD_FRAME');
      await expectFrameError(chat, 'null', 'BAD_FRAME');
      await expectFrameError(chat, { type: 'cancel', reply_id: 'seven' }, 'BAD_FRAME');
      await expectFrameError(
        chat,
        { type: 'message', message: [{ type: 'Image', url: 'file:///etc/passwd' }] },
        'BAD_FRAME',
      );
      // Nothing was stored or answered for any of them.
      expect(chat.ofType('user_message')).toEqual([]);
      expect(chat.ofType('response')).toEqual([]);
    });

    it('answers an unknown frame type with UNKNOWN_FRAME_TYPE', async () => {
      const chat = await connect();
      const message = await expectFrameError(
        chat,
        { type: 'subscribe', channel: 'x' },
        'UNKNOWN_FRAME_TYPE',
      );
      expect(message).toContain('subscribe');
      await expectFrameError(chat, { type: 42 }, 'UNKNOWN_FRAME_TYPE');
    });

    it('answers an unknown component with UNSUPPORTED_COMPONENT', async () => {
      const chat = await connect();
      const message = await expectFrameError(
        chat,
        {
          type: 'message',
          message: [
            { type: 'Plain', text: 'look' },
            { type: 'Video', url: 'https://example.com/v.mp4' },
          ],
        },
        'UNSUPPORTED_COMPONENT',
      );
      expect(message).toContain('Video');
      expect(chat.ofType('user_message')).toEqual([]);
    });

    it('treats a frame without type but with a valid message as a message (seed compatibility)', async () => {
      const chat = await connect('session=untyped');
      chat.send({ message: [{ type: 'Plain', text: 'no type field' }] });
      const stored = await chat.next('user_message');
      expect(stored.data.content).toBe('no type field');
      const final = await chat.finalResponse(stored.data.id);
      expect(final.data.content).toContain('no type field');
      expect(chat.ofType('error')).toEqual([]);
    });

    it('answers a binary frame with BAD_FRAME', async () => {
      const chat = await connect();
      const errorsBefore = chat.ofType('error').length;
      chat.socket.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
      const error = await nextError(chat, 'BAD_FRAME');
      expect(error.message).toContain('binary');
      expect(chat.ofType('error')).toHaveLength(errorsBefore + 1);
      expect(chat.ofType('pong')).toEqual([]);
      await expectUsable(chat);
    });

    it('answers a frame over BOTWIRE_MAX_FRAME_BYTES with FRAME_TOO_LARGE and keeps the connection', async () => {
      const chat = await connect('session=large');
      await expectFrameError(
        chat,
        { type: 'message', message: [{ type: 'Plain', text: 'x'.repeat(MAX_FRAME_BYTES + 100) }] },
        'FRAME_TOO_LARGE',
      );
      expect(chat.ofType('user_message')).toEqual([]);
      // A normal message right after still goes through.
      chat.sendText('small again');
      const stored = await chat.next('user_message');
      expect(stored.data.content).toBe('small again');
      await chat.finalResponse(stored.data.id);
    });

    it('closes with 1009 on a frame over four times BOTWIRE_MAX_FRAME_BYTES', async () => {
      const chat = await connect();
      chat.sendText('y'.repeat(MAX_FRAME_BYTES * 4 + 1_000));
      const closed = await closedWithin(chat);
      expect(closed.code).toBe(CLOSE_CODES.MESSAGE_TOO_BIG);
      expect(chat.ofType('user_message')).toEqual([]);
    });

    it('refuses session_type=foo with BAD_REQUEST and close 4000', async () => {
      const chat = await openChatSocket(server.wsUrl, server.defaultPipelineUuid, {
        query: 'session_type=foo',
      });
      sockets.push(chat);
      await expectRefusal(chat, 'BAD_REQUEST', CLOSE_CODES.BAD_REQUEST);
      expect(chat.ofType('error')[0]?.message).toContain('session_type');
    });

    it('refuses other malformed connect queries with close 4000', async () => {
      for (const query of ['session=has%20space', 'last_seq=-1', 'stream=sideways']) {
        const chat = await openChatSocket(server.wsUrl, server.defaultPipelineUuid, { query });
        sockets.push(chat);
        await expectRefusal(chat, 'BAD_REQUEST', CLOSE_CODES.BAD_REQUEST);
      }
    });

    it('refuses an unknown pipeline with PIPELINE_NOT_FOUND and close 4004', async () => {
      const uuid = unknownUuid();
      const chat = await openChatSocket(server.wsUrl, uuid);
      sockets.push(chat);
      await expectRefusal(chat, 'PIPELINE_NOT_FOUND', CLOSE_CODES.PIPELINE_NOT_FOUND);
      expect(chat.ofType('error')[0]?.message).toContain(uuid);
    });
  });

  describe('over REST', () => {
    const expectRestError = (
      response: Awaited<ReturnType<typeof rest>>,
      status: number,
      code: ErrorCode,
    ): void => {
      expect({ status: response.status, error: response.body.error }).toEqual({
        status,
        error: code,
      });
      expect(response.body.code).toBe(ERROR_CATALOGUE[code].number);
      expect(response.body.msg).toEqual(expect.any(String));
      expect(response.body.data).toBeUndefined();
    };

    it('answers a malformed JSON body with 400 BAD_JSON', async () => {
      const response = await rest(server.url, 'POST', '/api/v1/pipelines', {
        rawBody: '{"name": "broken",',
      });
      expectRestError(response, 400, 'BAD_JSON');
      const broadcast = await rest(
        server.url,
        'POST',
        `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/broadcast`,
        {
          rawBody: "{'message': 'single quotes'}",
        },
      );
      expectRestError(broadcast, 400, 'BAD_JSON');
    });

    it('answers wrongly typed fields with 400 VALIDATION_FAILED naming the field', async () => {
      const pipeline = await rest(server.url, 'POST', '/api/v1/pipelines', { body: { name: 42 } });
      expectRestError(pipeline, 400, 'VALIDATION_FAILED');
      expect(pipeline.body.msg).toContain('name');

      const runner = await rest(server.url, 'POST', '/api/v1/pipelines', {
        body: { name: 'bench', runner: { type: 'bench', settings: { chunks: 'many' } } },
      });
      expectRestError(runner, 400, 'VALIDATION_FAILED');
      expect(runner.body.msg).toContain('runner.settings.chunks');

      const key = await rest(server.url, 'POST', '/api/v1/keys', {
        body: { name: 'k', pipelines: 'all' },
      });
      expectRestError(key, 400, 'VALIDATION_FAILED');
      expect(key.body.msg).toContain('pipelines');

      const broadcast = await rest(
        server.url,
        'POST',
        `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/broadcast`,
        {
          body: { message: 42 },
        },
      );
      expectRestError(broadcast, 400, 'VALIDATION_FAILED');
      expect(broadcast.body.msg).toContain('message');

      const history = await rest(
        server.url,
        'GET',
        `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/messages/person?limit=lots`,
      );
      expectRestError(history, 400, 'VALIDATION_FAILED');
      expect(history.body.msg).toContain('limit');

      const sessionType = await rest(
        server.url,
        'GET',
        `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/messages/foo`,
      );
      expectRestError(sessionType, 400, 'VALIDATION_FAILED');
      expect(sessionType.body.msg).toContain('sessionType');
    });

    it('answers an unknown pipeline with 404 PIPELINE_NOT_FOUND', async () => {
      const uuid = unknownUuid();
      for (const [method, path] of [
        ['GET', `/api/v1/pipelines/${uuid}`],
        ['GET', `/api/v1/pipelines/${uuid}/ws/messages/person`],
        ['GET', `/api/v1/pipelines/${uuid}/ws/connections`],
        ['POST', `/api/v1/pipelines/${uuid}/ws/reset/group`],
        ['DELETE', `/api/v1/pipelines/${uuid}`],
      ] as const) {
        const response = await rest(server.url, method, path);
        expectRestError(response, 404, 'PIPELINE_NOT_FOUND');
        expect(response.body.msg).toContain(uuid);
      }
    });

    it('answers an unknown route with 404 NOT_FOUND', async () => {
      expectRestError(await rest(server.url, 'GET', '/api/v1/nothing-here'), 404, 'NOT_FOUND');
      expectRestError(
        await rest(server.url, 'POST', '/api/v2/pipelines', { body: {} }),
        404,
        'NOT_FOUND',
      );
    });

    it('answers an oversize body with 413 FRAME_TOO_LARGE', async () => {
      const response = await rest(
        server.url,
        'POST',
        `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/broadcast`,
        {
          body: { message: 'z'.repeat(MAX_FRAME_BYTES * 2) },
        },
      );
      expectRestError(response, 413, 'FRAME_TOO_LARGE');
    });
  });

  it('is still alive and healthy afterwards, with the earlier history intact', async () => {
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);

    const history = await rest(server.url, 'GET', historyPath());
    expect(history.status).toBe(200);
    expect(history.body.data.messages).toEqual(baselineHistory);

    // And it still chats.
    const chat = await connect(`session=${BASELINE_SESSION}`);
    chat.sendText('still here');
    const final = await chat.finalResponse();
    expect(final.data.content).toContain('still here');
    expect(server.output()).not.toMatch(/"level":(50|60)/);
  });
});
