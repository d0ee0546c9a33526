import { Option, type Command } from 'commander';
import { addConnectionOptions, type ConnectionFlags } from '../credentials.js';
import { UsageError } from '../exit-codes.js';
import { addListCommand } from '../list-command.js';
import type { Colors } from '../output/colors.js';
import { renderTable } from '../output/table.js';
import { registerPipelineMaintenance } from './pipeline-maintenance.js';
import {
  printJson,
  printLine,
  printNotice,
  runWithServer,
  type CommandContext,
} from '../run-action.js';
import { RUNNER_TYPES, type CreatePipelineBody, type Pipeline, type RunnerType } from '../sdk.js';
import { parseNonBlank } from '../validation.js';

interface JsonFlags extends ConnectionFlags {
  json?: boolean;
}

/** The flags of `pipelines create`. */
export interface CreatePipelineFlags extends JsonFlags {
  name: string;
  description?: string;
  runner: RunnerType;
  model?: string;
  baseUrl?: string;
  modelApiKey?: string;
  modelApiKeyEnv?: string;
  systemPrompt?: string;
}

/** `botwire pipelines list|create|show|check|update|delete`. */
export function registerPipelinesCommand(program: Command, context: CommandContext): void {
  const pipelines = program
    .command('pipelines')
    .description(
      'list, create, show, check, update and delete pipelines (what answers a chat: runner, model, prompt)',
    );

  addListCommand(pipelines, context, {
    description: 'list the pipelines these credentials may use',
    jsonHelp: 'print the pipelines as JSON',
    fetch: (backend) => backend.listPipelines(),
    emptyNotice: 'No pipelines. Create one with: botwire pipelines create --name <name>',
    render: renderPipelineTable,
  });

  addConnectionOptions(
    pipelines
      .command('create')
      .description('create a pipeline (admin)')
      .requiredOption('--name <name>', 'its name, 1-100 characters', parseNonBlank)
      .option('--description <text>', 'what it is for')
      .addOption(
        new Option('--runner <type>', 'what answers: a built-in runner or a model provider')
          .choices(RUNNER_TYPES)
          .default('echo'),
      )
      .option('--model <model>', 'the model, e.g. gpt-4o-mini or claude-sonnet-4-5 (model runners)')
      .option(
        '--base-url <url>',
        "the provider's API base URL, e.g. http://localhost:11434/v1 for Ollama (model runners)",
      )
      .option(
        '--model-api-key <key>',
        "the provider's API key (model runners; visible in the process list, see --model-api-key-env)",
      )
      .option(
        '--model-api-key-env <variable>',
        "read the provider's API key from this environment variable instead",
      )
      .option('--system-prompt <text>', 'the system prompt sent before every conversation')
      .option('--json', 'print the created pipeline as JSON')
      .addHelpText(
        'after',
        `
Examples:
  botwire pipelines create --name "Echo test"
  botwire pipelines create --name Support --runner openai-compatible --model gpt-4o-mini \\
    --model-api-key-env OPENAI_API_KEY --system-prompt "Answer briefly."
  botwire pipelines create --name Local --runner openai-compatible --model llama3.2 \\
    --base-url http://localhost:11434/v1`,
      ),
  ).action(async (flags: CreatePipelineFlags) => {
    await runWithServer(context, { flags }, async ({ backend }) => {
      const body = buildCreatePipelineBody(flags, context.io.env);
      const pipeline = await backend.createPipeline(body);
      if (flags.json === true) return printJson(context, pipeline);
      printLine(
        context,
        `Created pipeline ${context.colors.bold(pipeline.uuid)} "${pipeline.name}" (${describeRunner(pipeline)}).`,
      );
      printNotice(context, `Chat with it: botwire chat ${pipeline.uuid}`);
    });
  });

  addConnectionOptions(
    pipelines
      .command('show')
      .description('show one pipeline as JSON (API keys are never shown, only whether one is set)')
      .argument('<uuid>', "the pipeline's uuid", parseNonBlank),
  ).action(async (uuid: string, flags: ConnectionFlags) => {
    await runWithServer(context, { flags, pipeline: uuid }, async ({ backend }) => {
      printJson(context, await backend.getPipeline(uuid));
    });
  });

  registerPipelineMaintenance(pipelines, context);
}

/** The body of `POST /api/v1/pipelines` from the flags; throws a `UsageError` for bad combinations. */
export function buildCreatePipelineBody(
  flags: CreatePipelineFlags,
  env: Readonly<Record<string, string | undefined>>,
): CreatePipelineBody {
  const modelFlags = [
    flags.model === undefined ? undefined : '--model',
    flags.baseUrl === undefined ? undefined : '--base-url',
    flags.modelApiKey === undefined ? undefined : '--model-api-key',
    flags.modelApiKeyEnv === undefined ? undefined : '--model-api-key-env',
  ].filter((flag) => flag !== undefined);
  const body: CreatePipelineBody = { name: flags.name };
  if (flags.description !== undefined) body.description = flags.description;
  if (flags.systemPrompt !== undefined) body.system_prompt = flags.systemPrompt;

  if (flags.runner === 'echo' || flags.runner === 'bench') {
    if (modelFlags.length > 0) {
      throw new UsageError(
        `${modelFlags.join(', ')}: only for --runner openai-compatible or anthropic, not ${flags.runner}.`,
      );
    }
    body.runner = { type: flags.runner };
    return body;
  }

  const model = flags.model?.trim();
  if (model === undefined || model === '') {
    throw new UsageError(`--runner ${flags.runner} needs --model <model>.`);
  }
  if (flags.modelApiKey !== undefined && flags.modelApiKeyEnv !== undefined) {
    throw new UsageError('Give --model-api-key or --model-api-key-env, not both.');
  }
  let apiKey = flags.modelApiKey;
  if (flags.modelApiKeyEnv !== undefined) {
    apiKey = env[flags.modelApiKeyEnv];
    if (apiKey === undefined || apiKey.trim() === '') {
      throw new UsageError(`--model-api-key-env: the variable ${flags.modelApiKeyEnv} is not set.`);
    }
  }
  if (flags.baseUrl !== undefined && !/^https?:\/\/\S+$/i.test(flags.baseUrl)) {
    throw new UsageError(`--base-url must be an http(s) URL, got "${flags.baseUrl}".`);
  }
  body.runner = {
    type: flags.runner,
    settings: {
      model,
      ...(flags.baseUrl === undefined ? {} : { base_url: flags.baseUrl }),
      ...(apiKey === undefined ? {} : { api_key: apiKey.trim() }),
    },
  };
  return body;
}

/** `echo`, or `openai-compatible gpt-4o-mini`. */
export function describeRunner(pipeline: Pipeline): string {
  const { runner } = pipeline;
  switch (runner.type) {
    case 'echo':
    case 'bench':
      return runner.type;
    case 'openai-compatible':
    case 'anthropic':
      return `${runner.type} ${runner.settings.model}`;
  }
}

/** The table of `pipelines list`. */
export function renderPipelineTable(pipelines: readonly Pipeline[], colors: Colors): string {
  return renderTable(
    ['UUID', { header: 'NAME', maxWidth: 32 }, { header: 'RUNNER', maxWidth: 40 }, 'DEFAULT'],
    pipelines.map((pipeline) => [
      pipeline.uuid,
      pipeline.name,
      describeRunner(pipeline),
      pipeline.is_default ? colors.green('yes') : '',
    ]),
  );
}
