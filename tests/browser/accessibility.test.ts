import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPipeline } from '../support/stream-test-kit.js';
import {
  botMessages,
  openDebugChat,
  sendMessage,
  signIn,
  UI_TIMEOUT_MS,
} from './support/console-actions.js';
import { seriousViolations, type Finding } from './support/axe.js';
import { chromiumAvailable, launchChromium, openConsole } from './support/chromium.js';

/**
 * axe-core on every screen of the console, desktop and phone width, light and dark: no serious
 * or critical violation (contrast, names, roles, structure).
 */
describe.runIf(chromiumAvailable())('accessibility (axe-core)', () => {
  let server: ServerProcess;
  let browser: Browser;
  let uuid: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServerProcess(), launchChromium()]);
    uuid = await createPipeline(server, 'Axe echo', { type: 'echo', settings: { delay_ms: 0 } });
  });

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.[Symbol.asyncDispose]();
  });

  for (const [label, viewport, colorScheme] of [
    ['desktop light', { width: 1280, height: 860 }, 'light'],
    ['phone dark', { width: 390, height: 844 }, 'dark'],
  ] as const) {
    it(`finds no serious or critical violation on any screen (${label})`, async () => {
      const { context, page } = await openConsole(browser, server.url, { viewport, colorScheme });
      contexts.push(context);
      const findings: Record<string, Finding[]> = {};
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      findings['sign-in'] = await seriousViolations(page);
      await signIn(page);

      const screens: [string, string, () => Promise<unknown>][] = [
        [
          '/pipelines',
          'pipelines',
          () => page.getByRole('link', { name: /Open debug chat for Axe echo/ }).waitFor(),
        ],
        [
          '/pipelines/new',
          'new pipeline',
          () => page.getByRole('button', { name: 'Create pipeline' }).waitFor(),
        ],
        [
          `/pipelines/${uuid}/edit`,
          'edit pipeline',
          () => page.getByRole('button', { name: 'Save changes' }).waitFor(),
        ],
        [
          '/connections',
          'connections',
          () => page.getByRole('heading', { name: 'Connections' }).waitFor(),
        ],
        ['/api-keys', 'api keys', () => page.getByRole('heading', { name: 'API keys' }).waitFor()],
        ['/users', 'users', () => page.getByRole('table', { name: 'Console users' }).waitFor()],
        [
          '/account',
          'account',
          () => page.getByRole('button', { name: 'Change password' }).waitFor(),
        ],
      ];
      for (const [path, name, ready] of screens) {
        await page.goto(path);
        await ready();
        findings[name] = await seriousViolations(page);
      }

      await openDebugChat(page, uuid);
      await sendMessage(
        page,
        'Table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconst x = 1;\n```',
      );
      await botMessages(page).last().getByRole('table').waitFor({ timeout: UI_TIMEOUT_MS });
      findings.chat = await seriousViolations(page);
      await page.getByRole('tab', { name: 'Frames' }).click();
      findings.frames = await seriousViolations(page);
      await page.getByRole('tab', { name: 'Connect' }).click();
      findings.connect = await seriousViolations(page);

      await page.goto(`/pipelines/${uuid}/conversations`);
      await page
        .getByRole('button', { name: /^View conversation/ })
        .first()
        .click();
      await page.getByRole('log', { name: 'Messages' }).getByRole('article').first().waitFor();
      findings.conversations = await seriousViolations(page);

      expect(
        Object.fromEntries(Object.entries(findings).filter(([, list]) => list.length > 0)),
      ).toEqual({});
    });
  }
});
