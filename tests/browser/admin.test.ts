import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline } from '../support/stream-test-kit.js';
import {
  expectCount,
  openDebugChat,
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

/** The admin screens in Chromium: connections (filter, sort, disconnect one). */
describe.runIf(chromiumAvailable())('admin screens', () => {
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

  async function signedInPage(): Promise<Page> {
    const { context, page } = await openConsole(browser, server.url);
    contexts.push(context);
    await signIn(page);
    return page;
  }

  it('filters and sorts connections and disconnects one, which the chat reports', async () => {
    const uuid = await createPipeline(server, 'Kickable echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const admin = await signedInPage();
    const chat = await admin.context().newPage();
    await openDebugChat(chat, uuid);
    const other = await admin.context().newPage();
    await openDebugChat(other, server.defaultPipelineUuid);

    await admin.goto('/connections');
    const table = admin.getByRole('table', { name: /Live connections, refreshed/ });
    const rows = table.locator('tbody tr');
    await expectCount(rows, 2);
    await admin.getByLabel('Filter connections').fill('kickable');
    await expectCount(rows, 1);
    expect(await rows.first().innerText()).toContain('Kickable echo');
    await admin.getByLabel('Filter connections').fill('');
    await admin.getByLabel('Sort by').selectOption('pipeline');
    await admin.getByRole('button', { name: 'Descending' }).click();
    await expect
      .poll(async () => (await rows.allInnerTexts()).map((row) => row.includes('Kickable echo')))
      .toEqual([false, true]);
    await saveScreenshot(admin, '31-connections-filter');

    await admin.getByLabel('Filter connections').fill('kickable');
    await rows
      .first()
      .getByRole('button', { name: /^Disconnect / })
      .click();
    await admin.getByRole('alertdialog').getByRole('button', { name: 'Disconnect' }).click();
    await waitForStatus(chat, 'disconnected', UI_TIMEOUT_MS);
    await admin.getByText('No connection matches the filter.').waitFor({ timeout: UI_TIMEOUT_MS });
    // The other chat is untouched.
    await waitForStatus(other, 'connected');
  });
});
