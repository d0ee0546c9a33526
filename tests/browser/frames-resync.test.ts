import type { ConnectionInfo } from '@botwire/protocol';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import { rest } from '../support/rest-client.js';
import {
  ADMIN_PASSWORD,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process.js';
import { createPipeline } from '../support/stream-test-kit.js';
import { seriousViolations } from './support/axe.js';
import {
  botMessages,
  expectCount,
  openDebugChat,
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

/** Events each conversation keeps for resuming: tiny, so a short absence needs a resync. */
const REPLAY_WINDOW = 3;
/** Messages another client sends while the console is away: many more events than the window. */
const MISSED_MESSAGES = 4;

/**
 * The frame inspector during a resume that the server cannot serve from its replay window: the
 * console's socket is closed, another client of the same conversation chats on, and when the
 * console reconnects with its `last_seq` the server answers `resync_required`. The inspector
 * shows the close, the resume and the resync; the chat reloads what it missed.
 */
describe.runIf(chromiumAvailable())('frame inspector: resume and resync', () => {
  let server: ServerProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServerProcess({ env: { BOTWIRE_REPLAY_WINDOW: String(REPLAY_WINDOW) } }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.[Symbol.asyncDispose]();
  });

  it('shows the close, the resume from last_seq and the resync_required frame', async () => {
    const uuid = await createPipeline(server, 'Resync echo', {
      type: 'echo',
      settings: { delay_ms: 0 },
    });
    const { context, page } = await openConsole(browser, server.url);
    contexts.push(context);
    await signIn(page);
    await openDebugChat(page, uuid);
    await page.getByRole('tab', { name: 'Frames' }).click();
    const frames = page.getByRole('list', { name: 'Frames' });
    await frames.getByText('new connection').waitFor({ timeout: UI_TIMEOUT_MS });

    // The same signed-in user on another client: the same person conversation as the console.
    const login = await rest(server.url, 'POST', '/api/v1/auth/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
      token: null,
    });
    expect(login.status).toBe(200);
    const other = await connectChat(server.wsUrl, uuid, {
      token: login.body.data.token as string,
      query: 'session_type=person',
    });
    sockets.push(other);
    other.sendText('seen live');
    await botMessages(page).last().getByText('seen live').waitFor({ timeout: UI_TIMEOUT_MS });

    // Close the console's socket (the admin endpoint closes with 1000, which the SDK does not
    // retry, so the console stays away until Reconnect).
    const listed = await rest<{ connections: ConnectionInfo[] }>(
      server.url,
      'GET',
      '/api/v1/connections',
    );
    const consoleConnection = listed.body.data.connections.find(
      (connection) =>
        connection.pipeline_uuid === uuid &&
        connection.connection_id !== other.ofType('connected')[0]?.connection_id,
    );
    expect(consoleConnection).toBeDefined();
    const closed = await rest(
      server.url,
      'DELETE',
      `/api/v1/connections/${encodeURIComponent(consoleConnection?.connection_id ?? '')}`,
    );
    expect(closed.status).toBe(200);
    await waitForStatus(page, 'disconnected', UI_TIMEOUT_MS);
    await frames
      .locator('li')
      .filter({ hasText: 'closed 1000' })
      .waitFor({ timeout: UI_TIMEOUT_MS });

    // Meanwhile the conversation moves on, well past the replay window.
    for (let index = 1; index <= MISSED_MESSAGES; index += 1) {
      other.sendText(`missed ${index}`);
      await other.waitFor((received) =>
        received.some(
          (frame) =>
            frame.type === 'response' &&
            frame.data.is_final &&
            frame.data.content.includes(`missed ${index}`),
        ),
      );
    }

    await page.getByRole('button', { name: 'Reconnect' }).first().click();
    await waitForStatus(page, 'connected', UI_TIMEOUT_MS);

    const resume = frames.locator('li').filter({ hasText: /resume after seq \d+/ });
    await resume.waitFor({ timeout: UI_TIMEOUT_MS });
    const resync = frames.locator('li').filter({ hasText: 'resync_required' });
    await resync.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await resync.innerText()).toContain('resync: history reloaded over REST');
    await resync.scrollIntoViewIfNeeded();
    expect(await resync.isVisible()).toBe(true);
    // Both stand out from the ordinary frames.
    for (const row of [resume, resync]) {
      expect(await row.getAttribute('class')).toContain('bg-amber-50');
    }
    // The resume asked for the seq the console had seen, and the resync came after it.
    const resumedFrom = Number(/resume after seq (\d+)/.exec(await resume.innerText())?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    const rows = await frames.locator('li').allInnerTexts();
    const resumeIndex = rows.findIndex((row) => /resume after seq/.test(row));
    const resyncIndex = rows.findIndex((row) => row.includes('resync_required'));
    expect(resyncIndex).toBeGreaterThan(resumeIndex);
    await resync.locator('summary').click();
    await resync.locator('pre').getByText('"last_seq"').waitFor();

    // The chat reloaded what it missed over REST.
    await botMessages(page)
      .last()
      .getByText(`missed ${MISSED_MESSAGES}`)
      .waitFor({ timeout: UI_TIMEOUT_MS });
    // Checked once the toasts have gone: axe reads a fading toast's colours mid-animation.
    await expectCount(page.locator('[data-sonner-toast]'), 0);
    // With a frame expanded, its JSON scrolls and must be reachable by keyboard.
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, '42-frames-resync');
  });
});
