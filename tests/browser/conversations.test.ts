import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalFor, sendAndAck } from '../support/model-test-kit.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline, TestResources } from '../support/stream-test-kit.js';
import {
  botMessages,
  openDebugChat,
  sendMessage,
  signIn,
  signInAs,
  UI_TIMEOUT_MS,
} from './support/console-actions.js';
import {
  chromiumAvailable,
  launchChromium,
  openConsole,
  saveScreenshot,
} from './support/chromium.js';

/**
 * The conversation browser in Chromium: an admin lists every conversation of a pipeline,
 * reads any read-only with paging, exports it as JSON and continues their own in the chat; a
 * member sees only theirs.
 */
describe.runIf(chromiumAvailable())('conversation browser', () => {
  let server: ServerProcess;
  let browser: Browser;
  let uuid: string;
  const contexts: BrowserContext[] = [];
  const resources = new TestResources();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
    uuid = await createPipeline(server, 'Browsed echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    // A script on the admin key fills a long conversation (52 messages: more than a page).
    const chat = await resources.connect(server, uuid, {
      query: 'session_type=person&session=long',
    });
    for (let index = 0; index < 26; index += 1) {
      await finalFor(chat, (await sendAndAck(chat, `scripted ${index}`)).data.id);
    }
    const member = await rest(server.url, 'POST', '/api/v1/users', {
      body: { username: 'mira', password: 'member-password-1', role: 'member' },
    });
    expect(member.status).toBe(201);
  });

  afterAll(async () => {
    await resources.dispose();
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.[Symbol.asyncDispose]();
  });

  async function pageSignedInAs(username?: string, password?: string): Promise<Page> {
    const { context, page } = await openConsole(browser, server.url);
    contexts.push(context);
    if (username === undefined || password === undefined) await signIn(page);
    else await signInAs(page, username, password);
    return page;
  }

  it('shows a member only their own conversations', async () => {
    const member = await pageSignedInAs('mira', 'member-password-1');
    await openDebugChat(member, uuid);
    await sendMessage(member, 'member says hi');
    await botMessages(member)
      .last()
      .getByText('member says hi')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await member.getByRole('link', { name: 'Conversations', exact: true }).click();
    const rows = member.getByRole('table').getByRole('row');
    await rows.filter({ hasText: 'member says hi' }).waitFor({ timeout: UI_TIMEOUT_MS });
    // The header row and the member's one conversation; not the admin's.
    expect(await rows.count()).toBe(2);
  });

  it('lets an admin read any conversation with paging, export it and continue their own', async () => {
    const page = await pageSignedInAs();
    await page.goto(`/pipelines/${uuid}/conversations`);
    const table = page.getByRole('table');
    await table
      .getByRole('row')
      .filter({ hasText: 'member says hi' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await table.getByRole('row').count()).toBe(3);

    // The member's conversation: read-only, no way to write into it.
    await page.getByRole('button', { name: /^View conversation person default of user:/ }).click();
    const view = page.getByRole('region', { name: /^Conversation \d+$/ });
    await view.getByText('member says hi').first().waitFor({ timeout: UI_TIMEOUT_MS });
    await expect(view.getByRole('link', { name: 'Continue in chat' }).count()).resolves.toBe(0);

    // The scripted one: 50 messages, then the older two on demand.
    await page.getByRole('button', { name: /^View conversation person long of / }).click();
    const messages = view.getByRole('log', { name: 'Messages' }).getByRole('article');
    await view.getByText('scripted 25').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await messages.count()).toBe(50);
    await view.getByRole('button', { name: 'Load older messages' }).click();
    await view.getByText('scripted 0', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await messages.count()).toBe(52);
    await expect(view.getByRole('button', { name: 'Load older messages' }).count()).resolves.toBe(
      0,
    );
    await saveScreenshot(page, '30-conversations');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      view.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^botwire-browsed-echo-conversation-\d+\.json$/);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      pipeline: { uuid: string };
      conversation: { session: string; message_count: number };
      messages: { content: string }[];
    };
    expect(exported.pipeline.uuid).toBe(uuid);
    expect(exported.conversation).toMatchObject({ session: 'long', message_count: 52 });
    expect(exported.messages).toHaveLength(52);
    expect(exported.messages[0]?.content).toBe('scripted 0');

    // The scripted conversation belongs to the admin key, not to the signed-in admin, so it is
    // read-only here too. The admin's own conversation offers Continue.
    await openDebugChat(page, uuid);
    await sendMessage(page, 'admin writes');
    await botMessages(page).last().getByText('admin writes').waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole('link', { name: 'Conversations', exact: true }).click();
    await page
      .getByRole('row')
      .filter({ hasText: 'admin writes' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await page
      .getByRole('button', { name: /^View conversation person default of user:1$/ })
      .click();
    await page.getByRole('link', { name: 'Continue in chat' }).click();
    await page.getByRole('heading', { name: /Debug chat: Browsed echo/ }).waitFor();
    await botMessages(page).last().getByText('admin writes').waitFor({ timeout: UI_TIMEOUT_MS });
  });
});
