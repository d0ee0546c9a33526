import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ApiKeyExpiryWatch,
  MAX_EXPIRY_TIMER_DELAY_MS,
  type WatchedApiKey,
} from './api-key-expiry-watch.js';

const START = Date.parse('2030-01-01T00:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1_000;

function key(id: number, expiresInMs: number): WatchedApiKey {
  return {
    principalId: `key:${id}`,
    name: `key ${id}`,
    expiresAt: new Date(START + expiresInMs).toISOString(),
  };
}

describe('ApiKeyExpiryWatch', () => {
  let expired: string[];
  let watch: ApiKeyExpiryWatch;

  beforeEach(() => {
    vi.useFakeTimers({ now: START });
    expired = [];
    watch = new ApiKeyExpiryWatch({
      now: () => new Date(),
      onExpired: (watched) => expired.push(watched.principalId),
    });
  });

  afterEach(() => {
    watch.close();
    vi.useRealTimers();
  });

  it('reports each key once, at its expiry, with a single timer for any number of keys', () => {
    for (let id = 1; id <= 500; id += 1) watch.watch(key(id, 1_000 * (501 - id)));
    watch.watch(key(1, 1_000 * 500));
    expect(watch.size).toBe(500);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['key:500']);
    vi.advanceTimersByTime(1_000);
    expect(expired).toEqual(['key:500', 'key:499']);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(500_000);
    expect(expired).toHaveLength(500);
    expect(new Set(expired).size).toBe(500);
    expect(watch.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits for a key a year away in steps setTimeout can hold', () => {
    watch.watch(key(1, 366 * DAY_MS));
    vi.advanceTimersByTime(MAX_EXPIRY_TIMER_DELAY_MS);
    expect(expired).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(365 * DAY_MS - MAX_EXPIRY_TIMER_DELAY_MS + DAY_MS - 1);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['key:1']);
  });

  it('re-arms for an earlier key and forgets revoked ones', () => {
    watch.watch(key(1, 10_000));
    watch.watch(key(2, 5_000));
    watch.forget('key:2');
    vi.advanceTimersByTime(5_000);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(5_000);
    expect(expired).toEqual(['key:1']);
    watch.watch(key(3, 20_000));
    watch.forget('key:3');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reports an already expired key at once and ignores keys after close', () => {
    watch.watch(key(1, -1));
    vi.advanceTimersByTime(0);
    expect(expired).toEqual(['key:1']);
    watch.close();
    watch.watch(key(2, 1_000));
    expect(vi.getTimerCount()).toBe(0);
  });
});
