import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatSocket } from '../support/chat-socket.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline } from '../support/stream-test-kit.js';
import { issueVisitor, openVisitorSocket } from '../support/widget-kit.js';
import { seriousViolations } from './support/axe.js';
import {
  chromiumAvailable,
  launchChromium,
  openConsole,
  saveScreenshot,
} from './support/chromium.js';
import { expectCount, signIn, UI_TIMEOUT_MS } from './support/console-actions.js';

const SITE = 'https://shop.example.test';

interface WidgetSettingsBody {
  widget: {
    public: boolean;
    widget_key: string;
    allowed_origins: string[];
    limits: Record<string, number | boolean>;
  };
}

/**
 * The pipeline editor's Public widget section in Chromium, then what an admin sees of a real
 * visitor: its conversation (marked, read-only) and its live connection (kind "visitor").
 */
describe.runIf(chromiumAvailable())('public widget in the console', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let visitorChat: ChatSocket | undefined;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
  });

  afterAll(async () => {
    visitorChat?.close();
    await context?.close();
    await browser?.close();
    await server?.[Symbol.asyncDispose]();
  });

  async function settingsOf(uuid: string): Promise<WidgetSettingsBody['widget']> {
    const answer = await rest<WidgetSettingsBody>(
      server.url,
      'GET',
      `/api/v1/pipelines/${uuid}/widget`,
    );
    return answer.body.data.widget;
  }

  it('turns the widget on, edits origins and limits, rotates the key; admins see visitors', async () => {
    const uuid = await createPipeline(server, 'Shop bot', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const opened = await openConsole(browser, server.url);
    context = opened.context;
    const page: Page = opened.page;
    await signIn(page);
    await page.goto(`/pipelines/${uuid}/edit`);
    const section = page.getByRole('form', { name: 'Public widget' });
    await section.waitFor({ timeout: UI_TIMEOUT_MS });

    // A page URL is not an origin: the form says why and saves nothing.
    await section.getByLabel('Public: visitors may chat').check();
    await section.getByLabel('Allowed origins').fill(`${SITE}/shop`);
    await section.getByRole('button', { name: 'Save widget settings' }).click();
    await section.getByText('has a path').waitFor({ timeout: UI_TIMEOUT_MS });
    expect((await settingsOf(uuid)).public).toBe(false);
    // Checked before any toast: a toast fading in is measured mid-transition.
    expect(await seriousViolations(page)).toEqual([]);

    await section.getByLabel('Allowed origins').fill(SITE);
    await section.getByLabel('Messages per minute per visitor').fill('0');
    await section.getByText('A whole number from 1 to 10000.').waitFor({ timeout: UI_TIMEOUT_MS });
    await section.getByLabel('Messages per minute per visitor').fill('25');
    await section.getByLabel('Image uploads per minute per visitor').fill('2');
    await section.getByLabel('Visitors may send images').uncheck();
    await section.getByRole('button', { name: 'Save widget settings' }).click();
    await page.getByText('Widget settings saved').waitFor({ timeout: UI_TIMEOUT_MS });

    const saved = await settingsOf(uuid);
    expect(saved.public).toBe(true);
    expect(saved.allowed_origins).toEqual([SITE]);
    expect(saved.limits.messages_per_minute_per_visitor).toBe(25);
    expect(saved.limits.image_uploads_per_minute_per_visitor).toBe(2);
    expect(saved.limits.allow_images).toBe(false);

    const snippet = section.getByLabel('Embed snippet');
    expect(await snippet.inputValue()).toBe(
      `<script src="${server.url.replace(/\/$/, '')}/widget.js" data-pipeline="${uuid}" data-key="${saved.widget_key}" async></script>`,
    );
    await saveScreenshot(page, '60-public-widget-section');

    await section.getByRole('button', { name: 'Rotate key' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Rotate key' }).click();
    await page.getByText('The widget key was replaced').waitFor({ timeout: UI_TIMEOUT_MS });
    const rotated = await settingsOf(uuid);
    expect(rotated.widget_key).not.toBe(saved.widget_key);
    await expect.poll(() => snippet.inputValue()).toContain(`data-key="${rotated.widget_key}"`);
    expect(await section.getByTestId('widget-key').innerText()).toBe(rotated.widget_key);

    // A real visitor on the allowed site chats, and stays connected.
    const visitor = await issueVisitor(server, { uuid, key: rotated.widget_key }, SITE);
    visitorChat = await openVisitorSocket(server, uuid, visitor.token, { origin: SITE });
    visitorChat.sendText('hello from a visitor');
    await visitorChat.finalResponse();

    await page.goto(`/pipelines/${uuid}/conversations`);
    const table = page.getByRole('region', { name: /conversations/i }).locator('tbody tr');
    await expectCount(table, 1);
    const row = table.first();
    expect(await row.innerText()).toContain(`visitor:${visitor.visitor_id}`);
    await row.getByTestId('visitor-badge').waitFor({ timeout: UI_TIMEOUT_MS });
    await row.getByRole('button').click();
    await page.getByText('read-only here; only the visitor can reset it').waitFor({
      timeout: UI_TIMEOUT_MS,
    });
    await page.getByText('hello from a visitor').first().waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByRole('link', { name: 'Continue' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /reset|delete/i }).count()).toBe(0);

    await page.goto('/connections');
    const kinds = page.getByTestId('connection-kind');
    await expectCount(kinds, 1);
    expect(await kinds.first().innerText()).toBe('visitor');
    const visitorCount = page
      .locator('dl[aria-label="Kind"] > div')
      .filter({ has: page.locator('dt', { hasText: /^visitor$/ }) })
      .locator('dd');
    expect(await visitorCount.innerText()).toBe('1');
    await page.getByRole('combobox', { name: 'Kind' }).selectOption('user');
    await expectCount(kinds, 0);
  });
});
