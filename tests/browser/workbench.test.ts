import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropicServer } from '../support/fake-anthropic-server.js';
import { anthropicRunner } from '../support/model-test-kit.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { benchText, createPipeline, createPipelineFromBody } from '../support/stream-test-kit.js';
import {
  botMessages,
  expectCount,
  openDebugChat,
  ownMessages,
  sendMessage,
  signIn,
  UI_TIMEOUT_MS,
  waitForStatus,
} from './support/console-actions.js';
import {
  chromiumAvailable,
  launchChromium,
  openConsole,
  saveScreenshot,
} from './support/chromium.js';

/** A base URL nothing listens on: the model runner fails with MODEL_UNREACHABLE. */
const DEAD_BASE_URL = 'http://127.0.0.1:9/v1';

/**
 * The debug chat as a workbench, in Chromium against a real server: failed replies explain
 * themselves, Markdown extras, the settings beside the chat, the frame inspector, connect
 * snippets, regenerate and edit, and the pipeline form's runner-specific fields.
 */
describe.runIf(chromiumAvailable())('debug chat workbench', () => {
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

  async function signedInPage(options: Parameters<typeof openConsole>[2] = {}): Promise<Page> {
    const { context, page } = await openConsole(browser, server.url, options);
    contexts.push(context);
    await signIn(page);
    return page;
  }

  function toasts(page: Page) {
    return page.locator('[data-sonner-toast]');
  }

  it('shows why a reply failed in its bubble, with Retry, and no toast over the controls', async () => {
    const pipeline = await createPipelineFromBody(server, {
      name: 'Dead model',
      runner: {
        type: 'openai-compatible',
        settings: { model: 'gpt-test', base_url: DEAD_BASE_URL, api_key: 'sk-test' },
      },
    });
    const page = await signedInPage();
    await openDebugChat(page, pipeline.uuid);
    await sendMessage(page, 'are you there?');
    const reply = botMessages(page).last();
    await reply.getByText('The reply failed: MODEL_UNREACHABLE').waitFor({ timeout: 20_000 });
    expect(await reply.getByText('error', { exact: true }).count()).toBe(1);
    await expect(toasts(page).filter({ hasText: 'MODEL_UNREACHABLE' }).count()).resolves.toBe(0);
    await saveScreenshot(page, '20-failed-reply');

    await reply.getByRole('button', { name: 'Retry' }).click();
    await expectCount(ownMessages(page), 2);
    await expectCount(page.getByText('The reply failed: MODEL_UNREACHABLE'), 2);
    expect(await ownMessages(page).last().innerText()).toContain('are you there?');
  });

  it('renders tables, bare URLs and labelled code blocks with a copy button', async () => {
    const uuid = await createPipeline(server, 'Markdown echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const page = await signedInPage();
    await openDebugChat(page, uuid);
    const text = [
      'Scores:',
      '',
      '| name | score |',
      '| :--- | ---: |',
      '| Ann | 3 |',
      '',
      'See https://example.com/docs.',
      '',
      '```python',
      'print("hi")',
      '```',
    ].join('\n');
    await sendMessage(page, text);
    const reply = botMessages(page).last();
    const table = reply.getByRole('table');
    await table.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual(['name', 'score']);
    expect(await table.getByRole('cell').allInnerTexts()).toEqual(['Ann', '3']);
    const link = reply.getByRole('link', { name: 'https://example.com/docs' });
    expect(await link.getAttribute('href')).toBe('https://example.com/docs');
    expect(await link.getAttribute('rel')).toContain('noopener');
    await reply.getByText('python', { exact: true }).waitFor();
    await reply.getByRole('button', { name: 'Copy python code' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe('print("hi")');
    await saveScreenshot(page, '21-markdown');
  });

  it('applies settings edited beside the chat to the next message', async () => {
    const uuid = await createPipeline(server, 'Tunable bench', {
      type: 'bench',
      settings: { chunks: 2, chunk_bytes: 6, interval_ms: 0 },
    });
    const page = await signedInPage();
    await openDebugChat(page, uuid);
    await sendMessage(page, 'first');
    await botMessages(page)
      .last()
      .getByText(benchText({ chunks: 2, chunk_bytes: 6, interval_ms: 0 }))
      .waitFor({ timeout: UI_TIMEOUT_MS });

    const settings = page.getByRole('form', { name: 'Pipeline settings' });
    await settings.getByLabel('Chunks', { exact: true }).fill('5');
    await settings.getByRole('button', { name: 'Apply to next message' }).click();
    await toasts(page).filter({ hasText: 'Settings applied' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await sendMessage(page, 'second');
    await botMessages(page)
      .last()
      .getByText(benchText({ chunks: 5, chunk_bytes: 6, interval_ms: 0 }))
      .waitFor({ timeout: UI_TIMEOUT_MS });
    // No "Connected" toast on opening the chat or on switching to the group conversation.
    await page.getByRole('radio', { name: 'Group' }).check();
    await waitForStatus(page, 'connected');
    await expect(
      toasts(page)
        .filter({ hasText: /Connected/ })
        .count(),
    ).resolves.toBe(0);
  });

  it('lists every frame with its fields, filters, expands and pauses', async () => {
    const uuid = await createPipeline(server, 'Frames echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const page = await signedInPage();
    await openDebugChat(page, uuid);
    await page.getByRole('tab', { name: 'Frames' }).click();
    const frames = page.getByRole('list', { name: 'Frames' });
    await frames.getByText('new connection').waitFor({ timeout: UI_TIMEOUT_MS });
    await frames.getByText('connected', { exact: true }).waitFor();

    await sendMessage(page, 'inspect me');
    await botMessages(page).last().getByText('inspect me').waitFor({ timeout: UI_TIMEOUT_MS });
    const finalResponse = frames
      .locator('li')
      .filter({ hasText: /response.*final/ })
      .last();
    await finalResponse.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await finalResponse.innerText()).toMatch(/↓ in\s+response\s+seq \d+\s+final\s+\d+ B/);
    await frames
      .locator('li')
      .filter({ hasText: '↑ out' })
      .filter({ hasText: 'message' })
      .first()
      .waitFor();

    await page.getByRole('searchbox', { name: 'Filter' }).fill('user_message');
    await expect
      .poll(async () =>
        (await frames.locator('li').allInnerTexts()).every((row) => row.includes('user_message')),
      )
      .toBe(true);
    expect(await frames.locator('li').count()).toBeGreaterThanOrEqual(1);
    await frames.locator('li summary').first().click();
    await frames.locator('li pre').first().getByText('"client_id"').waitFor();
    await page.getByRole('searchbox', { name: 'Filter' }).fill('');

    await page.getByRole('button', { name: 'Pause' }).click();
    const before = await frames.locator('li').count();
    await sendMessage(page, 'while paused');
    await botMessages(page).last().getByText('while paused').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await frames.locator('li').count()).toBe(before);
    await page.getByText(/paused, [1-9]\d* not recorded/).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await saveScreenshot(page, '22-frames');
  });

  it('shows the WebSocket URL and connect snippets for the chosen conversation', async () => {
    const uuid = await createPipeline(server, 'Snippet echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const page = await signedInPage();
    await openDebugChat(page, uuid);
    await page.getByRole('tab', { name: 'Connect' }).click();
    const wsUrl = `${server.url.replace('http:', 'ws:')}/api/v1/pipelines/${uuid}/ws/connect`;
    await page.getByText(`${wsUrl}?session_type=person`, { exact: true }).waitFor();
    await page.getByRole('radio', { name: 'Group' }).check();
    await page.getByText(`${wsUrl}?session_type=group`, { exact: true }).waitFor();
    await page.getByText(/wscat -H "Authorization: Bearer \$TOKEN"/).waitFor();
    await page.getByRole('button', { name: 'Copy WebSocket URL' }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(`${wsUrl}?session_type=group`);
    await saveScreenshot(page, '23-connect');
  });

  it('regenerates the last reply and puts a message back to edit and resend', async () => {
    const uuid = await createPipeline(server, 'Regenerate echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const page = await signedInPage();
    await openDebugChat(page, uuid);
    await sendMessage(page, 'say it twice');
    await botMessages(page).last().getByText('say it twice').waitFor({ timeout: UI_TIMEOUT_MS });
    await botMessages(page).last().getByRole('button', { name: 'Regenerate' }).click();
    await expectCount(botMessages(page), 2);
    await botMessages(page).last().getByText('say it twice').waitFor({ timeout: UI_TIMEOUT_MS });
    // Only the newest reply offers it.
    await expectCount(page.getByRole('button', { name: 'Regenerate' }), 1);

    await ownMessages(page).last().getByRole('button', { name: 'Edit and resend' }).click();
    const composer = page.getByLabel('Message', { exact: true });
    expect(await composer.inputValue()).toBe('say it twice');
    await composer.fill('say it once');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await botMessages(page).last().getByText('say it once').waitFor({ timeout: UI_TIMEOUT_MS });
    await expectCount(ownMessages(page), 3);
  });

  it('shows each reply’s figures, with the tokens and finish reason the provider reported', async () => {
    const anthropic = await startFakeAnthropicServer();
    try {
      anthropic.setBehaviour({ kind: 'stream', chunks: ['Figures ', 'for ', 'you'], delayMs: 30 });
      const pipeline = await createPipelineFromBody(server, {
        name: 'Figures model',
        runner: anthropicRunner(anthropic.baseUrl, { model: 'claude-sonnet-4-5-e2e' }),
        output: { coalesce_ms: 0 },
      });
      const page = await signedInPage();
      await openDebugChat(page, pipeline.uuid);
      await sendMessage(page, 'count');
      const figures = botMessages(page).last().getByRole('definition');
      const line = botMessages(page).last().locator('dl[aria-label="Reply figures"]');
      await line.waitFor({ timeout: UI_TIMEOUT_MS });
      const text = await line.innerText();
      expect(text).toMatch(/first chunk\s*\d+ ms/);
      expect(text).toMatch(/chunks\s*3/);
      expect(text).toMatch(/characters\s*15/);
      expect(text).toMatch(/input tokens\s*25/);
      expect(text).toMatch(/output tokens\s*15/);
      expect(text).toMatch(/finish\s*stop/);
      expect(await figures.count()).toBe(7);
      await saveScreenshot(page, '26-reply-figures');
    } finally {
      await anthropic.close();
    }
  });

  it('shows only the chosen runner’s fields and offers the model check after saving a model pipeline', async () => {
    const page = await signedInPage();
    await page.goto('/pipelines/new');
    await page.getByLabel('Name', { exact: true }).fill('Checked model');
    await page.getByLabel('Runner', { exact: true }).selectOption('echo');
    await expect(page.getByLabel('System prompt').count()).resolves.toBe(0);
    await expect(page.getByLabel('Model', { exact: true }).count()).resolves.toBe(0);
    await page.getByLabel('Runner', { exact: true }).selectOption('openai-compatible');
    await page.getByLabel('System prompt').waitFor();
    await page.getByLabel('Model', { exact: true }).fill('gpt-test');
    await page.getByLabel('Base URL', { exact: true }).fill(DEAD_BASE_URL);
    await page.getByRole('button', { name: 'Create pipeline' }).click();
    await page.getByRole('heading', { name: /Created “Checked model”/ }).waitFor({
      timeout: UI_TIMEOUT_MS,
    });
    await page.getByRole('button', { name: 'Check model' }).click();
    await page
      .getByRole('status', { name: 'Model check' })
      .getByText(/MODEL_UNREACHABLE/)
      .waitFor({ timeout: 20_000 });
    await saveScreenshot(page, '24-model-check-after-save');
  });

  it('fits a phone: API keys page, a growing message box and 44 px targets', async () => {
    const phone = await signedInPage({ viewport: { width: 390, height: 844 } });
    const overflow = () =>
      phone.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
    await phone.goto('/api-keys');
    await phone.getByRole('heading', { name: 'API keys' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await phone.getByLabel('Name', { exact: true }).fill('phone-key');
    await phone.getByRole('button', { name: 'Create key' }).click();
    await phone
      .getByRole('row')
      .filter({ hasText: 'phone-key' })
      .waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await overflow()).toBe(0);

    await openDebugChat(phone, server.defaultPipelineUuid);
    const composer = phone.getByLabel('Message', { exact: true });
    const oneLine = (await composer.boundingBox())?.height ?? 0;
    await composer.fill(Array.from({ length: 9 }, (_, index) => `line ${index + 1}`).join('\n'));
    const nineLines = (await composer.boundingBox())?.height ?? 0;
    expect(nineLines).toBeGreaterThan(oneLine * 2.5);
    // Up to its maximum (15rem), then it scrolls.
    expect(nineLines).toBeLessThanOrEqual(240);
    expect(await overflow()).toBe(0);

    const targets = [
      phone.getByRole('radio', { name: 'Person' }),
      phone.getByRole('radio', { name: 'Group' }),
      phone.getByRole('button', { name: 'Reset conversation' }),
      phone.getByRole('button', { name: 'Send', exact: true }),
      phone.getByRole('tab', { name: 'Frames' }),
      phone.getByRole('link', { name: '← All pipelines' }),
    ];
    for (const target of targets) {
      // The radio input fills its label, which is the target a finger hits.
      const box = await target.evaluate((element) => {
        const hit = element.closest('label') ?? element;
        const rect = hit.getBoundingClientRect();
        return { width: rect.width, height: rect.height };
      });
      expect(
        box.height,
        await target.evaluate((element) => element.outerHTML),
      ).toBeGreaterThanOrEqual(44);
    }
    await saveScreenshot(phone, '25-chat-phone');
  });
});
