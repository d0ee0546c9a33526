import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectChat, type ChatSocket } from '../support/chat-socket.js';
import { deleteRedisKeys, startClusterNode, uniqueRedisPrefix } from '../support/cluster-nodes.js';
import { useTestPostgresDatabases } from '../support/postgres-database.js';
import type { ServerProcess } from '../support/server-process.js';
import { expectCount, signIn } from './support/console-actions.js';
import {
  chromiumAvailable,
  launchChromium,
  openConsole,
  saveScreenshot,
} from './support/chromium.js';

/**
 * The connections screen of a cluster in Chromium: two real nodes on one PostgreSQL database
 * and the real Redis; the console on node A lists both nodes' connections with the node holding
 * each, and filters by node.
 */
describe.runIf(chromiumAvailable())('connections of a cluster in the console', () => {
  const newDatabase = useTestPostgresDatabases();
  const prefix = uniqueRedisPrefix();
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let browser: Browser;
  let context: BrowserContext | undefined;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    const databaseUrl = (await newDatabase()).url;
    // One after the other: the first start creates the admin and the default pipeline.
    nodeA = await startClusterNode({ databaseUrl, prefix, nodeId: 'console-a' });
    [nodeB, browser] = await Promise.all([
      startClusterNode({ databaseUrl, prefix, nodeId: 'console-b' }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await context?.close();
    await browser?.close();
    await nodeA?.[Symbol.asyncDispose]();
    await nodeB?.[Symbol.asyncDispose]();
    await deleteRedisKeys(prefix);
  });

  it('shows the node of each connection and filters by node', async () => {
    const pipeline = nodeA.defaultPipelineUuid;
    for (const [node, session] of [
      [nodeA, 'on-a'],
      [nodeB, 'on-b'],
    ] as const) {
      sockets.push(
        await connectChat(node.wsUrl, pipeline, { query: `session_type=group&session=${session}` }),
      );
    }
    const opened = await openConsole(browser, nodeA.url);
    context = opened.context;
    const { page } = opened;
    await signIn(page);
    await page.goto('/connections');
    const table = page.getByRole('table', { name: /Live connections, refreshed/ });
    const rows = table.locator('tbody tr');
    await expectCount(rows, 2);
    await table.getByRole('columnheader', { name: 'Node' }).waitFor();
    const nodes = table.getByTestId('connection-node');
    expect((await nodes.allInnerTexts()).sort()).toEqual(['console-a', 'console-b']);
    await saveScreenshot(page, '32-connections-cluster');

    await page.getByRole('combobox', { name: 'Node' }).selectOption('console-b');
    await expectCount(rows, 1);
    expect(await nodes.allInnerTexts()).toEqual(['console-b']);
    expect(await rows.first().innerText()).toContain('console-b');
  });
});
