import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** A page of a web site embedding the widget: the tag's attributes and the page's own CSS. */
export interface HostPageOptions {
  /** Where `widget.js` is served: the Botwire server's base URL. */
  botwireUrl: string;
  pipelineUuid: string;
  /** `data-key`; left out of the tag when undefined. */
  widgetKey: string | undefined;
  theme?: 'light' | 'dark';
  /** CSS the host page applies to itself (the widget must not be touched by it). */
  css?: string;
}

/**
 * A small web site on `http://localhost:<port>`, another origin than the Botwire server (which
 * tests start on 127.0.0.1): it serves one page per path, each with the single embed tag.
 */
export class WidgetHostSite {
  readonly #pages = new Map<string, string>();
  readonly #server: Server;
  origin = '';

  private constructor() {
    this.#server = createServer((request, response) => {
      const page = this.#pages.get(new URL(request.url ?? '/', 'http://x').pathname);
      if (page === undefined) {
        response.writeHead(404).end('not found');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
  }

  /** Starts a site on a free port of 127.0.0.1, addressed as `localhost`. */
  static async start(): Promise<WidgetHostSite> {
    const site = new WidgetHostSite();
    await new Promise<void>((resolve) => site.#server.listen(0, '127.0.0.1', resolve));
    site.origin = `http://localhost:${(site.#server.address() as AddressInfo).port}`;
    return site;
  }

  /** Serves a page embedding the widget at `path`; returns its full URL. */
  page(path: string, options: HostPageOptions): string {
    const attributes = [
      `src="${options.botwireUrl}/widget.js"`,
      `data-pipeline="${options.pipelineUuid}"`,
      options.widgetKey === undefined ? '' : `data-key="${options.widgetKey}"`,
      options.theme === undefined ? '' : `data-theme="${options.theme}"`,
      'data-lang="en"',
      'async',
    ].filter((attribute) => attribute !== '');
    this.#pages.set(
      path,
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>` +
        `<style>${options.css ?? ''}</style></head><body><main><h1>Shop</h1>` +
        `<a href="#top">Top of the shop</a></main><script ${attributes.join(' ')}></script>` +
        `</body></html>`,
    );
    return `${this.origin}${path}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** The widget's parts, found through its (open) shadow root as a visitor would. */
export function widgetParts(page: Page): {
  launcher: Locator;
  panel: Locator;
  input: Locator;
  error: Locator;
  visitorMessages: Locator;
  botMessages: Locator;
} {
  const host = page.locator('[data-botwire-widget]');
  return {
    launcher: host.locator('button.launcher'),
    panel: host.getByRole('dialog'),
    input: host.getByRole('textbox'),
    error: host.locator('.error'),
    visitorMessages: host.locator('li.message.user'),
    botMessages: host.locator('li.message.bot'),
  };
}

/** A new visitor: its own browser context (storage) on the host page, the widget opened. */
export async function openVisitor(
  browser: Browser,
  url: string,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1000, height: 760 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
  });
  const page = await context.newPage();
  await page.goto(url);
  await widgetParts(page).launcher.click();
  return { context, page };
}

/** Sends a chat message from the open widget. */
export async function sendFromWidget(page: Page, text: string): Promise<void> {
  const { input } = widgetParts(page);
  await input.fill(text);
  await input.press('Enter');
}
