import type { Colors } from '../output/colors.js';
import { renderPairs, renderTable } from '../output/table.js';
import type { MultiRunResult } from './multi-run.js';

/** Percentiles of one latency, in milliseconds; null when there was no sample. */
export interface LatencySummary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** The report of `botwire chat --multi` (printed as is by `--json`). */
export interface MultiReport {
  pipeline: string;
  sessionType: string;
  connections: { requested: number; ok: number; failed: number };
  messages: {
    requested: number;
    /** Acknowledged by the server. */
    sent: number;
    /** Not sent, or whose reply did not complete (or did not come in time). */
    failed: number;
  };
  replies: {
    complete: number;
    /**
     * Sent, but the reply ended cancelled, error or interrupted, or never ended (timeout,
     * connection lost).
     */
    incomplete: number;
    /** Group messages that no trigger rule answered. */
    none: number;
  };
  /** Reply chunks received for this run's messages (each reply's final chunk included). */
  chunks: number;
  /** From sending a message to its reply's first chunk and to its final chunk. */
  latencyMs: { firstChunk: LatencySummary; finalReply: LatencySummary };
  /** How often each error code occurred: failed connects, failed sends, error frames, timeouts. */
  errors: Record<string, number>;
  reconnects: number;
  wallTimeMs: number;
  /** No connection and no message failed. */
  ok: boolean;
}

/**
 * The `p`-th percentile (0 < p ≤ 100) of ascending `sorted` values by the nearest-rank method:
 * always one of the samples, and never decreasing in `p`. Undefined for no samples.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Count, p50, p95, p99 and max of `values`, rounded to 0.1 ms. */
export function summarizeLatencies(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (p: number): number | null => {
    const value = percentile(sorted, p);
    return value === undefined ? null : round(value);
  };
  return {
    count: sorted.length,
    p50: pick(50),
    p95: pick(95),
    p99: pick(99),
    max: pick(100),
  };
}

/** Adds up a run into its report. */
export function buildMultiReport(
  result: MultiRunResult,
  run: { pipeline: string; sessionType: string; messagesPerConnection: number },
): MultiReport {
  const okConnections = result.connections.filter((connection) => connection.ok).length;
  const errors = new Map<string, number>();
  const count = (code: string | undefined): void => {
    if (code !== undefined) errors.set(code, (errors.get(code) ?? 0) + 1);
  };
  for (const connection of result.connections) count(connection.errorCode);
  let sent = 0;
  let failed = 0;
  let complete = 0;
  let incomplete = 0;
  let none = 0;
  let chunks = 0;
  const firstChunk: number[] = [];
  const finalReply: number[] = [];
  for (const message of result.messages) {
    count(message.errorCode);
    if (message.sent) sent += 1;
    chunks += message.chunks;
    if (message.reply === 'complete') complete += 1;
    else if (message.reply === 'none') none += 1;
    else if (message.sent) incomplete += 1;
    if (!message.sent || (message.reply !== 'complete' && message.reply !== 'none')) failed += 1;
    // Both latencies from the same replies, so each first chunk pairs with its final.
    if (message.firstChunkMs !== undefined && message.finalMs !== undefined) {
      firstChunk.push(message.firstChunkMs);
      finalReply.push(message.finalMs);
    }
  }
  for (const code of result.liveErrors) count(code);
  const requestedMessages = result.connections.length * run.messagesPerConnection;
  // Messages never recorded (cannot happen with runMulti, but the sum must add up).
  failed += Math.max(0, requestedMessages - result.messages.length);
  const failedConnections = result.connections.length - okConnections;
  return {
    pipeline: run.pipeline,
    sessionType: run.sessionType,
    connections: {
      requested: result.connections.length,
      ok: okConnections,
      failed: failedConnections,
    },
    messages: { requested: requestedMessages, sent, failed },
    replies: { complete, incomplete, none },
    chunks,
    latencyMs: {
      firstChunk: summarizeLatencies(firstChunk),
      finalReply: summarizeLatencies(finalReply),
    },
    errors: Object.fromEntries([...errors].sort(([a], [b]) => a.localeCompare(b))),
    reconnects: result.reconnects,
    wallTimeMs: round(result.wallTimeMs),
    ok: failedConnections === 0 && failed === 0,
  };
}

/** The report as tables, for people. */
export function renderMultiReport(report: MultiReport, colors: Colors): string {
  const bad = (value: number, text: string): string =>
    value > 0 ? colors.red(text) : colors.green(text);
  const { connections, messages, replies } = report;
  const errorEntries = Object.entries(report.errors);
  const summary = renderPairs([
    ['Pipeline', `${report.pipeline} (${report.sessionType})`],
    [
      'Connections',
      `${bad(connections.failed, `${connections.ok} ok, ${connections.failed} failed`)} of ${connections.requested}`,
    ],
    [
      'Messages',
      `${messages.sent} sent, ${bad(messages.failed, `${messages.failed} failed`)} of ${messages.requested}`,
    ],
    [
      'Replies',
      `${replies.complete} complete, ${replies.incomplete} incomplete${replies.none > 0 ? `, ${replies.none} not answered (group rules)` : ''}`,
    ],
    ['Chunks received', String(report.chunks)],
    ['Reconnects', String(report.reconnects)],
    [
      'Errors',
      errorEntries.length === 0
        ? colors.green('none')
        : colors.red(errorEntries.map(([code, times]) => `${code} ×${times}`).join(', ')),
    ],
    ['Wall time', `${(report.wallTimeMs / 1000).toFixed(2)} s`],
    ['Result', report.ok ? colors.green('ok') : colors.red('FAILED')],
  ]);
  const cell = (value: number | null): string => (value === null ? '-' : value.toFixed(1));
  const latency = (name: string, summary: LatencySummary): string[] => [
    name,
    String(summary.count),
    cell(summary.p50),
    cell(summary.p95),
    cell(summary.p99),
    cell(summary.max),
  ];
  const right = (header: string) => ({ header, align: 'right' as const });
  const latencies = renderTable(
    ['Latency (ms)', right('n'), right('p50'), right('p95'), right('p99'), right('max')],
    [
      latency('first chunk', report.latencyMs.firstChunk),
      latency('final reply', report.latencyMs.finalReply),
    ],
  );
  return `${summary}\n${latencies}`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
