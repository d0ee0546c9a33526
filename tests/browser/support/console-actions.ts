import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { ADMIN_PASSWORD } from '../../support/server-process.js';

/** How long a UI expectation may take before the test fails. */
export const UI_TIMEOUT_MS = 10_000;

/** Signs in as the first-run admin through the sign-in form and waits for the console. */
export async function signIn(page: Page): Promise<void> {
  await signInAs(page, 'admin', ADMIN_PASSWORD);
}

/** Signs in with the given account through the sign-in form and waits for the console. */
export async function signInAs(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Pipelines' }).waitFor({ timeout: UI_TIMEOUT_MS });
}

/** The debug chat's connection status region (green/amber/red dot plus its words). */
export function connectionStatus(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: /^Connection: / });
}

/** The three words the status indicator starts with. */
export type StatusWord = 'connected' | 'reconnecting' | 'disconnected' | 'connecting';

/** Waits until the connection status starts with `word` (e.g. "reconnecting (attempt 1 of 5)"). */
export async function waitForStatus(
  page: Page,
  word: StatusWord,
  timeoutMs = UI_TIMEOUT_MS,
): Promise<void> {
  await connectionStatus(page)
    .filter({ hasText: new RegExp(`^Connection: ${word}`) })
    .waitFor({ timeout: timeoutMs });
}

/** Opens `/pipelines/<uuid>/chat` and waits until it is connected. */
export async function openDebugChat(page: Page, pipelineUuid: string): Promise<void> {
  await page.goto(`/pipelines/${pipelineUuid}/chat`);
  await waitForStatus(page, 'connected');
}

/** The bot's messages in the debug chat, oldest first. */
export function botMessages(page: Page): Locator {
  return page.locator(
    '[role="article"][aria-label^="Message from"]:not([aria-label="Message from you"])',
  );
}

/** The user's own messages in the debug chat, oldest first. */
export function ownMessages(page: Page): Locator {
  return page.locator('[role="article"][aria-label="Message from you"]');
}

/** Types `text` into the composer and presses Send. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

/**
 * Starts recording every text the newest bot message shows, so a test can prove a reply was
 * rendered progressively (each animation frame's content, de-duplicated).
 */
export async function recordBotRenders(page: Page): Promise<void> {
  await page.evaluate(() => {
    const renders: string[] = [];
    (window as unknown as { botRenders: string[] }).botRenders = renders;
    const selector =
      '[role="article"][aria-label^="Message from"]:not([aria-label="Message from you"])';
    const observer = new MutationObserver(() => {
      const all = document.querySelectorAll(selector);
      const text = all[all.length - 1]?.querySelector('.markdown')?.textContent ?? '';
      if (text !== '' && renders[renders.length - 1] !== text) renders.push(text);
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** The texts {@link recordBotRenders} has seen so far. */
export function botRenders(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { botRenders: string[] }).botRenders);
}

/** Asserts that `locator` has exactly `count` elements, waiting for it up to the UI timeout. */
export async function expectCount(locator: Locator, count: number): Promise<void> {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  while ((await locator.count()) !== count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await locator.count()).toBe(count);
}

/** Roles a user operates; each needs an accessible name for a screen reader to announce it. */
const CONTROL_ROLES = ['button', 'link', 'textbox', 'combobox', 'checkbox', 'radio', 'spinbutton'];

/**
 * The controls in `page`'s accessibility tree that have no accessible name, as ARIA snapshot
 * lines (for example `- button [disabled]`), once the screen settled: a control unnamed for a
 * moment while the page re-renders (seen once in CI on the pipeline editor, under load) is not
 * what a screen-reader user meets; one unnamed for `timeoutMs` is. Empty when all are labelled.
 */
export async function settledUnnamedControls(page: Page, timeoutMs = 3_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let unnamed = await unnamedControls(page);
  while (unnamed.length > 0 && Date.now() < deadline) {
    await page.waitForTimeout(100);
    unnamed = await unnamedControls(page);
  }
  return unnamed;
}

/** The controls without an accessible name on the page right now (ARIA snapshot lines). */
export async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  const unnamed = new RegExp(`^\\s*- (${CONTROL_ROLES.join('|')})(?: \\[[^\\]]*\\])*:?\\s*$`);
  return snapshot.split('\n').filter((line) => unnamed.test(line));
}
