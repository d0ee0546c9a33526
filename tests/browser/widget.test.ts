import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPublicPipeline, forgeWithServerSecret } from '../support/widget-kit.js';
import { seriousViolations } from './support/axe.js';
import { chromiumAvailable, launchChromium, saveScreenshot } from './support/chromium.js';
import { UI_TIMEOUT_MS } from './support/console-actions.js';
import { WidgetHostSite, openVisitor, sendFromWidget, widgetParts } from './support/widget-host.js';

const ECHO = '[echo: no model configured] ';

interface StoredVisitor {
  token: string;
  expiresAt: string;
  issuedAt: number;
  visitorId?: string;
}

/**
 * The public widget in a real browser: a web site on another origin (localhost) embeds the
 * one script tag served by the Botwire server (127.0.0.1), and visitors chat through it.
 */
describe.runIf(chromiumAvailable())('the public widget in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let site: WidgetHostSite;
  let foreignSite: WidgetHostSite;
  let pipeline: { uuid: string; key: string };
  let pageUrl: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser, site, foreignSite] = await Promise.all([
      startServerProcess(),
      launchChromium(),
      WidgetHostSite.start(),
      WidgetHostSite.start(),
    ]);
    // Every visitor of these tests comes from 127.0.0.1: lift the per-address limits.
    pipeline = await createPublicPipeline(server, {
      origins: [site.origin],
      limits: { new_visitors_per_minute_per_ip: 1_000, messages_per_minute_per_ip: 1_000 },
    });
    pageUrl = site.page('/', {
      botwireUrl: server.url,
      pipelineUuid: pipeline.uuid,
      widgetKey: pipeline.key,
    });
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await Promise.all([site?.close(), foreignSite?.close()]);
    await server?.[Symbol.asyncDispose]();
  });

  async function visitor(
    url = pageUrl,
    options: { colorScheme?: 'light' | 'dark' } = {},
  ): Promise<Page> {
    const { context, page } = await openVisitor(browser, url, options);
    contexts.push(context);
    return page;
  }

  function stored(page: Page): Promise<StoredVisitor> {
    return page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? 'null') as StoredVisitor,
      `botwire-widget:${pipeline.uuid}`,
    );
  }

  function store(page: Page, value: StoredVisitor): Promise<void> {
    return page.evaluate(
      ([key, text]) => localStorage.setItem(key as string, text as string),
      [`botwire-widget:${pipeline.uuid}`, JSON.stringify(value)],
    );
  }

  async function expectTexts(page: Page, visitorTexts: string[]): Promise<void> {
    const parts = widgetParts(page);
    await expect
      .poll(() => parts.botMessages.allTextContents(), { timeout: UI_TIMEOUT_MS })
      .toEqual(visitorTexts.map((text) => `Bot: ${ECHO}${text}`));
    expect(await parts.visitorMessages.allTextContents()).toEqual(
      visitorTexts.map((text) => `You: ${text}`),
    );
  }

  it('two visitors chat at once, each sees only its own messages and history', async () => {
    const [alice, bob] = await Promise.all([visitor(), visitor()]);
    await Promise.all([
      sendFromWidget(alice, 'alice asks about shoes'),
      sendFromWidget(bob, 'bob asks about hats'),
    ]);
    await Promise.all([sendFromWidget(alice, 'alice again'), sendFromWidget(bob, 'bob again')]);
    await expectTexts(alice, ['alice asks about shoes', 'alice again']);
    await expectTexts(bob, ['bob asks about hats', 'bob again']);
    await saveScreenshot(alice, 'widget-alice');

    // After a reload each gets its own history back, from its own token.
    expect((await stored(alice)).token).not.toBe((await stored(bob)).token);
    await Promise.all([alice.reload(), bob.reload()]);
    await Promise.all([widgetParts(alice).launcher.click(), widgetParts(bob).launcher.click()]);
    await expectTexts(alice, ['alice asks about shoes', 'alice again']);
    await expectTexts(bob, ['bob asks about hats', 'bob again']);
  });

  it('refuses a tampered token with a clear notice and starts a fresh visitor', async () => {
    const page = await visitor();
    await sendFromWidget(page, 'before tampering');
    await expectTexts(page, ['before tampering']);
    const original = await stored(page);
    const [prefix, payload, signature] = original.token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as {
      v: string;
    };
    // Another visitor id under the old signature: trying to read someone else's chat.
    claims.v = 'A'.repeat(22);
    const forged = `${prefix}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    await store(page, { ...original, token: forged });
    await page.reload();
    const parts = widgetParts(page);
    await parts.launcher.click();
    await expectText(parts.error, /altered.*new chat/i);
    // A fresh visitor: empty history, a new token, and it chats.
    expect(await parts.visitorMessages.count()).toBe(0);
    await sendFromWidget(page, 'after tampering');
    await expectTexts(page, ['after tampering']);
    const renewed = await stored(page);
    expect(renewed.token).not.toBe(forged);
    expect(renewed.token).not.toBe(original.token);
  });

  it('refuses an expired token: renews within the grace period, starts over after it', async () => {
    const page = await visitor();
    await sendFromWidget(page, 'kept across expiry');
    await expectTexts(page, ['kept across expiry']);
    const original = await stored(page);
    const payload = original.token.split('.')[1] ?? '';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { v: string };
    const now = Math.floor(Date.now() / 1_000);

    // Expired an hour ago, though the page believes it still valid (its clock is behind):
    // the server refuses it, the widget renews it and the visitor keeps its conversation.
    const recent = forgeWithServerSecret(server, {
      p: pipeline.uuid,
      v: claims.v,
      iat: now - 25 * 3_600,
      exp: now - 3_600,
    });
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const refused = await page.evaluate(
      async ([url, token]) => {
        const response = await fetch(`${url}/api/v1/widget/messages`, {
          headers: { authorization: `Bearer ${token}` },
        });
        return (await response.json()) as { error: string; msg: string };
      },
      [server.url, recent],
    );
    expect(refused.error).toBe('VISITOR_TOKEN_EXPIRED');
    await store(page, { ...original, token: recent, expiresAt: future, issuedAt: Date.now() });
    await page.reload();
    const parts = widgetParts(page);
    await parts.launcher.click();
    await expectTexts(page, ['kept across expiry']);
    expect((await stored(page)).token).not.toBe(recent);
    await parts.error.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });

    // Expired past the grace period (8 days): the panel says so and a new visitor starts.
    const old = forgeWithServerSecret(server, {
      p: pipeline.uuid,
      v: claims.v,
      iat: now - 9 * 86_400,
      exp: now - 8 * 86_400,
    });
    await store(page, { ...original, token: old, expiresAt: future, issuedAt: Date.now() });
    await page.reload();
    await parts.launcher.click();
    await expectText(parts.error, /expired.*new chat/i);
    expect(await parts.visitorMessages.count()).toBe(0);
    await sendFromWidget(page, 'a new visitor');
    await expectTexts(page, ['a new visitor']);
  });

  it('shows a clear error on a site that is not allowed and for a missing or wrong key', async () => {
    const foreign = foreignSite.page('/', {
      botwireUrl: server.url,
      pipelineUuid: pipeline.uuid,
      widgetKey: pipeline.key,
    });
    const missingKey = site.page('/no-key', {
      botwireUrl: server.url,
      pipelineUuid: pipeline.uuid,
      widgetKey: undefined,
    });
    const wrongKey = site.page('/wrong-key', {
      botwireUrl: server.url,
      pipelineUuid: pipeline.uuid,
      widgetKey: 'bw_widget_not-the-key',
    });
    const cases: [string, RegExp][] = [
      [foreign, new RegExp(`${foreignSite.origin.replace(/[.:/]/g, '\\$&')}.*may not embed`)],
      [missingKey, /widget key is missing/],
      [wrongKey, /not this pipeline's current key/],
    ];
    for (const [url, message] of cases) {
      const page = await visitor(url);
      await expectText(widgetParts(page).error, message);
    }
  });

  it('is keyboard usable and passes axe in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { context, page } = await openVisitorClosed(colorScheme);
      const parts = widgetParts(page);
      // The page's link, then the launcher.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expectFocused(parts.launcher);
      await page.keyboard.press('Enter');
      await parts.panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      await expectFocused(parts.input);
      await sendFromWidget(page, `hello in ${colorScheme}`);
      await expectTexts(page, [`hello in ${colorScheme}`]);
      expect(await seriousViolations(page)).toEqual([]);
      await saveScreenshot(page, `widget-open-${colorScheme}`);
      await page.keyboard.press('Escape');
      await parts.panel.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
      await expectFocused(parts.launcher);
      await context.close();
    }
  });

  it("is not touched by the host page's CSS", async () => {
    const styled = site.page('/styled', {
      botwireUrl: server.url,
      pipelineUuid: pipeline.uuid,
      widgetKey: pipeline.key,
      css: '* { color: red !important; font-size: 40px !important } div, button { display: none !important }',
    });
    const page = await visitor(styled);
    const parts = widgetParts(page);
    await parts.panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const looks = await parts.input.evaluate((input) => {
      const style = getComputedStyle(input);
      return { color: style.color, fontSize: style.fontSize };
    });
    expect(looks.color).not.toBe('rgb(255, 0, 0)');
    expect(looks.fontSize).toBe('14px');
    const heading = await page.locator('h1').evaluate((h1) => getComputedStyle(h1).color);
    expect(heading).toBe('rgb(255, 0, 0)');
    await parts.launcher.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  });

  /** Waits until the element's text matches. */
  async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
    await expect.poll(() => locator.textContent(), { timeout: UI_TIMEOUT_MS }).toMatch(pattern);
  }

  /** Waits until the element has the focus (inside the widget's shadow root). */
  async function expectFocused(locator: Locator): Promise<void> {
    await expect
      .poll(
        () =>
          locator.evaluate(
            (element) => (element.getRootNode() as ShadowRoot | Document).activeElement === element,
          ),
        { timeout: UI_TIMEOUT_MS },
      )
      .toBe(true);
  }

  async function openVisitorClosed(
    colorScheme: 'light' | 'dark',
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ colorScheme, locale: 'en-US' });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(pageUrl);
    await widgetParts(page).launcher.waitFor();
    return { context, page };
  }
});
