import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer, type FakeProviderServer } from '../support/fake-openai-server.js';
import { createModelPipeline, openAiRunner, waitForRequests } from '../support/model-test-kit.js';
import { rest } from '../support/rest-client.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPublicPipeline } from '../support/widget-kit.js';
import { seriousViolations } from './support/axe.js';
import { chromiumAvailable, launchChromium, saveScreenshot } from './support/chromium.js';
import { UI_TIMEOUT_MS } from './support/console-actions.js';
import { WidgetHostSite, openVisitor, widgetParts } from './support/widget-host.js';
import { ONE_PIXEL_PNG as PNG } from '../support/image-fixtures.js';

const PNG_FILE = { name: 'pixel.png', mimeType: 'image/png', buffer: PNG };
/** The limits of these tests' pipelines: every visitor comes from 127.0.0.1. */
const LIMITS = { new_visitors_per_minute_per_ip: 1_000, messages_per_minute_per_ip: 1_000 };

/** Images in the widget: attach, paste, thumbnails through blob URLs, a vision model's answer. */
describe.runIf(chromiumAvailable())('widget images in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  let site: WidgetHostSite;
  let openai: FakeProviderServer;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser, site, openai] = await Promise.all([
      startServerProcess(),
      launchChromium(),
      WidgetHostSite.start(),
      startFakeOpenAiServer({ behaviour: { kind: 'stream', chunks: ['A red ', 'pixel.'] } }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await site?.close();
    await openai?.close();
    await server?.[Symbol.asyncDispose]();
  });

  async function visitor(pipeline: { uuid: string; key: string }, path: string): Promise<Page> {
    const url = site.page(path, {
      botwireUrl: server.url,
      pipelineUuid: pipeline.uuid,
      widgetKey: pipeline.key,
    });
    const { context, page } = await openVisitor(browser, url);
    contexts.push(context);
    return page;
  }

  function attachButton(page: Page) {
    return page.locator('[data-botwire-widget]').getByRole('button', { name: 'Attach an image' });
  }

  function fileInput(page: Page) {
    return page.locator('[data-botwire-widget] input[type=file]');
  }

  /** The `src` of each loaded thumbnail in the conversation (visitor's and bot's). */
  function thumbnailSources(page: Page): Promise<string[]> {
    return page
      .locator('[data-botwire-widget] li.message img')
      .evaluateAll((images) =>
        (images as HTMLImageElement[])
          .filter((image) => image.complete && image.naturalWidth === 1)
          .map((image) => image.src),
      );
  }

  it('attaches by button and paste, shows thumbnails through blob URLs, revokes them on reset', async () => {
    const pipeline = await createPublicPipeline(server, {
      origins: [site.origin],
      limits: LIMITS,
    });
    const page = await visitor(pipeline, '/attach');
    const parts = widgetParts(page);
    await attachButton(page).waitFor({ timeout: UI_TIMEOUT_MS });

    // The button's file picker.
    await fileInput(page).setInputFiles(PNG_FILE);
    const pendingImage = page.locator('[data-botwire-widget] .attachments img');
    await pendingImage.waitFor({ timeout: UI_TIMEOUT_MS });
    await parts.input.fill('a pixel');
    await parts.input.press('Enter');
    await expect.poll(() => thumbnailSources(page), { timeout: UI_TIMEOUT_MS }).toHaveLength(1);
    expect((await thumbnailSources(page))[0]).toMatch(/^blob:/);
    expect(await pendingImage.count()).toBe(0);
    await expect
      .poll(() => parts.visitorMessages.first().textContent(), { timeout: UI_TIMEOUT_MS })
      .toContain('a pixel');

    // Pasting an image into the message box attaches it too.
    await parts.input.evaluate(
      (input, bytes) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(bytes)], 'pasted.png', { type: 'image/png' }));
        input.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
        );
      },
      [...PNG],
    );
    await pendingImage.waitFor({ timeout: UI_TIMEOUT_MS });
    await parts.input.press('Enter');
    await expect.poll(() => thumbnailSources(page), { timeout: UI_TIMEOUT_MS }).toHaveLength(2);
    await saveScreenshot(page, 'widget-images');
    // With thumbnails and a pending attachment in the panel, it still passes axe.
    await fileInput(page).setInputFiles(PNG_FILE);
    await pendingImage.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .locator('[data-botwire-widget]')
      .getByRole('button', { name: 'Remove image 1' })
      .click();
    await pendingImage.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });

    // After a reload the history's images are fetched with the token and shown from blob URLs.
    await page.reload();
    await parts.launcher.click();
    await expect.poll(() => thumbnailSources(page), { timeout: UI_TIMEOUT_MS }).toHaveLength(2);
    const sources = await thumbnailSources(page);
    expect(sources.every((source) => source.startsWith('blob:'))).toBe(true);

    // A reset removes the thumbnails and revokes their blob URLs.
    await page.locator('[data-botwire-widget]').getByRole('button', { name: 'New chat' }).click();
    await expect.poll(() => parts.visitorMessages.count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    const stillReadable = await page.evaluate(async (urls) => {
      const results = await Promise.all(
        urls.map((url) =>
          fetch(url).then(
            () => true,
            () => false,
          ),
        ),
      );
      return results.filter(Boolean).length;
    }, sources);
    expect(stillReadable).toBe(0);
  });

  it('hides the image button when the pipeline turns visitor images off', async () => {
    const pipeline = await createPublicPipeline(server, {
      origins: [site.origin],
      limits: { ...LIMITS, allow_images: false },
    });
    const page = await visitor(pipeline, '/no-images');
    await widgetParts(page).input.waitFor({ timeout: UI_TIMEOUT_MS });
    await expect.poll(() => attachButton(page).isHidden(), { timeout: UI_TIMEOUT_MS }).toBe(true);
  });

  it('sends an image to a vision model and shows its answer', async () => {
    const plain = openAiRunner(openai.baseUrl);
    const runner = { ...plain, settings: { ...plain.settings, vision: true } };
    const created = await createModelPipeline(server, { name: 'vision widget', runner });
    const widget = await rest(server.url, 'PATCH', `/api/v1/pipelines/${created.uuid}/widget`, {
      body: { public: true, allowed_origins: [site.origin], limits: LIMITS },
    });
    expect(widget.status).toBe(200);
    const pipeline = { uuid: created.uuid, key: widget.body.data.widget.widget_key as string };
    const page = await visitor(pipeline, '/vision');
    const parts = widgetParts(page);
    const before = openai.requests.length;
    await fileInput(page).setInputFiles(PNG_FILE);
    await parts.input.fill('What is this?');
    await parts.input.press('Enter');

    const request = await waitForRequests(openai, before + 1);
    const messages = request.body.messages as { role: string; content: unknown }[];
    expect(messages[messages.length - 1]?.content).toEqual([
      { type: 'text', text: 'What is this?[Image]' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
    ]);
    await expect
      .poll(() => parts.botMessages.allTextContents(), { timeout: UI_TIMEOUT_MS })
      .toEqual(['Bot: A red pixel.']);
    await expect.poll(() => thumbnailSources(page), { timeout: UI_TIMEOUT_MS }).toHaveLength(1);
  });
});
