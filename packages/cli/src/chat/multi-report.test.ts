import { describe, expect, it } from 'vitest';
import { createColors } from '../output/colors.js';
import {
  buildMultiReport,
  percentile,
  renderMultiReport,
  summarizeLatencies,
} from './multi-report.js';
import type { MessageOutcome, MultiRunResult } from './multi-run.js';

const RUN = { pipeline: 'p-1', sessionType: 'person', messagesPerConnection: 2 };

function complete(firstChunkMs: number, finalMs: number, chunks = 3): MessageOutcome {
  return { sent: true, reply: 'complete', chunks, firstChunkMs, finalMs };
}

function result(overrides: Partial<MultiRunResult> = {}): MultiRunResult {
  return {
    connections: [{ ok: true }, { ok: true }],
    messages: [complete(10, 100), complete(20, 200), complete(30, 300), complete(40, 400)],
    liveErrors: [],
    reconnects: 0,
    wallTimeMs: 1234.56,
    ...overrides,
  };
}

describe('percentile', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, index) => index + 1);

  it('uses the nearest rank: always one of the samples', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    expect(percentile([7], 1)).toBe(7);
    expect(percentile([7], 99)).toBe(7);
  });

  it('has no value for no samples', () => {
    expect(percentile([], 50)).toBeUndefined();
  });

  it('never decreases with p, and keeps per-sample order between two paired series', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 50; round += 1) {
      const first = Array.from({ length: 1 + Math.floor(random() * 300) }, () => random() * 500);
      const final = first.map((value) => value + random() * 1000);
      const a = summarizeLatencies(first);
      const b = summarizeLatencies(final);
      expect(a.p50!).toBeLessThanOrEqual(a.p95!);
      expect(a.p95!).toBeLessThanOrEqual(a.p99!);
      expect(a.p99!).toBeLessThanOrEqual(a.max!);
      expect(a.p50!).toBeLessThanOrEqual(b.p50!);
      expect(a.p99!).toBeLessThanOrEqual(b.p99!);
    }
  });
});

describe('summarizeLatencies', () => {
  it('sorts, counts and rounds to 0.1 ms', () => {
    expect(summarizeLatencies([3.14159, 1.06, 2.25])).toEqual({
      count: 3,
      p50: 2.3,
      p95: 3.1,
      p99: 3.1,
      max: 3.1,
    });
  });

  it('gives nulls for no samples', () => {
    expect(summarizeLatencies([])).toEqual({
      count: 0,
      p50: null,
      p95: null,
      p99: null,
      max: null,
    });
  });
});

describe('buildMultiReport', () => {
  it('adds up a clean run', () => {
    const report = buildMultiReport(result(), RUN);
    expect(report).toEqual({
      pipeline: 'p-1',
      sessionType: 'person',
      connections: { requested: 2, ok: 2, failed: 0 },
      messages: { requested: 4, sent: 4, failed: 0 },
      replies: { complete: 4, incomplete: 0, none: 0 },
      chunks: 12,
      latencyMs: {
        firstChunk: { count: 4, p50: 20, p95: 40, p99: 40, max: 40 },
        finalReply: { count: 4, p50: 200, p95: 400, p99: 400, max: 400 },
      },
      errors: {},
      reconnects: 0,
      wallTimeMs: 1234.6,
      ok: true,
    });
  });

  it('counts failures by code and marks the run failed', () => {
    const report = buildMultiReport(
      result({
        connections: [{ ok: true }, { ok: false, errorCode: 'CONNECTION_LIMIT' }],
        messages: [
          complete(10, 100),
          { sent: false, reply: 'unsent', chunks: 0, errorCode: 'QUEUE_FULL' },
          { sent: false, reply: 'unsent', chunks: 0 },
          { sent: false, reply: 'unsent', chunks: 0 },
        ],
        liveErrors: ['RATE_LIMITED', 'QUEUE_FULL'],
        reconnects: 3,
      }),
      RUN,
    );
    expect(report.connections).toEqual({ requested: 2, ok: 1, failed: 1 });
    expect(report.messages).toEqual({ requested: 4, sent: 1, failed: 3 });
    expect(report.replies).toEqual({ complete: 1, incomplete: 0, none: 0 });
    expect(report.errors).toEqual({ CONNECTION_LIMIT: 1, QUEUE_FULL: 2, RATE_LIMITED: 1 });
    expect(Object.keys(report.errors)).toEqual(['CONNECTION_LIMIT', 'QUEUE_FULL', 'RATE_LIMITED']);
    expect(report.reconnects).toBe(3);
    expect(report.ok).toBe(false);
  });

  it('treats unfinished and failed replies as failed messages, unanswered group ones as fine', () => {
    const report = buildMultiReport(
      result({
        messages: [
          { sent: true, reply: 'none', chunks: 0 },
          { sent: true, reply: 'error', chunks: 2, firstChunkMs: 5, finalMs: 50 },
          { sent: true, reply: 'timeout', chunks: 1, errorCode: 'REPLY_TIMEOUT' },
          { sent: true, reply: 'lost', chunks: 0, errorCode: 'CONNECTION_CLOSED' },
        ],
      }),
      RUN,
    );
    expect(report.replies).toEqual({ complete: 0, incomplete: 3, none: 1 });
    expect(report.messages).toEqual({ requested: 4, sent: 4, failed: 3 });
    // Latencies only from replies that ended, first chunk and final from the same ones.
    expect(report.latencyMs.firstChunk.count).toBe(1);
    expect(report.latencyMs.finalReply.count).toBe(1);
    expect(report.chunks).toBe(3);
    expect(report.ok).toBe(false);
  });

  it('counts messages that were never recorded as failed', () => {
    const report = buildMultiReport(result({ messages: [complete(1, 2)] }), RUN);
    expect(report.messages).toEqual({ requested: 4, sent: 1, failed: 3 });
    expect(report.ok).toBe(false);
  });
});

describe('renderMultiReport', () => {
  it('shows every figure without colour codes when colours are off', () => {
    const text = renderMultiReport(
      buildMultiReport(
        result({ liveErrors: ['RATE_LIMITED'], connections: [{ ok: true }, { ok: true }] }),
        RUN,
      ),
      createColors(false),
    );
    expect(text).not.toContain('\u001b[');
    expect(text).toMatch(/Connections +2 ok, 0 failed of 2/);
    expect(text).toMatch(/Messages +4 sent, 0 failed of 4/);
    expect(text).toMatch(/Replies +4 complete, 0 incomplete/);
    expect(text).toMatch(/Chunks received +12/);
    expect(text).toMatch(/Errors +RATE_LIMITED ×1/);
    expect(text).toMatch(/Wall time +1\.23 s/);
    expect(text).toMatch(/first chunk +4 +20\.0 +40\.0 +40\.0 +40\.0/);
    expect(text).toMatch(/final reply +4 +200\.0 +400\.0 +400\.0 +400\.0/);
  });

  it('shows dashes for latencies without samples', () => {
    const text = renderMultiReport(
      buildMultiReport(result({ messages: [] }), RUN),
      createColors(false),
    );
    expect(text).toMatch(/first chunk +0 +- +- +- +-/);
  });
});
