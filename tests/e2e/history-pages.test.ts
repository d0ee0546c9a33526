import type { ChatMessage } from '@botwire/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import { closeAll } from '../support/e2e-helpers.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

const PAGE_BYTES = 100_000;

function storedBytes(message: ChatMessage): number {
  return (
    Buffer.byteLength(message.content) + Buffer.byteLength(JSON.stringify(message.message_chain))
  );
}

/** Issue 12, item 2: history pages are cut by bytes as well as by count, with typed errors. */
describe('history pages of large messages', () => {
  let server: ServerProcess;
  const chats: ChatSocket[] = [];
  const history = (query: string) =>
    rest<{ messages: ChatMessage[]; has_more: boolean }>(
      server.url,
      'GET',
      `/api/v1/pipelines/${server.defaultPipelineUuid}/ws/messages/group?session=big&${query}`,
    );

  beforeAll(async () => {
    server = await startServerProcess({
      env: { BOTWIRE_MAX_HISTORY_PAGE_BYTES: String(PAGE_BYTES) },
    });
    const chat = await connectChat(server.wsUrl, server.defaultPipelineUuid, {
      query: 'session_type=group&session=big',
    });
    chats.push(chat);
    // Ten messages of about 30 KB stored, then one of 160 KB (larger than a page), then two more.
    const texts = [
      ...Array.from({ length: 10 }, (_, index) => `${index}`.repeat(15_000)),
      'é'.repeat(40_000),
      'a'.repeat(15_000),
      'b'.repeat(15_000),
    ];
    for (const text of texts) chat.sendText(text);
    await chat.waitFor((frames) => frames.filter((f) => f.type === 'user_message').length === 13);
  });
  afterAll(async () => {
    await closeAll(chats);
    await server[Symbol.asyncDispose]();
  });

  it('cuts a page at the byte limit, newest first, and says there is more', async () => {
    const page = await history('limit=500');
    expect(page.status).toBe(200);
    const messages = page.body.data.messages;
    expect(messages.map((message) => message.content[0])).toEqual(['a', 'b']);
    expect(
      messages.reduce((total, message) => total + storedBytes(message), 0),
    ).toBeLessThanOrEqual(PAGE_BYTES);
    expect(page.body.data.has_more).toBe(true);
  });

  it('answers a message larger than a page with a typed error naming it, and pages around it', async () => {
    const newest = await history('limit=500');
    const oldestShown = newest.body.data.messages[0]?.id ?? 0;
    const tooLarge = await history(`limit=500&before=${oldestShown}`);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toBe('HISTORY_TOO_LARGE');
    const id = Number(/message (\d+)/.exec(String(tooLarge.body.msg))?.[1]);
    expect(id).toBe(oldestShown - 1);

    // Everything older is readable page by page.
    const seen: string[] = [];
    let before = id;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await history(`limit=500&before=${before}`);
      expect(page.status).toBe(200);
      seen.unshift(...page.body.data.messages.map((message) => message.content[0] ?? ''));
      if (!page.body.data.has_more) break;
      before = page.body.data.messages[0]?.id ?? 0;
    }
    expect(seen).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });
});
