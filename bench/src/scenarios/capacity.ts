import { withProgress } from '../progress-bar.js';
import { readTargetUsage } from '../process-usage.js';
import { ratio } from '../statistics.js';
import type { TargetName } from '../targets/target.js';
import {
  pause,
  perNodeNote,
  sessionNames,
  withTarget,
  type Scenario,
  type ScenarioContext,
  type TargetOutcome,
} from './scenario.js';

/**
 * Capacity: server memory per idle authenticated connection, and the largest number of
 * connections reached within a time bound.
 */
export const capacityScenario: Scenario = {
  name: 'capacity',
  title: 'Capacity',
  description:
    "Memory per idle connection is the growth of the server's resident set size (VmRSS) from " +
    'before opening the connections to after opening M of them (each in its own ' +
    'conversation, authenticated where the server authenticates) and letting the server settle ' +
    'for 3 s, divided by M. Then the suite keeps opening connections up to the limit given ' +
    'and reports how many were open when the time bound ran out (or all were).',
  metrics: (options) => [
    {
      key: 'kilobytesPerConnection',
      label: `Memory per idle connection (at ${options.capacity.memoryConnections})`,
      unit: 'KB',
      better: 'lower',
      decimals: 2,
    },
    { key: 'baselineRss', label: 'Server RSS before', unit: 'MB', better: 'lower', decimals: 1 },
    {
      key: 'maxReached',
      label: `Connections reached (tried ${options.capacity.maxConnections}, ${options.capacity.timeBoundSeconds} s bound)`,
      unit: '',
      better: 'higher',
      decimals: 0,
    },
    { key: 'secondsToMax', label: 'Time to reach them', unit: 's', better: 'lower', decimals: 1 },
    {
      key: 'rssAtMax',
      label: 'Server RSS at that count',
      unit: 'MB',
      better: 'lower',
      decimals: 1,
    },
  ],
  run: runCapacity,
};

async function runCapacity(target: TargetName, context: ScenarioContext): Promise<TargetOutcome> {
  const { options, pool, progress } = context;
  const { memoryConnections, maxConnections, timeBoundSeconds } = options.capacity;
  const reply = { chunks: 1, chunkBytes: 16, intervalMs: 0 };
  return withTarget(target, { reply }, context, async (running) => {
    await pause(1_000);
    const baseline = readTargetUsage(running.pids);
    const startedAt = Date.now();
    const deadline = startedAt + timeBoundSeconds * 1000;
    const connectOptions = {
      spec: running.connect,
      streamMode: 'delta' as const,
      sourceAddresses: options.sourceAddresses,
      concurrency: options.handshakeConcurrency,
      deadline,
    };
    const firstCount = Math.min(memoryConnections, maxConnections);
    progress.step(`capacity / ${target}: opening ${firstCount} idle connections`);
    const first = await withProgress(
      pool.connect({ ...connectOptions, sessions: sessionNames('cap', firstCount) }),
      () => progress.update(pool.progress().open, firstCount),
    );
    await pause(3_000);
    const settled = readTargetUsage(running.pids);
    const notes: string[] = [];
    if (first.failed > 0)
      notes.push(`${first.failed} of the first ${firstCount} failed: ${first.firstError}`);

    progress.step(`capacity / ${target}: up to ${maxConnections} within ${timeBoundSeconds} s`);
    const rest = await withProgress(
      pool.connect({
        ...connectOptions,
        sessions: sessionNames('cap', maxConnections - firstCount, firstCount),
      }),
      () => progress.update(pool.progress().open, maxConnections),
    );
    const reached = first.opened + rest.opened;
    const secondsToMax = (Date.now() - startedAt) / 1000;
    if (rest.failed > 0) notes.push(`${rest.failed} attempts failed: ${rest.firstError}`);
    await pause(1_000);
    const atMax = readTargetUsage(running.pids);
    const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    notes.push(
      ...perNodeNote(
        'RSS before',
        baseline.perProcess.map((usage) => megabytes(usage.rssBytes)),
      ),
      ...perNodeNote(
        'RSS at the most connections',
        atMax.perProcess.map((usage) => megabytes(usage.rssBytes)),
      ),
    );
    return {
      target,
      metrics: {
        kilobytesPerConnection: ratio(settled.rssBytes - baseline.rssBytes, first.opened) / 1024,
        baselineRss: baseline.rssBytes / 1024 / 1024,
        maxReached: reached,
        secondsToMax,
        rssAtMax: atMax.rssBytes / 1024 / 1024,
      },
      checks: [
        {
          description: `all ${firstCount} idle connections opened within ${timeBoundSeconds} s (${first.opened} did)`,
          passed: first.opened === firstCount,
          enforced: true,
        },
      ],
      notes,
    };
  });
}
