import type { BackendClient } from '@botwire/client';
import type { Command } from 'commander';
import { addConnectionOptions, type ConnectionFlags } from './credentials.js';
import type { Colors } from './output/colors.js';
import { printJson, printNotice, runWithServer, type CommandContext } from './run-action.js';

/** What a `list` subcommand lists and how. */
export interface ListCommandOptions<T> {
  /** The subcommand's description in `--help`. */
  description: string;
  /** The help of its `--json` flag. */
  jsonHelp: string;
  /** Fetches the items from the server. */
  fetch(backend: BackendClient): Promise<readonly T[]>;
  /** Said on stderr when there are no items. */
  emptyNotice: string;
  /** The table of the items. */
  render(items: readonly T[], colors: Colors): string;
}

/**
 * Adds `<parent> list`: the items as a table, as JSON with `--json`, or a notice on stderr when
 * there are none.
 */
export function addListCommand<T>(
  parent: Command,
  context: CommandContext,
  options: ListCommandOptions<T>,
): void {
  addConnectionOptions(
    parent.command('list').description(options.description).option('--json', options.jsonHelp),
  ).action(async (flags: ConnectionFlags & { json?: boolean }) => {
    await runWithServer(context, { flags }, async ({ backend }) => {
      const list = await options.fetch(backend);
      if (flags.json === true) return printJson(context, list);
      if (list.length === 0) {
        printNotice(context, options.emptyNotice);
        return;
      }
      context.io.stdout.write(options.render(list, context.colors));
    });
  });
}
