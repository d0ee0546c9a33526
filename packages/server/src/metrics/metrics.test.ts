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

  it('reports frames in and replies by label, counted with countFrameIn and countReply', async () => {
    const metrics = new Metrics();
    metrics.countFrameIn('message');
    metrics.countFrameIn('message');
    metrics.countFrameIn('ping');
    metrics.countReply('complete');
    const framesIn = await metrics.registry.getSingleMetricAsString('botwire_frames_in_total');
    expect(framesIn).toContain('botwire_frames_in_total{type="message"} 2');
    expect(framesIn).toContain('botwire_frames_in_total{type="ping"} 1');
    metrics.countFrameIn('message');
    metrics.countReply('complete');
    metrics.countReply('cancelled');
    expect(await metrics.registry.getSingleMetricAsString('botwire_frames_in_total')).toContain(
      'botwire_frames_in_total{type="message"} 3',
    );
    const replies = await metrics.registry.getSingleMetricAsString('botwire_replies_total');
    expect(replies).toContain('botwire_replies_total{status="complete"} 2');
    expect(replies).toContain('botwire_replies_total{status="cancelled"} 1');
  });
});
