import type { BenchOptions } from '../cli-options.js';
import type { WorkerPool } from '../load/worker-pool.js';
import { withProgress, type ProgressBar } from '../progress-bar.js';
import { startTarget } from '../targets/start-target.js';
import type { RunningTarget, TargetName, TargetStartOptions } from '../targets/target.js';

/** How a metric is read: which way is better, and how it is printed. */
export interface MetricDefinition {
  key: string;
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  /** Decimals to print. */
  decimals: number;
}

/** A correctness check of one target in one scenario. */
export interface Check {
  description: string;
  passed: boolean;
  /**
   * Whether a failure fails the run (non-zero exit). Only what a target promises is enforced:
   * losses of the minimal ws server in the reconnect storm are expected and only reported.
   */
  enforced: boolean;
}

/** One target's result in one scenario. */
export interface TargetOutcome {
  target: TargetName;
  /** Metric values by key; NaN when not applicable or not measured. */
  metrics: Record<string, number>;
  checks: Check[];
  notes: string[];
  /** Set when the scenario could not complete for this target. */
  error?: string;
}

/** Everything a scenario runs with. */
export interface ScenarioContext {
  options: BenchOptions;
  pool: WorkerPool;
  progress: ProgressBar;
}

/** A scenario: the same job measured on each target. */
export interface Scenario {
  name: string;
  title: string;
  /** What the numbers mean, for the report. */
  description: string;
  metrics(options: BenchOptions): MetricDefinition[];
  /** Runs the scenario against one target and reports its outcome. */
  run(target: TargetName, context: ScenarioContext): Promise<TargetOutcome>;
}

/**
 * Starts a target, runs `work` with it, and always closes the clients and stops the target,
 * so a failed scenario never leaks into the next one.
 */
export async function withTarget<Result>(
  name: TargetName,
  startOptions: TargetStartOptions,
  context: ScenarioContext,
  work: (target: RunningTarget) => Promise<Result>,
): Promise<Result> {
  const target = await startTarget(name, {
    ...startOptions,
    nodeArguments: context.options.serverNodeArguments,
    cluster: context.options.cluster,
  });
  try {
    return await work(target);
  } finally {
    await context.pool.closeAll().catch(() => undefined);
    await target.stop();
  }
}

/** Session names `prefix-0 .. prefix-(count-1)`, one conversation per connection. */
export function sessionNames(prefix: string, count: number, first = 0): string[] {
  return Array.from({ length: count }, (_unused, index) => `${prefix}-${first + index}`);
}

/** Waits `milliseconds` (to let a server settle before reading its memory). */
export function pause(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Fails with a clear message unless every connection opened. */
export function requireAllOpened(
  result: { opened: number; failed: number; firstError: string | undefined },
  wanted: number,
): void {
  if (result.opened < wanted) {
    throw new Error(
      `opened ${result.opened} of ${wanted} connections (${result.failed} failed: ${result.firstError ?? 'deadline'})`,
    );
  }
}

/** Which connections {@link openAllConnections} opens. */
export interface OpenConnectionsOptions {
  /** Session names are `<sessionPrefix>-<index>`, one conversation per connection. */
  sessionPrefix: string;
  count: number;
  /** The index of the first session, for opening more next to ones already open. */
  firstIndex?: number;
  /** How long the handshakes may take in all. */
  deadlineMs?: number;
}

/**
 * Opens `count` delta-mode connections to `running` through the worker pool, spread over the
 * run's source addresses, with the progress bar counting every open connection of the pool;
 * fails unless all of them opened.
 */
export async function openAllConnections(
  context: ScenarioContext,
  running: RunningTarget,
  { sessionPrefix, count, firstIndex = 0, deadlineMs = 120_000 }: OpenConnectionsOptions,
): Promise<void> {
  const { options, pool, progress } = context;
  const opened = await withProgress(
    pool.connect({
      spec: running.connect,
      sessions: sessionNames(sessionPrefix, count, firstIndex),
      streamMode: 'delta',
      sourceAddresses: options.sourceAddresses,
      concurrency: options.handshakeConcurrency,
      deadline: Date.now() + deadlineMs,
    }),
    () => progress.update(pool.progress().open, firstIndex + count),
  );
  requireAllOpened(opened, count);
}

/**
 * A note with one figure per node of a cluster target (`what: node 1 x, node 2 y`), so a
 * summed figure can be read per process; nothing for a single-process target.
 */
export function perNodeNote(what: string, values: readonly string[]): string[] {
  if (values.length < 2) return [];
  return [`${what}: ${values.map((value, index) => `node ${index + 1} ${value}`).join(', ')}`];
}
