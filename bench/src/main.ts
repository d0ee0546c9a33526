/**
 * `npm run bench`: Botwire, a minimal ws server and Socket.IO doing the same job, side by side,
 * in one run. Writes bench/results/<timestamp>.{json,md} (and latest.*); `--quick` is the CI
 * smoke run, which exits non-zero when any chunk is lost, duplicated or out of order or a
 * scenario does not complete.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAllChildren, runCleanups } from './child-processes.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './cli-options.js';
import { WorkerPool } from './load/worker-pool.js';
import { ProgressBar } from './progress-bar.js';
import { reportPassed, type BenchReport, type ScenarioReport } from './report/bench-report.js';
import { readMachineInfo } from './report/machine-info.js';
import { fileTimestamp, writeResults } from './report/write-results.js';
import { SCENARIOS } from './scenarios/all-scenarios.js';
import type { TargetOutcome } from './scenarios/scenario.js';

const RESULTS_DIRECTORY = fileURLToPath(new URL('../results/', import.meta.url));

/** Past this, the run is stuck somewhere: stop everything rather than hang CI. */
function watchdogMs(options: BenchOptions): number {
  return options.quick ? 180_000 : 90 * 60_000;
}

function resultsDirectory(options: BenchOptions, startedAt: Date): string {
  if (options.outputDirectory !== undefined) return path.resolve(options.outputDirectory);
  return options.quick
    ? path.join(RESULTS_DIRECTORY, `quick-${fileTimestamp(startedAt)}`)
    : RESULTS_DIRECTORY;
}

async function runScenarios(options: BenchOptions, pool: WorkerPool): Promise<ScenarioReport[]> {
  const progress = new ProgressBar();
  const reports: ScenarioReport[] = [];
  for (const name of options.scenarios) {
    const scenario = SCENARIOS[name];
    const outcomes: TargetOutcome[] = [];
    for (const target of options.targets) {
      const started = Date.now();
      let outcome: TargetOutcome;
      try {
        outcome = await scenario.run(target, { options, pool, progress });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        outcome = { target, metrics: {}, checks: [], notes: [], error: message };
        // The workers may hold half-open connections of the failed target.
        await pool.closeAll().catch(() => undefined);
      }
      outcomes.push(outcome);
      const failed =
        outcome.error !== undefined ||
        outcome.checks.some((check) => check.enforced && !check.passed);
      progress.log(
        `${failed ? '✗' : '✓'} ${scenario.name} / ${target} (${((Date.now() - started) / 1000).toFixed(1)} s)` +
          (outcome.error === undefined ? '' : `: ${outcome.error}`) +
          outcome.checks
            .filter((check) => !check.passed)
            .map((check) => `\n    ${check.enforced ? 'FAILED' : 'reported'}: ${check.description}`)
            .join(''),
      );
    }
    reports.push({
      name: scenario.name,
      title: scenario.title,
      description: scenario.description,
      metrics: scenario.metrics(options),
      outcomes,
    });
  }
  return reports;
}

async function main(): Promise<number> {
  const machine = readMachineInfo();
  let parsed: BenchOptions | 'help';
  try {
    parsed = parseBenchOptions(process.argv.slice(2), machine.openFileLimit);
  } catch (error) {
    process.stderr.write(
      `bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`,
    );
    return 2;
  }
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const options = parsed;
  const startedAt = new Date();
  const watchdog = setTimeout(() => {
    process.stderr.write(
      `\nbench: still running after ${watchdogMs(options) / 1000} s; giving up\n`,
    );
    killAllChildren();
    void runCleanups().finally(() => process.exit(3));
  }, watchdogMs(options));
  watchdog.unref();

  const pool = WorkerPool.start(options.workers);
  let scenarios: ScenarioReport[];
  try {
    scenarios = await runScenarios(options, pool);
  } finally {
    await pool.stop();
  }
  const finishedAt = new Date();
  const report: BenchReport = {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    command: [
      'npm run bench',
      ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
    ].join(' '),
    machine,
    options,
    scenarios,
    passed: reportPassed(scenarios),
  };
  const markdownPath = writeResults(report, resultsDirectory(options, startedAt));
  process.stderr.write(
    `\n${report.passed ? 'bench: all delivery checks passed' : 'bench: FAILED (see above)'}; ` +
      `results in ${path.relative(process.cwd(), markdownPath)} (${report.durationSeconds.toFixed(0)} s)\n`,
  );
  return report.passed ? 0 : 1;
}

main().then(
  async (code) => {
    killAllChildren();
    await runCleanups();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    killAllChildren();
    void runCleanups().finally(() => process.exit(1));
  },
);
