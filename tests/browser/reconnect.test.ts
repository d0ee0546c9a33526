import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline } from '../support/stream-test-kit.js';
import {
  botMessages,
  expectCount,
  openDebugChat,
  ownMessages,
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
 * The server drops the debug chat's connection (it restarts, as in a deploy): the indicator
 * turns amber while the SDK retries and green again once it is back, and the conversation is
 * the same as before, with no message shown twice.
 */
describe.runIf(chromiumAvailable())('debug chat across a server restart', () => {
  let first: ServerProcess;
  let second: ServerProcess | undefined;
  let browser: Browser;

  beforeAll(async () => {
    [first, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await second?.[Symbol.asyncDispose]();
    await first?.[Symbol.asyncDispose]();
  });

  it('goes amber then green and keeps the conversation without duplicates', async () => {
    const uuid = await createPipeline(first, 'Restart echo', {
      type: 'echo',
      settings: { delay_ms: 5 },
    });
    const { context, page } = await openConsole(browser, first.url);
    await signIn(page);
    await openDebugChat(page, uuid);

    await sendMessage(page, 'before the restart');
    await botMessages(page)
      .last()
      .getByText('before the restart')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    const before = await page.getByRole('article').allInnerTexts();

    // Same port and data directory: the page, its cookie and the conversation carry over.
    const port = new URL(first.url).port;
    await first.stop();
    await waitForStatus(page, 'reconnecting');
    await saveScreenshot(page, '10-reconnecting');
    second = await startServerProcess({ dataDir: first.dataDir, env: { BOTWIRE_PORT: port } });
    await waitForStatus(page, 'connected', 20_000);

    await expectCount(ownMessages(page), 1);
    await expectCount(botMessages(page), 1);
    expect(await page.getByRole('article').allInnerTexts()).toEqual(before);

    await sendMessage(page, 'after the restart');
    await botMessages(page)
      .last()
      .getByText('after the restart')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await expectCount(ownMessages(page), 2);
    await expectCount(botMessages(page), 2);
    await saveScreenshot(page, '11-reconnected');
    await context.close();
  });
});

/**
 * A restart that outlasts the old client's retries (five rounds, about 6 s): the SDK now keeps
 * trying for its reconnect window, so the chat stays amber past the sixth attempt and recovers
 * by itself when the server is back, with no click on Reconnect.
 */
describe.runIf(chromiumAvailable())('debug chat across a long server outage', () => {
  let first: ServerProcess;
  let second: ServerProcess | undefined;
  let browser: Browser;

  beforeAll(async () => {
    [first, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await second?.[Symbol.asyncDispose]();
    await first?.[Symbol.asyncDispose]();
  });

  it('reconnects on its own after an outage longer than five attempts', async () => {
    const uuid = await createPipeline(first, 'Outage echo', {
      type: 'echo',
      settings: { delay_ms: 5 },
    });
    const { context, page } = await openConsole(browser, first.url);
    await signIn(page);
    await openDebugChat(page, uuid);

    const port = new URL(first.url).port;
    await first.stop();
    // Past the fifth attempt, where the old client gave up and the chat stayed red.
    await page
      .getByRole('status')
      .filter({ hasText: /^Connection: reconnecting \(attempt ([6-9]|\d\d+)/ })
      .waitFor({ timeout: 60_000 });
    second = await startServerProcess({ dataDir: first.dataDir, env: { BOTWIRE_PORT: port } });
    // Backoff is capped at 10 s, so the next attempt comes well within this.
    await waitForStatus(page, 'connected', 40_000);
    await sendMessage(page, 'back again');
    await botMessages(page).last().getByText('back again').waitFor({ timeout: UI_TIMEOUT_MS });
    await context.close();
  });
});
