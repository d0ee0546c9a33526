import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll } from '../support/e2e-helpers.js';
import type { ChatSocket } from '../support/chat-socket.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { createPublicPipeline, issueVisitor, openVisitorSocket } from '../support/widget-kit.js';

const VISITORS = 500;
const BATCH = 50;

/**
 * 500 visitors on one public pipeline at once (real WebSocket clients on loopback): each sends
 * a message only it knows and checks that every frame it receives belongs to its own
 * conversation. A single foreign frame fails the test.
 */
describe('widget isolation under load', () => {
  let server: ServerProcess;
  const sockets: ChatSocket[] = [];

  beforeAll(async () => {
    server = await startServerProcess();
  });
  afterAll(async () => {
    await closeAll(sockets);
    await server[Symbol.asyncDispose]();
  });

  it('delivers zero foreign frames to 500 concurrent visitors', { timeout: 180_000 }, async () => {
    const pipeline = await createPublicPipeline(server, {
      limits: {
        connections_per_ip: 10_000,
        new_visitors_per_minute_per_ip: 10_000,
        messages_per_minute_per_ip: 10_000,
      },
    });
    const visitors: { id: string; marker: string; chat: ChatSocket }[] = [];
    for (let start = 0; start < VISITORS; start += BATCH) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(BATCH, VISITORS - start) }, async (_, offset) => {
          const visitor = await issueVisitor(server, pipeline);
          const chat = await openVisitorSocket(server, pipeline.uuid, visitor.token);
          sockets.push(chat);
          return {
            id: visitor.visitor_id,
            marker: `marker-${start + offset}-${visitor.visitor_id}`,
            chat,
          };
        }),
      );
      visitors.push(...batch);
    }
    expect(new Set(visitors.map((visitor) => visitor.id)).size).toBe(VISITORS);
    // Everyone sends at once, so the server interleaves 500 conversations.
    for (const visitor of visitors) visitor.chat.sendText(visitor.marker);
    await Promise.all(visitors.map((visitor) => visitor.chat.finalResponse()));

    let foreign = 0;
    let checked = 0;
    for (const visitor of visitors) {
      const connected = visitor.chat.ofType('connected');
      expect(connected).toHaveLength(1);
      for (const frame of visitor.chat.frames) {
        if (frame.type !== 'user_message' && frame.type !== 'response') continue;
        checked += 1;
        // A streaming chunk holds a prefix of the reply (the echo label may come before the
        // marker); every frame's text must be this visitor's message or a prefix of its reply.
        const finalReply = `[echo: no model configured] ${visitor.marker}`;
        const own =
          frame.data.content === visitor.marker || finalReply.startsWith(frame.data.content);
        if (!own) foreign += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(VISITORS * 2);
    expect(foreign).toBe(0);
  });
});
