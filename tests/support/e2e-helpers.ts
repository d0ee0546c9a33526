import type { ErrorCode, ServerFrame } from '@botwire/protocol';
import { expect } from 'vitest';
import type { ChatSocket } from './chat-socket.js';
import { rest } from './rest-client.js';

/** Polls `predicate` every `intervalMs` until it holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves with the close of `chat`, or fails after `timeoutMs` (the socket is then terminated). */
export async function closedWithin(
  chat: ChatSocket,
  timeoutMs = 5_000,
): Promise<{ code: number; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      chat.socket.terminate();
      reject(
        new Error(
          `socket not closed within ${timeoutMs} ms; frames: ${JSON.stringify(chat.frames)}`,
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([chat.closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asserts the documented refusal: exactly one `error` frame with `code`, then a close with `closeCode`. */
export async function expectRefusal(
  chat: ChatSocket,
  code: ErrorCode,
  closeCode: number,
): Promise<void> {
  const closed = await closedWithin(chat);
  expect(closed.code).toBe(closeCode);
  const errors = chat.ofType('error');
  expect(errors.map((frame) => frame.code)).toEqual([code]);
  expect(errors[0]?.message.length).toBeGreaterThan(0);
  expect(chat.ofType('connected')).toEqual([]);
}

/** Sends an app-level ping and waits for a new `pong`: proves the connection is open and served. */
export async function expectUsable(chat: ChatSocket): Promise<void> {
  expect(chat.closeCode).toBeUndefined();
  const before = chat.ofType('pong').length;
  chat.send({ type: 'ping' });
  await chat.waitFor(
    (frames) => frames.filter((frame) => frame.type === 'pong').length > before,
    5_000,
  );
  expect(chat.closeCode).toBeUndefined();
}

/** Waits for the `error` frame with `code` and returns it. */
export function nextError(
  chat: ChatSocket,
  code: ErrorCode,
): Promise<Extract<ServerFrame, { type: 'error' }>> {
  return chat.next('error', (frame) => frame.code === code);
}

/** Closes every socket given (ignoring those already closed) and waits for the closes, bounded. */
export async function closeAll(sockets: readonly ChatSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(async (chat) => {
      if (chat.closeCode !== undefined) return;
      chat.close();
      await closedWithin(chat, 3_000).catch(() => undefined);
    }),
  );
}

/** How many WebSocket connections the server has registered (open or still closing). */
export async function serverConnectionCount(baseUrl: string): Promise<number> {
  const response = await rest<{ stats: { total_connections: number } }>(
    baseUrl,
    'GET',
    '/api/v1/connections',
  );
  expect(response.status).toBe(200);
  return response.body.data.stats.total_connections;
}

/** Waits until the server has forgotten every closed connection. */
export async function waitForConnectionCount(baseUrl: string, count: number): Promise<void> {
  await waitUntil(
    async () => (await serverConnectionCount(baseUrl)) === count,
    `${count} server-side connections`,
  );
}

/** A random RFC 4122 v4 uuid no pipeline has. */
export function unknownUuid(): string {
  return crypto.randomUUID();
}
