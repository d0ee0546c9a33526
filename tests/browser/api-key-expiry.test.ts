import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { seriousViolations } from './support/axe.js';
import { signIn, UI_TIMEOUT_MS } from './support/console-actions.js';
import {
  chromiumAvailable,
  launchChromium,
  openConsole,
  saveScreenshot,
} from './support/chromium.js';

const DAY_MS = 86_400_000;

interface ListedKey {
  id: number;
  name: string;
  expires_at: string | null;
  expired: boolean;
}

/** API key expiry in the console: the create form's Expires field and the list's expired state. */
describe.runIf(chromiumAvailable())('API key expiry in the console', () => {
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

  async function keysPage(viewport?: { width: number; height: number }): Promise<Page> {
    const { context, page } = await openConsole(browser, server.url, viewport ? { viewport } : {});
    contexts.push(context);
    await signIn(page);
    await page.goto('/api-keys');
    await page.getByRole('heading', { name: 'API keys' }).waitFor({ timeout: UI_TIMEOUT_MS });
    return page;
  }

  async function listedKey(name: string): Promise<ListedKey> {
    const response = await rest(server.url, 'GET', '/api/v1/keys');
    const key = (response.body.data.api_keys as ListedKey[]).find((each) => each.name === name);
    if (key === undefined) throw new Error(`no key named ${name}`);
    return key;
  }

  /** The list's text for a time, as the console formats it in this browser. */
  /** A date and time as the console in English writes it (`format.dateTime` in i18n/format.ts). */
  function shownTime(page: Page, iso: string): Promise<string> {
    return page.evaluate(
      (value) =>
        new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' }).format(
          new Date(value),
        ),
      iso,
    );
  }

  it('creates keys expiring after a preset or on a picked date and lists their expiry', async () => {
    const page = await keysPage();
    const form = page.getByRole('form', { name: 'Create an API key' });

    // A preset: 30 days from now.
    const before = Date.now();
    await form.getByLabel('Name', { exact: true }).fill('monthly-bot');
    await form.getByLabel('Expires', { exact: true }).selectOption({ label: 'In 30 days' });
    await form.getByRole('button', { name: 'Create key' }).click();
    await page.getByRole('alert').locator('code').waitFor({ timeout: UI_TIMEOUT_MS });
    const monthly = await listedKey('monthly-bot');
    const monthlyAt = Date.parse(monthly.expires_at ?? '');
    expect(monthlyAt).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(monthlyAt).toBeLessThan(Date.now() + 30 * DAY_MS);
    const monthlyRow = page.getByRole('row').filter({ hasText: 'monthly-bot' });
    await monthlyRow
      .getByRole('cell', { name: await shownTime(page, monthly.expires_at ?? ''), exact: true })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await monthlyRow.getByRole('cell', { name: 'active', exact: true }).waitFor();
    // The form is back to "Never" for the next key.
    expect(await form.getByLabel('Expires', { exact: true }).inputValue()).toBe('never');

    // A date: the key lasts to the end of that day in the browser's time zone.
    await form.getByLabel('Name', { exact: true }).fill('dated-bot');
    await form.getByLabel('Expires', { exact: true }).selectOption({ label: 'On a date…' });
    const dateInput = form.getByLabel('Expiry date');
    await dateInput.waitFor();
    const { value, endOfDay } = await page.evaluate((days) => {
      const date = new Date(Date.now() + days * 86_400_000);
      const pad = (number: number) => String(number).padStart(2, '0');
      return {
        value: `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
        endOfDay: new Date(
          date.getFullYear(),
          date.getMonth(),
          date.getDate(),
          23,
          59,
          59,
          999,
        ).toISOString(),
      };
    }, 10);
    await dateInput.fill(value);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, '40-api-key-expiry-form');
    await form.getByRole('button', { name: 'Create key' }).click();
    await page
      .getByRole('row')
      .filter({ hasText: 'dated-bot' })
      .getByRole('cell', { name: await shownTime(page, endOfDay), exact: true })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect((await listedKey('dated-bot')).expires_at).toBe(endOfDay);

    // A key without expiry says so.
    const neverKey = await rest(server.url, 'POST', '/api/v1/keys', {
      body: { name: 'forever-bot' },
    });
    expect(neverKey.status).toBe(201);
    await page.reload();
    await page
      .getByRole('row')
      .filter({ hasText: 'forever-bot' })
      .getByRole('cell', { name: 'never', exact: true })
      .first()
      .waitFor({ timeout: UI_TIMEOUT_MS });
  });

  it('shows a key whose expiry passed as expired, at phone width too', async () => {
    const created = await rest(server.url, 'POST', '/api/v1/keys', {
      body: { name: 'brief-bot', expires_at: new Date(Date.now() + 2_000).toISOString() },
    });
    expect(created.status).toBe(201);
    const key = created.body.data.key as string;
    await expect
      .poll(async () => (await listedKey('brief-bot')).expired, { timeout: 15_000, interval: 250 })
      .toBe(true);
    const refused = await rest(server.url, 'GET', '/api/v1/pipelines', { token: key });
    expect(refused.body.error).toBe('API_KEY_EXPIRED');

    for (const viewport of [undefined, { width: 390, height: 844 }]) {
      const page = await keysPage(viewport);
      const row = page.getByRole('row').filter({ hasText: 'brief-bot' });
      await row.getByText('expired', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
      // Still revocable, like any key that is not revoked.
      await row.getByRole('button', { name: 'Revoke brief-bot' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      if (viewport !== undefined) {
        // The table scrolls inside its region; the page itself does not get wider.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          390,
        );
        await saveScreenshot(page, '41-api-key-expired-phone');
      }
    }
  });
});
