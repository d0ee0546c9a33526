import { DEFAULT_WIDGET_LIMITS } from '@botwire/protocol';
import { describe, expect, it } from 'vitest';
import { STORE_DIALECTS, useTemporaryStores } from './temporary-store.test-support.js';

describe.each(STORE_DIALECTS)('widget settings and server secrets on %s', (dialect) => {
  const temporaryStores = useTemporaryStores(dialect);

  it("saves, replaces and reads back a pipeline's widget settings; they go with the pipeline", async () => {
    const { store } = await temporaryStores.open();
    const pipeline = await store.pipelines.create({
      name: 'public',
      description: '',
      runner: { type: 'echo', settings: { delay_ms: 0 } },
    });
    expect(await store.widgets.get(pipeline.uuid)).toBeUndefined();
    const settings = {
      pipeline_uuid: pipeline.uuid,
      public: true,
      widget_key: 'bw_widget_first',
      allowed_origins: ['https://shop.example.com'],
      limits: { ...DEFAULT_WIDGET_LIMITS, allow_group: true },
      updated_at: '2026-12-05T12:00:00.000Z',
    };
    await store.widgets.save(settings);
    expect(await store.widgets.get(pipeline.uuid)).toEqual(settings);
    await store.widgets.save({ ...settings, public: false, widget_key: 'bw_widget_second' });
    expect(await store.widgets.get(pipeline.uuid)).toMatchObject({
      public: false,
      widget_key: 'bw_widget_second',
    });
    await store.pipelines.delete(pipeline.uuid);
    expect(await store.widgets.get(pipeline.uuid)).toBeUndefined();
  });

  it('keeps the first value of a secret, even when asked for concurrently', async () => {
    const { store } = await temporaryStores.open();
    let made = 0;
    const values = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.secrets.getOrCreate('signing', () => `value-${(made += 1)}`),
      ),
    );
    expect(new Set(values).size).toBe(1);
    expect(await store.secrets.getOrCreate('signing', () => 'later')).toBe(values[0]);
  });
});
