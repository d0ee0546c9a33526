import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { seriousViolations } from './support/axe.js';
import {
  chromiumAvailable,
  launchChromium,
  openConsole,
  saveScreenshot,
} from './support/chromium.js';
import {
  botMessages,
  openDebugChat,
  ownMessages,
  signIn,
  UI_TIMEOUT_MS,
  waitForStatus,
} from './support/console-actions.js';

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real RGB PNG, `width` x `height`, each pixel from `pixel` (so noise makes it large). */
function png(width: number, height: number, pixel: () => [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < height; y += 1) {
    rows.push(0);
    for (let x = 0; x < width; x += 1) rows.push(...pixel());
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const RED = png(40, 30, () => [220, 30, 30]);
const NOISE = png(64, 64, () => [...randomBytes(3)] as [number, number, number]);
const MAX_IMAGE_BYTES = 4_096;

/**
 * Image messages in the console, in real Chromium against a real server: attaching through the
 * picker, uploading on send, the thumbnail loading from the server, the full-size dialog, the
 * errors for a non-image and an oversize file, axe on the chat, and the conversation browser.
 */
describe.runIf(chromiumAvailable())('images in the console', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServerProcess({ env: { BOTWIRE_MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES) } }),
      launchChromium(),
    ]);
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

  async function attach(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Attach images' }).click();
    await (await chooser).setFiles(file);
  }

  it('sends an image, shows it loaded, opens it full size, and passes axe', async () => {
    expect(RED.length).toBeLessThan(MAX_IMAGE_BYTES);
    const page = await signedInPage();
    await openDebugChat(page, server.defaultPipelineUuid);

    await attach(page, { name: 'red.png', mimeType: 'image/png', buffer: RED });
    const tray = page.getByRole('list', { name: 'Images to send' });
    await tray.getByRole('img', { name: 'Preview of red.png' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByLabel('Message', { exact: true }).fill('What is this?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();

    const own = ownMessages(page).last();
    await own.getByText('What is this?', { exact: true }).waitFor({ timeout: UI_TIMEOUT_MS });
    const thumbnail = own.getByRole('img', { name: `Image, PNG, ${RED.length} B` });
    await thumbnail.waitFor({ timeout: UI_TIMEOUT_MS });
    await expect
      .poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.naturalWidth), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(40);
    expect(await own.textContent()).not.toContain('[Image]');
    expect(await tray.count()).toBe(0);
    // The echo runner describes the image it got.
    await botMessages(page)
      .last()
      .getByText(/\[Image image\/png/)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await saveScreenshot(page, 'images-01-chat');
    expect(await seriousViolations(page)).toEqual([]);

    const open = own.getByRole('button', { name: `Open full size: Image, PNG, ${RED.length} B` });
    await open.click();
    const dialog = page.getByRole('dialog', { name: `Image, PNG, ${RED.length} B` });
    await dialog.waitFor({ timeout: UI_TIMEOUT_MS });
    const full = dialog.getByRole('img');
    await expect
      .poll(() => full.evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBe(40);
    expect(
      await dialog.getByRole('link', { name: 'Open in a new tab' }).getAttribute('href'),
    ).toMatch(/^\/api\/v1\/images\/img_/);
    await saveScreenshot(page, 'images-02-viewer');
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    // Focus returns to the thumbnail that opened it.
    expect(await open.evaluate((button) => button === document.activeElement)).toBe(true);

    // The conversation browser shows the same image from the history.
    await page.goto(`/pipelines/${server.defaultPipelineUuid}/conversations`);
    await page
      .getByRole('button', { name: /^View conversation/ })
      .first()
      .click();
    const history = page.getByRole('log', { name: 'Messages' });
    const stored = history.getByRole('img', { name: `Image, PNG, ${RED.length} B` });
    await stored.waitFor({ timeout: UI_TIMEOUT_MS });
    await expect
      .poll(() => stored.evaluate((image: HTMLImageElement) => image.naturalWidth), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(40);
    await saveScreenshot(page, 'images-03-conversations');
  });

  it('refuses a non-image at once and shows the server’s reason for an oversize image', async () => {
    const page = await signedInPage();
    // A conversation of its own, so the first test's messages are not in it.
    await page.goto(`/pipelines/${server.defaultPipelineUuid}/chat?session=errors`);
    await waitForStatus(page, 'connected');

    await attach(page, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') });
    const alert = page.getByRole('alert').filter({ hasText: 'notes.txt' });
    await alert
      .getByText('notes.txt is not a PNG, JPEG, GIF or WebP image, so it was not attached.')
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await page.getByRole('list', { name: 'Images to send' }).count()).toBe(0);

    // A text file named .png passes the browser's check; the server reads the content.
    await attach(page, {
      name: 'fake.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not a png'),
    });
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page
      .getByRole('alert')
      .getByText(/Could not upload fake\.png: .*\(IMAGE_TYPE_UNSUPPORTED\)/)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    await page.getByRole('button', { name: 'Remove fake.png' }).click();

    expect(NOISE.length).toBeGreaterThan(MAX_IMAGE_BYTES);
    await attach(page, { name: 'big.png', mimeType: 'image/png', buffer: NOISE });
    await page.getByLabel('Message', { exact: true }).fill('too big');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const tooLarge = page
      .getByRole('alert')
      .getByText(
        new RegExp(
          `Could not upload big\\.png: .*at most ${MAX_IMAGE_BYTES}.*\\(IMAGE_TOO_LARGE\\)`,
        ),
      );
    await tooLarge.waitFor({ timeout: UI_TIMEOUT_MS });
    await saveScreenshot(page, 'images-04-too-large');
    // Nothing was sent; the draft and the attachment stay for another try.
    expect(await ownMessages(page).count()).toBe(0);
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('too big');
    await page.getByRole('button', { name: 'Remove big.png' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
