import type { Command } from 'commander';
import { addConnectionOptions, type ConnectionFlags } from '../credentials.js';
import { printJson, printLine, runWithServer, type CommandContext } from '../run-action.js';
import { parseNonBlank } from '../validation.js';

/** `botwire broadcast <pipeline> <text>`. */
export function registerBroadcastCommand(program: Command, context: CommandContext): void {
  addConnectionOptions(
    program
      .command('broadcast')
      .description('push a notice to every live connection of a pipeline (admin); it is not stored')
      .argument('<pipeline>', "the pipeline's uuid", parseNonBlank)
      .argument('<text>', 'the notice, up to 10 000 characters', parseNonBlank)
      .option('--json', 'print the result as JSON'),
  ).action(async (pipeline: string, text: string, flags: ConnectionFlags & { json?: boolean }) => {
    await runWithServer(context, { flags, pipeline }, async ({ backend }) => {
      const result = await backend.broadcast(pipeline, text);
      if (flags.json === true) return printJson(context, result);
      printLine(
        context,
        `Broadcast sent to ${result.sent} connection${result.sent === 1 ? '' : 's'}.`,
      );
    });
  });
}
