import { describe, expect, it } from 'vitest';
import { addDeliveryReports, DeliveryTracker, isPerfectDelivery } from './delivery-tracker.js';

describe('DeliveryTracker', () => {
  it('accepts a complete, ordered reply', () => {
    const tracker = new DeliveryTracker(3);
    [0, 1, 2].forEach((index, position) => {
      tracker.recordSeq(position + 1);
      tracker.recordChunk(index);
    });
    tracker.recordFinal();
    expect(isPerfectDelivery(tracker.report())).toBe(true);
    expect(tracker.distinctChunks).toBe(3);
  });

  it('counts losses, duplicates, reordering and seq regressions', () => {
    const tracker = new DeliveryTracker(5);
    tracker.recordSeq(1);
    tracker.recordChunk(0);
    tracker.recordSeq(3);
    tracker.recordChunk(2);
    tracker.recordSeq(2);
    tracker.recordChunk(1);
    tracker.recordChunk(1);
    tracker.recordChunk(undefined);
    tracker.recordChunk(9);
    const report = tracker.report();
    expect(report).toMatchObject({
      received: 4,
      exactlyOnce: 2,
      duplicates: 1,
      missing: 2,
      outOfOrder: 1,
      seqViolations: 1,
      malformed: 2,
      finalReceived: false,
    });
    expect(isPerfectDelivery(report)).toBe(false);
  });

  it('adds reports', () => {
    const complete = new DeliveryTracker(2);
    complete.recordChunk(0);
    complete.recordChunk(1);
    complete.recordFinal();
    const partial = new DeliveryTracker(2);
    partial.recordChunk(1);
    const total = addDeliveryReports([complete.report(), partial.report()]);
    expect(total).toMatchObject({ expected: 4, exactlyOnce: 3, missing: 1, finalReceived: false });
  });
});
