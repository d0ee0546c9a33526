import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import { closeAll } from '../support/e2e-helpers.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createApiKey, fetchHistory } from '../support/stream-test-kit.js';

/**
 * Who may reset a conversation: a person conversation is its owner's; a group conversation is
 * shared by everyone on the pipeline, so only an admin may wipe it.
 */
describe('reset permission', () => {
  let server: ServerProcess;
  let memberKey: string;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    server = await startServerProcess();
    memberKey = await createApiKey(server, 'group member');
  });
  afterAll(async () => {
    await closeAll(sockets);
    await server[Symbol.asyncDispose]();
  });

  const reset = (sessionType: string, token?: string) =>
    rest(
      server.url,
      'POST',
      `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/reset/${sessionType}?session=shared`,
      token === undefined ? {} : { token },
    );

  it('refuses a member resetting a group conversation with FORBIDDEN, and keeps its history', async () => {
    const query = 'session_type=group&session=shared';
    const admin = await connectChat(server.wsUrl, server.defaultPipelineUuid, { query });
    const member = await connectChat(server.wsUrl, server.defaultPipelineUuid, {
      query,
      token: memberKey,
    });
    sockets.push(admin, member);
    admin.sendText('keep this');
    await member.next('user_message', (frame) => frame.data.content === 'keep this');

    const refused = await reset('group', memberKey);
    expect({ status: refused.status, error: refused.body.error }).toEqual({
      status: 403,
      error: 'FORBIDDEN',
    });
    expect(refused.body.msg).toContain('admin');
    const history = await fetchHistory(server, server.defaultPipelineUuid, 'group', {
      session: 'shared',
      token: memberKey,
    });
    expect(history.messages.map((message) => message.content)).toContain('keep this');
    expect(member.ofType('session_reset')).toEqual([]);

    // An admin may, and everyone in the conversation hears of it.
    const allowed = await reset('group');
    expect(allowed.status).toBe(200);
    await member.next('session_reset');
  });

  it('lets a member reset their own person conversation', async () => {
    const own = await reset('person', memberKey);
    expect({ status: own.status, error: own.body.error }).toEqual({
      status: 200,
      error: undefined,
    });
  });
});
