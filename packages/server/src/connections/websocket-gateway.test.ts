import { CLOSE_CODES } from '@botwire/protocol';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startBotwire, type BotwireServer } from '../app.js';
import { configSchema } from '../config/config.js';
import { createLogger } from '../logging/logger.js';

const ADMIN_KEY = 'gateway-test-admin-key-0123456789';

/** The gateway of an embedded server: what an embedder calling startBotwire sees. */
describe('WebSocketGateway, embedded', () => {
  let server: BotwireServer | undefined;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  afterEach(async () => {
    process.off('unhandledRejection', onRejection);
    rejections.length = 0;
    await server?.stop();
    server = undefined;
  });

  it('refuses a non-ASCII Origin with a close frame and no unhandled rejection', async () => {
    process.on('unhandledRejection', onRejection);
    server = await startBotwire({
      config: configSchema.parse({
        port: 0,
        databaseFile: ':memory:',
        auth: { apiKeys: [ADMIN_KEY], adminPassword: 'admin-password-123' },
      }),
      logger: createLogger({ level: 'silent' }),
    });
    const url = `${server.url.replace(/^http/, 'ws')}/api/v1/pipelines/${server.defaultPipelineUuid}/ws/connect`;
    // Non-ASCII in a header is sent as raw bytes (latin1) by ws; Node hands it back as is.
    const origin = `https://${'é'.repeat(100)}.example`;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${ADMIN_KEY}`, origin },
    });
    socket.on('error', () => undefined);
    const closed = await new Promise<{ code: number; reason: string }>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error('the server sent no close frame'));
      }, 5_000);
      socket.once('close', (code, reason) => {
        clearTimeout(timer);
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
    expect(closed.code).toBe(CLOSE_CODES.FORBIDDEN);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    expect(closed.reason).toMatch(/^Origin /);
    // Give any stray rejection a turn of the event loop to surface.
    await new Promise((resolve) => setImmediate(resolve));
    expect(rejections).toEqual([]);
  });
});
