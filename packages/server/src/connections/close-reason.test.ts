import { describe, expect, it } from 'vitest';
import { MAX_CLOSE_REASON_BYTES, closeReason } from './close-reason.js';

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('closeReason', () => {
  it('keeps a reason that fits', () => {
    expect(closeReason('heartbeat timeout')).toBe('heartbeat timeout');
  });

  it('cuts ASCII at the byte limit', () => {
    const reason = closeReason('x'.repeat(500));
    expect(bytes(reason)).toBe(MAX_CLOSE_REASON_BYTES);
  });

  it('cuts multi-byte text by bytes, on a character boundary', () => {
    // 120 characters of 2-byte text are 240 bytes: more than a close frame can carry.
    const reason = closeReason('Origin https://' + 'é'.repeat(120));
    expect(bytes(reason)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
    expect(reason).not.toContain('\uFFFD');
    expect(Buffer.from(reason, 'utf8').toString('utf8')).toBe(reason);
  });

  it('never splits a surrogate pair or a 4-byte character', () => {
    for (let prefix = 0; prefix < 4; prefix += 1) {
      const reason = closeReason('a'.repeat(prefix) + '😀'.repeat(60));
      expect(bytes(reason)).toBeLessThanOrEqual(MAX_CLOSE_REASON_BYTES);
      expect(bytes(reason)).toBeGreaterThan(MAX_CLOSE_REASON_BYTES - 4);
      expect(/[\uD800-\uDBFF]$/.test(reason)).toBe(false);
    }
  });
});
