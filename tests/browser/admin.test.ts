import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline } from '../support/stream-test-kit.js';
import {
  expectCount,
  openDebugChat,
  signIn,
  signInAs,
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
 * The admin screens in Chromium: connections (filter, sort, disconnect one), users (create,
 * change role, delete) and changing one's own password.
 */
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
    // A single node: no node column and no node filter (a cluster's are in cluster-connections).
    expect(await table.getByRole('columnheader', { name: 'Node' }).count()).toBe(0);
    expect(await table.getByTestId('connection-node').count()).toBe(0);
    expect(await admin.getByRole('combobox', { name: 'Node' }).count()).toBe(0);
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

  it('creates a user, changes their role and deletes them', async () => {
    const admin = await signedInPage();
    await admin.getByRole('link', { name: 'Users' }).click();
    await admin.getByRole('heading', { name: 'Users' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await admin.getByLabel('Username').fill('bruno');
    await admin.getByLabel('Initial password').fill('bruno-password-1');
    await admin.getByRole('button', { name: 'Create user' }).click();
    const row = admin.getByRole('row').filter({ hasText: 'bruno' });
    await row.getByText('member', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });

    await row.getByRole('button', { name: 'Make admin (bruno)' }).click();
    await admin.getByRole('alertdialog').getByRole('button', { name: 'Make admin' }).click();
    await row.getByText('admin', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await saveScreenshot(admin, '32-users');

    // The new admin signs in and sees the admin screens.
    const { context, page: bruno } = await openConsole(browser, server.url);
    contexts.push(context);
    await signInAs(bruno, 'bruno', 'bruno-password-1');
    await bruno.getByRole('link', { name: 'Users' }).waitFor();

    await row.getByRole('button', { name: 'Delete bruno' }).click();
    await admin.getByRole('alertdialog').getByRole('button', { name: 'Delete user' }).click();
    await expectCount(admin.getByRole('row').filter({ hasText: 'bruno' }), 0);
  });

  it('changes the signed-in user’s password', async () => {
    await rest(server.url, 'POST', '/api/v1/users', {
      body: { username: 'carla', password: 'carla-password-1', role: 'member' },
    });
    const { context, page } = await openConsole(browser, server.url);
    contexts.push(context);
    await signInAs(page, 'carla', 'carla-password-1');
    await page.getByRole('link', { name: 'Account' }).click();
    await page.getByLabel('Current password', { exact: true }).fill('wrong-password');
    await page.getByLabel('New password', { exact: true }).fill('carla-password-2');
    await page.getByLabel('Repeat the new password').fill('carla-password-2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page
      .getByRole('alert')
      .getByText(/Not changed:.*AUTH_FAILED/)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByLabel('Current password', { exact: true }).fill('carla-password-1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('[data-sonner-toast]').filter({ hasText: 'Password changed' }).waitFor({
      timeout: UI_TIMEOUT_MS,
    });
    const login = await rest(server.url, 'POST', '/api/v1/auth/login', {
      token: null,
      body: { username: 'carla', password: 'carla-password-2' },
    });
    expect(login.status).toBe(200);
  });

  it('switches the theme between system, light and dark and keeps the choice', async () => {
    const page = await signedInPage();
    const dark = () => page.evaluate(() => document.documentElement.classList.contains('dark'));
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // The context's system scheme is light.
    expect(await dark()).toBe(false);
    const light = await background();
    await page.getByLabel('Theme').selectOption('dark');
    expect(await dark()).toBe(true);
    expect(await background()).not.toBe(light);
    await page.reload();
    await page.getByRole('heading', { name: 'Pipelines' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await dark()).toBe(true);
    expect(await page.getByLabel('Theme').inputValue()).toBe('dark');
    await page.getByLabel('Theme').selectOption('system');
    expect(await dark()).toBe(false);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(dark).toBe(true);
  });

  it('creates an API key limited to one pipeline, which then works only there', async () => {
    const allowed = await createPipeline(server, 'Scoped echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const page = await signedInPage();
    await page.goto('/api-keys');
    await page.getByLabel('Name', { exact: true }).fill('scoped-bot');
    await page.getByRole('checkbox', { name: 'Scoped echo' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByRole('alert').locator('code').textContent()) ?? '';
    expect(key.length).toBeGreaterThan(20);
    const row = page.getByRole('row').filter({ hasText: 'scoped-bot' });
    await row.getByRole('cell', { name: 'Scoped echo', exact: true }).waitFor({
      timeout: UI_TIMEOUT_MS,
    });
    const history = (uuid: string) =>
      rest(server.url, 'GET', `/api/v1/pipelines/${uuid}/ws/messages/person`, { token: key });
    expect((await history(allowed)).status).toBe(200);
    expect((await history(server.defaultPipelineUuid)).status).toBe(403);

    // Revoked, it can be deleted from the list.
    await row.getByRole('button', { name: 'Revoke scoped-bot' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke key' }).click();
    await row.getByText('revoked', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    await row.getByRole('button', { name: 'Delete scoped-bot' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete key' }).click();
    await expectCount(page.getByRole('row').filter({ hasText: 'scoped-bot' }), 0);
  });
});
