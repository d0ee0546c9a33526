import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerBroadcastCommand } from './commands/broadcast.js';
import { registerChatCommand } from './commands/chat.js';
import { registerConnectionsCommand } from './commands/connections.js';
import { registerKeysCommand } from './commands/keys.js';
import { registerConversationCommands } from './commands/conversation.js';
import { registerRawCommand } from './commands/raw.js';
import { registerUsersCommand } from './commands/users.js';
import { registerPipelinesCommand } from './commands/pipelines.js';
import { registerServeCommand } from './commands/serve.js';
import { DEFAULT_URL } from './credentials.js';
import { EXIT_CODES } from './exit-codes.js';
import type { CliIo } from './io.js';
import { createContext, type CommandContext } from './run-action.js';

/** The CLI's version, from its package.json. */
export function cliVersion(): string {
  try {
    const parsed: unknown = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    );
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed) {
      return String(parsed.version);
    }
  } catch {
    // Fall through: a version is not worth failing for.
  }
  return '0.0.0';
}

/** The `botwire` program with every command, writing to `context.io`. */
export function createProgram(context: CommandContext): Command {
  const { io } = context;
  const program = new Command('botwire');
  // Set before any command is added: subcommands inherit these.
  program
    .description(
      'Botwire from the terminal: chat with a pipeline, load-test it, manage pipelines, API keys and connections, and run the server.',
    )
    .version(cliVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand('help [command]', 'show help for a command')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(context.errorColors.red(text)),
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  registerChatCommand(program, context);
  registerServeCommand(program, context);
  registerPipelinesCommand(program, context);
  registerConnectionsCommand(program, context);
  registerBroadcastCommand(program, context);
  registerKeysCommand(program, context);
  registerUsersCommand(program, context);
  registerConversationCommands(program, context);
  registerRawCommand(program, context);

  program.addHelpText(
    'after',
    `
Server and credentials (every command that talks to the server):
  --url <url>        or BOTWIRE_URL      (default ${DEFAULT_URL})
  --api-key <key>    or BOTWIRE_API_KEY  an API key (bw_key_...) or a static key

Colours are used on terminals only, never when NO_COLOR is set.
Exit codes: 0 success, 1 failure, 2 wrong usage.

Examples:
  botwire serve --port 8000
  botwire pipelines list
  botwire pipelines check <pipeline-uuid>
  botwire chat <pipeline-uuid>
  botwire history <pipeline-uuid> --limit 20
  echo '{"type":"ping"}' | botwire raw ws://localhost:8000/api/v1/pipelines/<pipeline-uuid>/ws/connect
  printf 'hello\\n/quit\\n' | botwire chat <pipeline-uuid>
  botwire chat <pipeline-uuid> --multi 100 --messages 5 --json
  botwire keys create ci-bot --role member --pipelines <pipeline-uuid>`,
  );
  return program;
}

/**
 * Runs the CLI on `argv` (the arguments after `node main.js`) and resolves with the exit code:
 * the command's, 0 after help or the version, 2 for a wrong command line.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const context = createContext(io);
  const program = createProgram(context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT_CODES.OK : EXIT_CODES.USAGE;
    }
    throw error;
  }
  return context.exitCode;
}
