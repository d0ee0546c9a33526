import { REFERENCE_TARGET, TARGET_NAMES, type TargetName } from '../targets/target.js';
import type { MetricDefinition } from '../scenarios/scenario.js';
import type { BenchReport, ScenarioReport } from './bench-report.js';
import { assessTargets } from './target-assessment.js';

const TARGET_LABELS: Record<TargetName, string> = {
  botwire: 'Botwire',
  'botwire-cluster': 'Botwire cluster',
  'minimal-ws': 'minimal ws',
  'socket.io': 'Socket.IO',
};

/** A number for a table cell: fixed decimals with thousands separators, `n/a` when absent. */
export function formatNumber(value: number | undefined, decimals: number): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/** `value ÷ reference` as `0.42x`, `n/a` when either is missing or the reference is zero. */
export function formatRatio(value: number | undefined, reference: number | undefined): string {
  if (value === undefined || reference === undefined) return 'n/a';
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return 'n/a';
  return `${formatNumber(value / reference, 2)}x`;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function metricLabel(metric: MetricDefinition): string {
  const unit = metric.unit === '' ? '' : ` (${metric.unit})`;
  const direction = metric.better === 'lower' ? '↓' : '↑';
  return `${metric.label}${unit} ${direction}`;
}

/** One scenario as a Markdown table: a row per metric, a column per target, ratios to the reference. */
export function renderScenarioTable(scenario: ScenarioReport): string {
  const targets = TARGET_NAMES.filter((name) =>
    scenario.outcomes.some((outcome) => outcome.target === name),
  );
  const others = targets.filter((name) => name !== REFERENCE_TARGET);
  const hasReference = targets.includes(REFERENCE_TARGET);
  const header = [
    'Metric',
    ...targets.map((name) => TARGET_LABELS[name]),
    ...(hasReference ? others.map((name) => `${TARGET_LABELS[name]} ÷ minimal ws`) : []),
  ];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_cell, index) => (index === 0 ? '---' : '---:')).join(' | ')} |`,
  ];
  const value = (target: TargetName, key: string): number | undefined =>
    scenario.outcomes.find((outcome) => outcome.target === target)?.metrics[key];
  for (const metric of scenario.metrics) {
    const cells = [
      escapeCell(metricLabel(metric)),
      ...targets.map((target) => formatNumber(value(target, metric.key), metric.decimals)),
      ...(hasReference
        ? others.map((target) =>
            formatRatio(value(target, metric.key), value(REFERENCE_TARGET, metric.key)),
          )
        : []),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function renderChecks(scenario: ScenarioReport): string {
  const lines: string[] = [];
  for (const outcome of scenario.outcomes) {
    const label = TARGET_LABELS[outcome.target];
    if (outcome.error !== undefined) lines.push(`- ✗ ${label}: did not complete: ${outcome.error}`);
    for (const check of outcome.checks) {
      const mark = check.passed ? '✓' : check.enforced ? '✗' : '○';
      const suffix = !check.passed && !check.enforced ? ' (reported, not required)' : '';
      lines.push(`- ${mark} ${label}: ${check.description}${suffix}`);
    }
    for (const note of outcome.notes) lines.push(`- ${label}: ${note}`);
  }
  return lines.join('\n');
}

/** The whole run as Markdown: machine, command, targets, then one section per scenario. */
export function renderMarkdownReport(report: BenchReport): string {
  const { machine } = report;
  const parts = [
    `# Botwire benchmark results`,
    '',
    `Run ${report.startedAt} (${formatNumber(report.durationSeconds, 0)} s)${report.options.quick ? ', quick smoke run: sizes too small for meaningful figures' : ''}. ` +
      `Result: **${report.passed ? 'all delivery checks passed' : 'FAILED'}**.`,
    '',
    `- Machine: ${machine.cores} cores (${machine.cpuModel}), ${formatNumber(machine.memoryGiB, 1)} GiB memory, ${machine.platform}`,
    `- Node.js ${machine.nodeVersion}; open-file limit ${formatNumber(machine.openFileLimit, 0)}`,
    `- Command: \`${report.command}\``,
    `- Each target is its own process; load comes from ${report.options.workers} worker processes spread over ${report.options.sourceAddresses} loopback source addresses. Ratios are to the minimal ws server (the floor for Node); absolute numbers vary by machine.`,
    ...(report.options.targets.includes('botwire-cluster')
      ? [
          `- Botwire cluster: ${report.options.cluster.nodes} node process${report.options.cluster.nodes === 1 ? '' : 'es'} in cluster mode on a fresh PostgreSQL database and a Redis key prefix of their own; clients are spread over the nodes round-robin, and its server CPU time and memory are the sum over its nodes (per node in the notes).`,
        ]
      : []),
    '',
  ];
  if (
    report.scenarios.some(
      (scenario) => scenario.name === 'streaming' || scenario.name === 'messages',
    )
  ) {
    parts.push('## Targets', '', '| Target | Measured | Status |', '| --- | --- | --- |');
    for (const assessment of assessTargets(report)) {
      parts.push(
        `| ${escapeCell(assessment.target)} | ${escapeCell(assessment.measured)} | ${assessment.status} |`,
      );
    }
    parts.push('');
  }
  for (const scenario of report.scenarios) {
    parts.push(
      `## ${scenario.title}`,
      '',
      scenario.description,
      '',
      renderScenarioTable(scenario),
      '',
    );
    const checks = renderChecks(scenario);
    if (checks !== '') parts.push(checks, '');
  }
  return parts.join('\n');
}
