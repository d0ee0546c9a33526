import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { benchText, createPipeline, createPipelineFromBody } from '../support/stream-test-kit.js';
import {
  botMessages,
  botRenders,
  expectCount,
  openDebugChat,
  ownMessages,
  recordBotRenders,
  sendMessage,
  signIn,
  UI_TIMEOUT_MS,
  waitForStatus,
} from './support/console-actions.js';
import {
  chromiumAvailable,
  launchChromium,
  openConsole,
  saveScreenshot,
} from './support/chromium.js';

/**
 * The web console in real Chromium against a real server: the journeys a user takes, from
 * sign-in to a streamed reply. One server and one browser for the file; each test signs in
 * in its own browser context.
 */
describe.runIf(chromiumAvailable())('web console in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.[Symbol.asyncDispose]();
  });

  async function signedInPage(options: Parameters<typeof openConsole>[2] = {}): Promise<Page> {
    const { context, page } = await openConsole(browser, server.url, options);
    contexts.push(context);
    await signIn(page);
    return page;
  }

  it('signs in, creates a bench pipeline in the form and renders its reply progressively', async () => {
    const { context, page } = await openConsole(browser, server.url);
    contexts.push(context);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await saveScreenshot(page, '01-sign-in');
    await signIn(page);
    await saveScreenshot(page, '02-pipelines');

    await page.getByRole('link', { name: 'New pipeline' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Browser bench');
    await page.getByLabel('Runner', { exact: true }).selectOption('bench');
    const settings = { chunks: 12, chunk_bytes: 6, interval_ms: 150 };
    await page.getByLabel('Chunks', { exact: true }).fill(String(settings.chunks));
    await page.getByLabel('Chunk bytes', { exact: true }).fill(String(settings.chunk_bytes));
    await page.getByLabel('Interval (ms)', { exact: true }).fill(String(settings.interval_ms));
    await saveScreenshot(page, '03-pipeline-editor');
    await page.getByRole('button', { name: 'Create pipeline' }).click();

    const openChat = page.getByRole('link', { name: 'Open debug chat for Browser bench' });
    await openChat.waitFor({ timeout: UI_TIMEOUT_MS });
    await openChat.click();
    await waitForStatus(page, 'connected');

    await recordBotRenders(page);
    await sendMessage(page, 'hello');
    const reply = botMessages(page).last();
    const expected = benchText(settings);
    await reply.getByText(expected).waitFor({ timeout: UI_TIMEOUT_MS });
    await saveScreenshot(page, '04-debug-chat');

    const renders = await botRenders(page);
    expect(renders.at(-1)).toBe(expected);
    const partial = renders.slice(0, -1);
    expect(partial.length).toBeGreaterThanOrEqual(2);
    for (const text of partial) expect(expected.startsWith(text)).toBe(true);
    await expectCount(ownMessages(page), 1);
  });

  it('stops a streaming reply and marks it cancelled', async () => {
    const uuid = await createPipeline(server, 'Slow bench', {
      type: 'bench',
      settings: { chunks: 300, chunk_bytes: 4, interval_ms: 50 },
    });
    const page = await signedInPage();
    await openDebugChat(page, uuid);

    await sendMessage(page, 'go');
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await stop.waitFor({ timeout: UI_TIMEOUT_MS });
    await botMessages(page).last().getByText(/^0:/).waitFor({ timeout: UI_TIMEOUT_MS });
    await stop.click();

    const reply = botMessages(page).last();
    await reply.getByText('cancelled', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    const stoppedAt = await reply.locator('.markdown').textContent();
    expect(stoppedAt?.length ?? 0).toBeLessThan(300 * 4);
    // Nothing arrives after the cancel: the text stays as it was.
    await page.waitForTimeout(400);
    expect(await reply.locator('.markdown').textContent()).toBe(stoppedAt);
    await expect(stop.count()).resolves.toBe(0);
  });

  it('in a group answers only a message that mentions the bot', async () => {
    const pipeline = await createPipelineFromBody(server, {
      name: 'Group echo',
      runner: { type: 'echo', settings: { delay_ms: 5 } },
    });
    const page = await signedInPage();
    await openDebugChat(page, pipeline.uuid);
    await page.getByRole('radio', { name: 'Group' }).check();
    await waitForStatus(page, 'connected');

    await sendMessage(page, 'hello everyone');
    await expectCount(ownMessages(page), 1);
    // The bot would answer within a few milliseconds; give it ample time to stay silent.
    await page.waitForTimeout(1_500);
    await expectCount(botMessages(page), 0);

    await page.getByRole('button', { name: 'Mention the bot' }).click();
    await page.getByRole('option', { name: 'Group echo' }).click();
    await page.getByLabel('Message', { exact: true }).pressSequentially('are you there');
    await saveScreenshot(page, '05-group-mention');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expectCount(botMessages(page), 1);
    await botMessages(page).first().getByText('are you there').waitFor({ timeout: UI_TIMEOUT_MS });
    await expectCount(ownMessages(page), 2);
  });

  it('shows a broadcast from the connections page as a toast in another tab', async () => {
    const uuid = await createPipeline(server, 'Broadcast echo', {
      type: 'echo',
      settings: { delay_ms: 5 },
    });
    const admin = await signedInPage();
    const listener = await admin.context().newPage();
    await openDebugChat(listener, uuid);

    await admin.goto('/connections');
    const perPipeline = admin.getByRole('table', {
      name: 'Live connections per pipeline and session type',
    });
    const row = perPipeline.getByRole('row').filter({ hasText: 'Broadcast echo' });
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.getByRole('cell').allInnerTexts()).toEqual(['Broadcast echo', '1', '0', '1']);
    await admin.getByLabel('Pipeline', { exact: true }).selectOption({ label: 'Broadcast echo' });
    await admin.getByLabel('Notice', { exact: true }).fill('Maintenance at noon');
    await saveScreenshot(admin, '06-connections');
    await admin.getByRole('button', { name: 'Send broadcast' }).click();

    // A toast (sonner) and a notice in the conversation.
    const toast = listener
      .locator('[data-sonner-toast]')
      .filter({ hasText: 'Maintenance at noon' });
    await toast.waitFor({ timeout: UI_TIMEOUT_MS });
    const notice = listener.getByRole('note', { name: 'Broadcast' });
    await notice.getByText('Maintenance at noon').waitFor({ timeout: UI_TIMEOUT_MS });
    await saveScreenshot(listener, '07-broadcast-toast');
  });

  it('creates an API key, shows it once and revokes it after confirmation', async () => {
    const page = await signedInPage();
    await page.goto('/api-keys');
    await page.getByRole('heading', { name: 'API keys' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByLabel('Name', { exact: true }).fill('ci-bot');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByRole('alert').locator('code');
    await secret.waitFor({ timeout: UI_TIMEOUT_MS });
    expect((await secret.textContent())?.length ?? 0).toBeGreaterThan(20);
    await saveScreenshot(page, '08-api-keys');

    await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(confirm.count()).resolves.toBe(0);
    const row = page.getByRole('row').filter({ hasText: 'ci-bot' });
    await row.getByText('active', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Revoke ci-bot' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('revoked', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it('fits the debug chat into a phone screen in the dark theme', async () => {
    const phone = await signedInPage({
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
    });
    await openDebugChat(phone, server.defaultPipelineUuid);
    await sendMessage(phone, 'Hello from a phone');
    await botMessages(phone)
      .last()
      .getByText('Hello from a phone')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    // Nothing may stick out sideways at phone width.
    const overflow = await phone.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBe(0);
    await saveScreenshot(phone, '09-chat-phone-dark');
  });
});
