import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';

describe('Metrics', () => {
  it('reports frames counted with countFrameOut when scraped', async () => {
    const metrics = new Metrics();
    for (let index = 0; index < 3; index += 1) metrics.countFrameOut();
    expect(await metrics.registry.getSingleMetricAsString('botwire_frames_out_total')).toContain(
      'botwire_frames_out_total 3',
    );
    metrics.countFrameOut();
    expect(await metrics.registry.getSingleMetricAsString('botwire_frames_out_total')).toContain(
      'botwire_frames_out_total 4',
    );
  });
});
