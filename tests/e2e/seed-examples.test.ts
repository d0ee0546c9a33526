import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat } from '../support/chat-socket.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

/** The seed document's own examples, verbatim, against a real server process. */
describe('seed examples', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await server[Symbol.asyncDispose]();
  });

  it('streams a reply to the seed message frame, ending with is_final', async () => {
    const chat = await connectChat(server.wsUrl, server.defaultPipelineUuid, {
      query: 'session_type=person',
    });
    chat.send('{"type": "message", "message": [{"type": "Plain", "text": "你好"}]}');
    const final = await chat.finalResponse();
    const responses = chat.ofType('response');
    expect(responses.length).toBeGreaterThanOrEqual(2);
    expect(
      responses.every(
        (frame) => frame.data.id === final.data.id && frame.data.role === 'assistant',
      ),
    ).toBe(true);
    expect(responses.slice(0, -1).every((frame) => !frame.data.is_final)).toBe(true);
    expect(final.data.content).toContain('你好');
    expect(typeof final.data.timestamp).toBe('string');
    chat.close();
  });

  it('serves the four REST endpoints', async () => {
    const base = `/api/v1/pipelines/${server.defaultPipelineUuid}/ws`;
    const history = await rest(server.url, 'GET', `${base}/messages/person`);
    expect(history.status).toBe(200);
    expect(history.body.code).toBe(0);
    const messages = history.body.data.messages as { role: string }[];
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);

    const connections = await rest(server.url, 'GET', `${base}/connections`);
    expect(connections.body.data.stats).toMatchObject({ total_connections: 0 });

    const broadcast = await rest(server.url, 'POST', `${base}/broadcast`, {
      body: { message: 'maintenance at noon' },
    });
    expect(broadcast.body.data).toEqual({ message: 'maintenance at noon', sent: 0 });

    const reset = await rest(server.url, 'POST', `${base}/reset/person`);
    expect(reset.body.code).toBe(0);
    const after = await rest(server.url, 'GET', `${base}/messages/person`);
    expect(after.body.data.messages).toEqual([]);
  });
});
