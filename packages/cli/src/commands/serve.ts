import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { runLocal, type CommandContext } from '../run-action.js';
import { integerInRange } from '../validation.js';

interface ServeFlags {
  port?: number;
  host?: string;
  config?: string;
  dataDir?: string;
  logLevel?: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `botwire serve`: runs the server as a child process. */
export function registerServeCommand(program: Command, context: CommandContext): void {
  program
    .command('serve')
    .description(
      'run the Botwire server (settings: flags, then BOTWIRE_* variables, then --config)',
    )
    .option(
      '--port <port>',
      'port to listen on (default 8000 or $BOTWIRE_PORT; 0 picks a free one)',
      integerInRange(0, 65_535),
    )
    .option('--host <host>', 'interface to listen on (default 127.0.0.1 or $BOTWIRE_HOST)')
    .option('--config <file>', 'YAML config file (or $BOTWIRE_CONFIG)')
    .option('--data-dir <dir>', 'where the SQLite database lives (default ./data)')
    .addOption(new Option('--log-level <level>', 'how much to log').choices(LOG_LEVELS))
    .addHelpText(
      'after',
      '\nEvery setting and its environment variable: docs/configuration.md. Ctrl-C stops the server gracefully.',
    )
    .action(async (flags: ServeFlags) => {
      await runLocal(context, () => serve(flags, context));
    });
}

/** The server's command-line flags for `flags`. */
export function serverArguments(flags: ServeFlags): string[] {
  const args: string[] = [];
  if (flags.port !== undefined) args.push('--port', String(flags.port));
  if (flags.host !== undefined) args.push('--host', flags.host);
  if (flags.config !== undefined) args.push('--config', flags.config);
  if (flags.dataDir !== undefined) args.push('--data-dir', flags.dataDir);
  if (flags.logLevel !== undefined) args.push('--log-level', flags.logLevel);
  return args;
}

/**
 * The server's entry script. `@botwire/server` is a dependency of the CLI because the CLI runs
 * it as a process (it never imports it): its package.json locates `dist/main.js`, or, when the
 * package does not export its package.json, its main module's folder does.
 */
export function resolveServerEntry(
  resolve: (specifier: string) => string = (specifier) => import.meta.resolve(specifier),
): string {
  let entry: URL;
  try {
    entry = new URL('dist/main.js', resolve('@botwire/server/package.json'));
  } catch {
    try {
      entry = new URL('main.js', resolve('@botwire/server'));
    } catch {
      throw new Error(
        'Cannot find the Botwire server (@botwire/server): install it next to the CLI.',
      );
    }
  }
  return fileURLToPath(entry);
}

async function serve(flags: ServeFlags, context: CommandContext): Promise<number> {
  if (flags.config !== undefined && !existsSync(flags.config)) {
    throw new UsageError(`--config: no such file: ${flags.config}`);
  }
  const entry = resolveServerEntry();
  if (!existsSync(entry)) {
    throw new Error(`The Botwire server is not built (${entry} is missing): run npm run build.`);
  }
  // Its own process group: a Ctrl-C on the terminal reaches only the CLI, which passes it on
  // once. (In one group the server would get it twice, and a second signal means "exit now".)
  const child = spawn(process.execPath, [entry, ...serverArguments(flags)], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...context.io.env },
    detached: true,
  });
  const forward = (signal: NodeJS.Signals) => (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const handlers = FORWARDED_SIGNALS.map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  // If the CLI goes down some other way, the server must not be left behind.
  const killChild = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.on('exit', killChild);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        if (code !== null) resolve(code);
        else resolve(128 + (signal === null ? 0 : (constants.signals[signal] ?? 0)));
      });
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off('exit', killChild);
  }
}
