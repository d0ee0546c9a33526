import type { Command } from 'commander';
import { addConnectionOptions, type ConnectionFlags } from '../credentials.js';
import { UsageError } from '../exit-codes.js';
import { renderPairs } from '../output/table.js';
import { printJson, printNotice, runWithServer, type CommandContext } from '../run-action.js';
import type { BackendClient } from '@botwire/client';
import { parseNonBlank } from '../validation.js';

type UpdatePipelineBody = Parameters<BackendClient['updatePipeline']>[1];
type Pipeline = Awaited<ReturnType<BackendClient['getPipeline']>>;

/** The flags of `pipelines update`. */
export interface UpdatePipelineFlags extends ConnectionFlags {
  name?: string;
  description?: string;
  systemPrompt?: string;
  model?: string;
  json?: boolean;
}

const LIST_HINT = 'list pipelines with: botwire pipelines list';

/** `botwire pipelines check|update|delete`, added to the `pipelines` command. */
export function registerPipelineMaintenance(pipelines: Command, context: CommandContext): void {
  addConnectionOptions(
    pipelines
      .command('check')
      .description("ask the pipeline's model for a short answer: is its key, URL and model right?")
      .argument('<uuid>', "the pipeline's uuid", parseNonBlank)
      .option('--json', 'print the check as JSON'),
  ).action(async (uuid: string, flags: ConnectionFlags & { json?: boolean }) => {
    await runWithServer(
      context,
      { flags, pipeline: uuid, notFoundHint: LIST_HINT },
      async ({ backend }) => {
        const check = await backend.checkPipeline(uuid);
        if (flags.json === true) printJson(context, check);
        else {
          const { colors } = context;
          context.io.stdout.write(
            renderPairs([
              ['Status', check.ok ? colors.green('ok') : colors.red('failed')],
              ['Runner', check.model === null ? check.runner : `${check.runner} ${check.model}`],
              ['Latency', `${check.latency_ms} ms`],
              ...(check.reply === null ? [] : [['Reply', check.reply] as const]),
              ...(check.error === null
                ? []
                : [['Error', `${check.error.code}: ${check.error.message}`] as const]),
            ]),
          );
        }
        return check.ok ? 0 : 1;
      },
    );
  });

  addConnectionOptions(
    pipelines
      .command('update')
      .description("change a pipeline's name, description, system prompt or model")
      .argument('<uuid>', "the pipeline's uuid", parseNonBlank)
      .option('--name <name>', 'the new name, 1-100 characters', parseNonBlank)
      .option('--description <text>', 'the new description')
      .option('--system-prompt <text>', 'the new system prompt')
      .option('--model <model>', 'the new model of a model runner (its other settings stay)')
      .option('--json', 'print the updated pipeline as JSON'),
  ).action(async (uuid: string, flags: UpdatePipelineFlags) => {
    await runWithServer(
      context,
      { flags, pipeline: uuid, notFoundHint: LIST_HINT },
      async ({ backend }) => {
        const current = flags.model === undefined ? undefined : await backend.getPipeline(uuid);
        const body = buildUpdatePipelineBody(flags, current);
        const updated = await backend.updatePipeline(uuid, body);
        if (flags.json === true) return printJson(context, updated);
        printNotice(
          context,
          `Updated pipeline ${context.colors.bold(updated.uuid)} "${updated.name}".`,
        );
      },
    );
  });

  addConnectionOptions(
    pipelines
      .command('delete')
      .description('delete a pipeline with its conversations; its open connections are closed')
      .argument('<uuid>', "the pipeline's uuid", parseNonBlank)
      .option('--yes', 'really delete (required: nothing asks again)'),
  ).action(async (uuid: string, flags: ConnectionFlags & { yes?: boolean }) => {
    await runWithServer(
      context,
      { flags, pipeline: uuid, notFoundHint: LIST_HINT },
      async ({ backend }) => {
        if (flags.yes !== true) {
          throw new UsageError(
            `Deleting pipeline ${uuid} removes its conversations for good; add --yes to do it.`,
          );
        }
        await backend.deletePipeline(uuid);
        printNotice(context, `Deleted pipeline ${uuid}.`);
      },
    );
  });
}

/**
 * The body of `PUT /api/v1/pipelines/:uuid` from the flags. `--model` keeps the runner's other
 * settings (`current` is the pipeline as it is); it needs a model runner.
 */
export function buildUpdatePipelineBody(
  flags: UpdatePipelineFlags,
  current: Pipeline | undefined,
): UpdatePipelineBody {
  const body: UpdatePipelineBody = {};
  if (flags.name !== undefined) body.name = flags.name;
  if (flags.description !== undefined) body.description = flags.description;
  if (flags.systemPrompt !== undefined) body.system_prompt = flags.systemPrompt;
  if (flags.model !== undefined && current !== undefined) {
    const model = flags.model.trim();
    const { runner } = current;
    if (runner.type === 'echo' || runner.type === 'bench') {
      throw new UsageError(`--model: the pipeline's runner is ${runner.type}, which has no model.`);
    }
    if (model === '') throw new UsageError('--model needs a model name.');
    // Without `api_key` the server keeps the stored key (it never returns it).
    const { base_url: baseUrl, timeout_ms: timeoutMs } = runner.settings;
    body.runner = {
      type: runner.type,
      settings: { base_url: baseUrl, timeout_ms: timeoutMs, model },
    };
  }
  if (Object.keys(body).length === 0) {
    throw new UsageError(
      'Nothing to update: give --name, --description, --system-prompt or --model.',
    );
  }
  return body;
}
