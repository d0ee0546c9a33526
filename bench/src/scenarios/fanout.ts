import type { BenchOptions } from '../cli-options.js';
import { now } from '../load/bench-client.js';
import { readTargetUsage } from '../process-usage.js';
import { ratio, summarize } from '../statistics.js';
import type { TargetName } from '../targets/target.js';
import {
  pause,
  withTarget,
  type Check,
  type MetricDefinition,
  type Scenario,
  type ScenarioContext,
  type TargetOutcome,
  openAllConnections,
  perNodeNote,
} from './scenario.js';

function fanoutMetrics(options: BenchOptions): MetricDefinition[] {
  return options.fanout.sizes.flatMap((size) => [
    {
      key: `lastP50_${size}`,
      label: `${size} recipients: time to last p50`,
      unit: 'ms',
      better: 'lower' as const,
      decimals: 1,
    },
    {
      key: `lastP99_${size}`,
      label: `${size} recipients: time to last p99`,
      unit: 'ms',
      better: 'lower' as const,
      decimals: 1,
    },
    {
      key: `lastMax_${size}`,
      label: `${size} recipients: time to last max`,
      unit: 'ms',
      better: 'lower' as const,
      decimals: 1,
    },
    {
      key: `cpuPerRecipient_${size}`,
      label: `${size} recipients: server CPU per recipient`,
      unit: 'µs',
      better: 'lower' as const,
      decimals: 2,
    },
  ]);
}

/**
 * Fan-out: N idle connections, each in its own conversation, receive one broadcast. Per round,
 * the time from sending the broadcast request until the last connection has it; over the
 * rounds its p50, p99 and max; and the server's CPU per recipient over all rounds.
 */
export const fanoutScenario: Scenario = {
  name: 'fanout',
  title: 'Fan-out (broadcast)',
  description:
    'N idle connections (one conversation each) receive one broadcast (Botwire: ' +
    '`POST /api/v1/pipelines/<uuid>/ws/broadcast`; reference servers: `POST /broadcast`). ' +
    '"Time to last" runs from sending the HTTP request to the moment the last of the N clients ' +
    'has the frame, per round; p50/p99/max are over the rounds. "Server CPU per recipient" is ' +
    'the server CPU time of all rounds (HTTP request included) divided by rounds x N.',
  metrics: fanoutMetrics,
  run: runFanout,
};

async function runFanout(target: TargetName, context: ScenarioContext): Promise<TargetOutcome> {
  const { options, pool, progress } = context;
  const reply = { chunks: 1, chunkBytes: 16, intervalMs: 0 };
  return withTarget(target, { reply }, context, async (running) => {
    const metrics: Record<string, number> = {};
    const checks: Check[] = [];
    const notes: string[] = [];
    let connected = 0;
    for (const size of [...options.fanout.sizes].sort((left, right) => left - right)) {
      progress.step(`fanout / ${target}: opening ${size} idle connections`);
      await openAllConnections(context, running, {
        sessionPrefix: 'idle',
        count: size - connected,
        firstIndex: connected,
        deadlineMs: 180_000,
      });
      connected = size;
      await pause(1_000);

      progress.step(`fanout / ${target}: ${options.fanout.rounds} broadcasts to ${size}`);
      const lastLatencies: number[] = [];
      let cpuMicroseconds = 0;
      const nodeCpuMicroseconds = running.pids.map(() => 0);
      let missed = 0;
      for (let round = 0; round < options.fanout.rounds; round += 1) {
        const marker = `fanout-${size}-${round}`;
        const before = readTargetUsage(running.pids);
        const sentAt = now();
        await running.broadcast(marker);
        const result = await pool.awaitBroadcast(marker, Date.now() + 30_000);
        const after = readTargetUsage(running.pids);
        cpuMicroseconds += after.cpuMicroseconds - before.cpuMicroseconds;
        after.perProcess.forEach((usage, index) => {
          nodeCpuMicroseconds[index] =
            (nodeCpuMicroseconds[index] ?? 0) +
            usage.cpuMicroseconds -
            (before.perProcess[index]?.cpuMicroseconds ?? 0);
        });
        missed += result.total - result.received;
        lastLatencies.push(Math.max(...result.receivedAt) - sentAt);
        progress.update(round + 1, options.fanout.rounds, 'rounds');
        await pause(200);
      }
      const last = summarize(lastLatencies);
      metrics[`lastP50_${size}`] = last.p50;
      metrics[`lastP99_${size}`] = last.p99;
      metrics[`lastMax_${size}`] = last.max;
      metrics[`cpuPerRecipient_${size}`] = ratio(cpuMicroseconds, options.fanout.rounds * size);
      notes.push(
        ...perNodeNote(
          `${size} recipients, server CPU per round`,
          nodeCpuMicroseconds.map(
            (micro) => `${(micro / 1000 / options.fanout.rounds).toFixed(1)} ms`,
          ),
        ),
      );
      checks.push({
        description: `every one of ${size} connections received all ${options.fanout.rounds} broadcasts (${missed} missed)`,
        passed: missed === 0,
        enforced: true,
      });
    }
    return { target, metrics, checks, notes };
  });
}
