import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { benchText, createPipeline } from '../support/stream-test-kit.js';
import {
  botMessages,
  openDebugChat,
  sendMessage,
  signIn,
  UI_TIMEOUT_MS,
  settledUnnamedControls,
  waitForStatus,
} from './support/console-actions.js';
import { chromiumAvailable, launchChromium, openConsole } from './support/chromium.js';

/**
 * The console's quality bar, checked in Chromium: every control is labelled for screen readers
 * on every screen, the main journey works from the keyboard alone, and a streaming reply does
 * not shift the layout.
 */
describe.runIf(chromiumAvailable())('web console quality bar', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let pipelineUuid: string;
  const settings = { chunks: 40, chunk_bytes: 12, interval_ms: 40 };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
    pipelineUuid = await createPipeline(server, 'Quality bench', { type: 'bench', settings });
    ({ page } = await openConsole(browser, server.url));
    await signIn(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.[Symbol.asyncDispose]();
  });

  it('labels every control on every screen', async () => {
    const screens: Record<string, string[]> = {};
    for (const path of ['/pipelines', '/pipelines/new', '/connections', '/api-keys']) {
      await page.goto(path);
      await page.getByRole('main').getByRole('heading', { level: 2 }).first().waitFor();
      screens[path] = await settledUnnamedControls(page);
    }
    await page.goto(`/pipelines/${pipelineUuid}/edit`);
    await page.getByRole('button', { name: 'Save changes' }).waitFor({ timeout: UI_TIMEOUT_MS });
    // The Public widget section loads its settings on its own: wait for it, it is part of the screen.
    await page
      .getByRole('button', { name: 'Save widget settings' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    screens.edit = await settledUnnamedControls(page);
    // One pipeline form: the form and the widget section once shared a React key, and React
    // then kept the form twice now and again.
    expect(await page.getByRole('button', { name: 'Save changes' }).count()).toBe(1);
    await openDebugChat(page, pipelineUuid);
    await page.getByRole('radio', { name: 'Group' }).check();
    await waitForStatus(page, 'connected');
    await page.getByRole('button', { name: 'Mention the bot' }).click();
    await page.getByRole('option', { name: 'Quality bench' }).waitFor();
    screens.chat = await settledUnnamedControls(page);
    await page.keyboard.press('Escape');
    expect(screens).toEqual({
      '/pipelines': [],
      '/pipelines/new': [],
      '/connections': [],
      '/api-keys': [],
      edit: [],
      chat: [],
    });
  });

  it('opens the debug chat, sends and leaves it from the keyboard alone, focus back on the opener', async () => {
    await page.goto('/pipelines');
    const target = page.getByRole('link', { name: 'Open debug chat for Quality bench' });
    await target.waitFor({ timeout: UI_TIMEOUT_MS });
    // Tab through the page, as a keyboard user would, until the link has focus.
    let reached = false;
    for (let presses = 0; presses < 40 && !reached; presses += 1) {
      await page.keyboard.press('Tab');
      reached = await target.evaluate((element) => element === document.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await waitForStatus(page, 'connected');
    // Focus starts in the message box, and Enter sends.
    const composer = page.getByLabel('Message', { exact: true });
    expect(await composer.evaluate((element) => element === document.activeElement)).toBe(true);
    await page.keyboard.type('typed, not clicked');
    await page.keyboard.press('Enter');
    await botMessages(page)
      .last()
      .getByText(benchText(settings))
      .waitFor({ timeout: UI_TIMEOUT_MS });
    // Escape does nothing to the page (no dialog to close) and keeps what is typed.
    await page.keyboard.type('a draft');
    await page.keyboard.press('Escape');
    expect(await composer.inputValue()).toBe('a draft');
    // Back to the list with the keyboard: the link that opened the chat has the focus again.
    const back = page.getByRole('link', { name: '← All pipelines' });
    reached = false;
    for (let presses = 0; presses < 40 && !reached; presses += 1) {
      await page.keyboard.press('Shift+Tab');
      reached = await back.evaluate((element) => element === document.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/pipelines');
    await target.waitFor({ timeout: UI_TIMEOUT_MS });
    await expect
      .poll(() => target.evaluate((element) => element === document.activeElement))
      .toBe(true);
    // The draft is still there when the chat is opened again.
    await page.keyboard.press('Enter');
    await waitForStatus(page, 'connected');
    expect(await composer.inputValue()).toBe('a draft');
    await composer.fill('');
  });

  it('does not shift the layout while a reply streams', async () => {
    await openDebugChat(page, pipelineUuid);
    await page.evaluate(() => {
      const state = window as unknown as { layoutShift: number };
      state.layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & {
          value: number;
          hadRecentInput: boolean;
        })[]) {
          if (!entry.hadRecentInput) state.layoutShift += entry.value;
        }
      }).observe({ type: 'layout-shift' });
    });
    const composer = page.getByLabel('Message', { exact: true });
    const composerBefore = await composer.boundingBox();
    await sendMessage(page, 'stream please');
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await stop.waitFor({ timeout: UI_TIMEOUT_MS });
    // Stop takes Send's place: the message box keeps its size and position.
    expect(await composer.boundingBox()).toEqual(composerBefore);
    await botMessages(page)
      .last()
      .getByText(benchText(settings))
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await composer.boundingBox()).toEqual(composerBefore);
    const shift = await page.evaluate(
      () => (window as unknown as { layoutShift: number }).layoutShift,
    );
    // Chromium's layout-shift score (0.1 counts as "poor" on the web). What remains is the reply's
    // own footer (time, copy) moving down a line each time the text wraps, about 0.0005 a line;
    // anything jumping around it (the list, the composer, a badge appearing) scores far higher.
    expect(shift).toBeLessThan(0.005);
  });
});
