import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useTemporaryStores } from '../storage/temporary-store.test-support.js';
import { PipelineService } from './pipeline-service.js';

describe('PipelineService reads', () => {
  const stores = useTemporaryStores();
  const serviceOn = async () => {
    const { store } = await stores.open();
    return { store, service: new PipelineService({ store, logger: pino({ level: 'silent' }) }) };
  };

  it('never serves a cached pipeline after an update, a new default or a delete', async () => {
    const { store, service } = await serviceOn();
    const { pipeline } = await service.ensureDefault({ type: 'echo', settings: { delay_ms: 1 } });
    expect((await service.get(pipeline.uuid)).name).toBe('Default pipeline');

    await service.update(pipeline.uuid, { name: 'Renamed' });
    expect((await service.get(pipeline.uuid)).name).toBe('Renamed');

    const other = await service.create({ name: 'Other' });
    await store.pipelines.create({
      name: 'New default',
      description: '',
      runner: other.runner,
      isDefault: true,
    });
    // Writes through the store directly are not seen by design; through the service they are.
    await service.update(other.uuid, { description: 'touched' });
    expect((await service.get(pipeline.uuid)).is_default).toBe(false);

    await service.delete(pipeline.uuid);
    expect(await service.find(pipeline.uuid)).toBeUndefined();
  });
});
