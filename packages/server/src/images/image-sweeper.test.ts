import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../auth/principal.js';
import { DEFAULT_CONFIG } from '../config/config.js';
import { createLogger } from '../logging/logger.js';
import { MessageBudget } from '../quotas/message-budget.js';
import { STORE_DIALECTS, useTemporaryStores } from '../storage/temporary-store.test-support.js';
import { FileImageStore } from './file-image-store.js';
import { ImageService } from './image-service.js';
import type { ImageStore } from './image-store.js';
import { ImageSweeper, MAX_SWEEP_INTERVAL_MS } from './image-sweeper.js';
import { PostgresImageStore } from './postgres-image-store.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
const HOUR = 3_600_000;
const TTL = 24 * HOUR;
const logger = createLogger({ level: 'silent' });
const member: Principal = {
  kind: 'api_key',
  id: 'key:1',
  name: 'member',
  role: 'member',
  pipelines: null,
};

describe.each(STORE_DIALECTS)('unsent image sweep on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  async function setUp() {
    const { store } = await temporaryStores.open();
    const imageStore: ImageStore =
      dialect === 'postgres'
        ? new PostgresImageStore(store.database)
        : new FileImageStore(path.join(temporaryStores.directory(), 'images'));
    const clock = { now: Date.parse('2026-12-06T00:00:00.000Z') };
    const budget = new MessageBudget({
      usage: store.usage,
      limits: DEFAULT_CONFIG.limits,
    });
    const images = new ImageService({
      store,
      imageStore,
      budget,
      maxImageBytes: 1_048_576,
      logger,
      now: () => clock.now,
    });
    const pipeline = await store.pipelines.create({
      name: 'pictures',
      description: '',
      runner: { type: 'echo', settings: { delay_ms: 0 } },
    });
    const identity = { pipelineUuid: pipeline.uuid, sessionType: 'person' as const, key: 'k#1' };
    const upload = () =>
      images.upload({ principal: member, identity, declaredType: 'image/png', bytes: PNG });
    return { store, imageStore, images, pipeline, identity, clock, upload };
  }

  it('deletes only images no message carried, once older than the TTL, and frees their quota', async () => {
    const { store, imageStore, images, pipeline, identity, clock, upload } = await setUp();
    const sent = await upload();
    const unsent = await upload();
    const conversation = await store.conversations.getOrCreate(identity);
    await images.prepareChain({
      pipeline: (await store.pipelines.get(pipeline.uuid))!,
      conversationId: conversation.id,
      chain: [{ type: 'Image', image_id: sent.image_id }],
    });
    expect(await store.usage.userMessageBytesOfSender(member.id)).toBe(2 * PNG.length);

    clock.now += TTL - 1_000;
    expect(await images.sweepUnattached({ ttlMs: TTL, limit: 10 })).toBe(0);

    clock.now += 2_000;
    expect(await images.sweepUnattached({ ttlMs: TTL, limit: 10 })).toBe(1);
    expect(await store.images.find(unsent.image_id)).toBeUndefined();
    expect(await imageStore.read(unsent.image_id)).toBeUndefined();
    expect(await store.images.find(sent.image_id)).toMatchObject({
      attachedAt: expect.any(String),
    });
    expect(await imageStore.read(sent.image_id)).toBeDefined();
    expect(await store.usage.userMessageBytesOfSender(member.id)).toBe(PNG.length);
    // A message naming the swept image is refused like any unknown one.
    await expect(
      images.prepareChain({
        pipeline: (await store.pipelines.get(pipeline.uuid))!,
        conversationId: conversation.id,
        chain: [{ type: 'Image', image_id: unsent.image_id }],
      }),
    ).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
  });

  it('sweeps in rounds on its timer until nothing is due, and stops', async () => {
    const { store, images, clock, upload } = await setUp();
    const uploads = await Promise.all(Array.from({ length: 5 }, () => upload()));
    clock.now += TTL + 1;
    let due: (() => void) | undefined;
    const set = vi.fn((callback: () => void) => {
      due = callback;
      return 1;
    });
    const sweepUnattached = vi.fn((options: { ttlMs: number; limit: number }) =>
      images.sweepUnattached(options),
    );
    const sweeper = new ImageSweeper({
      images: { sweepUnattached },
      ttlMs: TTL,
      batchSize: 2,
      logger,
      timers: { set, clear: vi.fn() },
    });
    sweeper.start();
    // A quarter of the TTL, at most an hour.
    expect(set).toHaveBeenCalledWith(expect.any(Function), MAX_SWEEP_INTERVAL_MS);
    due?.();
    // Once the sweep is over it arms the next one.
    await vi.waitFor(() => expect(set).toHaveBeenCalledTimes(2));
    // Rounds of 2, 2 and 1: all five went in one sweep.
    expect(sweepUnattached).toHaveBeenCalledTimes(3);
    for (const uploaded of uploads) {
      expect(await store.images.find(uploaded.image_id)).toBeUndefined();
    }
    await sweeper.stop();
    due?.();
    await sweeper.stop();
    expect(set).toHaveBeenCalledTimes(2);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
