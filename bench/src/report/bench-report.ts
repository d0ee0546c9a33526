import type { BenchOptions } from '../cli-options.js';
import type { MetricDefinition, TargetOutcome } from '../scenarios/scenario.js';
import type { MachineInfo } from './machine-info.js';

/** One scenario's results for every target. */
export interface ScenarioReport {
  name: string;
  title: string;
  description: string;
  metrics: MetricDefinition[];
  outcomes: TargetOutcome[];
}

/** Everything a run produced; written as JSON and rendered as Markdown. */
export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  command: string;
  machine: MachineInfo;
  options: BenchOptions;
  scenarios: ScenarioReport[];
  /** False when an enforced check failed or a scenario did not complete. */
  passed: boolean;
}

/** Whether every enforced check passed and no scenario failed to complete. */
export function reportPassed(scenarios: readonly ScenarioReport[]): boolean {
  return scenarios.every((scenario) =>
    scenario.outcomes.every(
      (outcome) =>
        outcome.error === undefined &&
        outcome.checks.every((check) => check.passed || !check.enforced),
    ),
  );
}

/** A metric of one target in one scenario, NaN when absent. */
export function metricOf(
  report: Pick<BenchReport, 'scenarios'>,
  scenario: string,
  target: string,
  key: string,
): number {
  const outcome = report.scenarios
    .find((candidate) => candidate.name === scenario)
    ?.outcomes.find((candidate) => candidate.target === target);
  return outcome?.metrics[key] ?? Number.NaN;
}
