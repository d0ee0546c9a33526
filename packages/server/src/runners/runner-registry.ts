import type { RunnerConfig, RunnerType } from '@botwire/protocol';
import { createBenchRunner } from './bench-runner.js';
import { createEchoRunner } from './echo-runner.js';
import type { Runner } from './runner.js';

type FactoryMap = {
  [TType in RunnerType]: (config: Extract<RunnerConfig, { type: TType }>) => Runner;
};

const RUNNER_FACTORIES: FactoryMap = {
  echo: createEchoRunner,
  bench: createBenchRunner,
};

/** Human-facing description of each runner type, for the API and the console. */
export const RUNNER_DESCRIPTIONS: Record<RunnerType, string> = {
  echo: 'Echoes the message back word by word. No model, no API key: the default.',
  bench: 'Streams fixed-size numbered chunks at a fixed interval, for load tests.',
};

/** Creates the runner a pipeline's settings describe. */
export function createRunner(config: RunnerConfig): Runner {
  switch (config.type) {
    case 'echo':
      return RUNNER_FACTORIES.echo(config);
    case 'bench':
      return RUNNER_FACTORIES.bench(config);
  }
}
