import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs; never a downloaded browser. */
export const CHROMIUM_PATH = process.env.BOTWIRE_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for a sandboxed, offline machine: no GPU, no sandbox (CI runs as root), and none of
 * Chromium's own network chatter, which this machine's closed network would refuse.
 */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go: `test-output/browser/` at the repository root (git-ignored). */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../../test-output/browser/', import.meta.url),
);

/**
 * Whether the browser tests can run. On CI Chromium must be there (`.ci/run` installs it), so a
 * missing browser fails the run instead of skipping; on a developer machine without it the
 * browser tests are skipped with a message saying how to enable them.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
    throw new Error(`CI needs Chromium at ${CHROMIUM_PATH}; .ci/run installs it with apt-get`);
  }
  console.warn(
    `Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set BOTWIRE_CHROMIUM_PATH).`,
  );
  return false;
}

/** Starts headless Debian Chromium with a fresh, empty profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/** Options for {@link openConsole}. */
export interface OpenConsoleOptions {
  /** The viewport; a desktop window by default. */
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /**
   * The browser's language (`navigator.languages`), from which the console picks its own on a
   * first visit. English by default, whatever the machine's locale, so the tests that read
   * English labels never see the console in another language.
   */
  locale?: string;
}

/** A new browser context (its own cookies) and page on the console at `baseUrl`. */
export async function openConsole(
  browser: Browser,
  baseUrl: string,
  options: OpenConsoleOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: options.viewport ?? { width: 1280, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    locale: options.locale ?? 'en-US',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  await page.goto('/');
  return { context, page };
}

/** Saves what the viewport shows (as a user sees it) as `test-output/browser/<name>.png`. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}
