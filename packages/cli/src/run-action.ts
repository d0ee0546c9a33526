import type { BackendClient } from '@botwire/client';
import { resolveCredentials, type ConnectionFlags, type Credentials } from './credentials.js';
import { describeError } from './error-messages.js';
import { EXIT_CODES, UsageError } from './exit-codes.js';
import type { CliIo } from './io.js';
import { colorsFor, type Colors } from './output/colors.js';
import { createBackend } from './sdk.js';

/** What every command gets: the process's streams, colours, and where to put its exit code. */
export interface CommandContext {
  readonly io: CliIo;
  /** Colours for stdout and stderr. */
  readonly colors: Colors;
  readonly errorColors: Colors;
  /** The exit code the CLI ends with; actions set it. */
  exitCode: number;
}

export function createContext(io: CliIo): CommandContext {
  return {
    io,
    colors: colorsFor(io.stdout, io.env),
    errorColors: colorsFor(io.stderr, io.env),
    exitCode: EXIT_CODES.OK,
  };
}

/** Writes `text` and a newline to stdout. */
export function printLine(context: CommandContext, text = ''): void {
  context.io.stdout.write(`${text}\n`);
}

/** Writes `value` as pretty JSON to stdout. */
export function printJson(context: CommandContext, value: unknown): void {
  context.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes a notice (not the command's output) to stderr. */
export function printNotice(context: CommandContext, text: string): void {
  context.io.stderr.write(`${text}\n`);
}

/** What a command that talks to the server works with. */
export interface ServerSession {
  credentials: Credentials;
  backend: BackendClient;
}

/** Options of {@link runWithServer}. */
export interface RunOptions {
  flags: ConnectionFlags;
  /** The pipeline the command is about, named in error messages. */
  pipeline?: string;
  /** Said after a `NOT_FOUND` error. */
  notFoundHint?: string;
}

/**
 * Runs a command against the server: resolves `--url`/`--api-key`, calls `body`, and turns its
 * failure into one actionable line on stderr. The exit code is what `body` returns (0 by
 * default), 1 when it threw, 2 for a {@link UsageError}.
 */
export async function runWithServer(
  context: CommandContext,
  options: RunOptions,
  body: (session: ServerSession) => Promise<number | void>,
): Promise<void> {
  let credentials: Credentials | undefined;
  try {
    credentials = resolveCredentials(options.flags, context.io.env);
    const code = await body({ credentials, backend: createBackend(credentials) });
    context.exitCode = code ?? EXIT_CODES.OK;
  } catch (error) {
    const line = describeError(error, {
      url: credentials?.url ?? options.flags.url ?? '',
      pipeline: options.pipeline,
      notFoundHint: options.notFoundHint,
    });
    printNotice(context, context.errorColors.red(line));
    context.exitCode = error instanceof UsageError ? EXIT_CODES.USAGE : EXIT_CODES.FAILURE;
  }
}

/** Runs a command that needs no server; errors as in {@link runWithServer}. */
export async function runLocal(
  context: CommandContext,
  body: () => Promise<number | void>,
): Promise<void> {
  try {
    context.exitCode = (await body()) ?? EXIT_CODES.OK;
  } catch (error) {
    printNotice(context, context.errorColors.red(describeError(error, { url: '' })));
    context.exitCode = error instanceof UsageError ? EXIT_CODES.USAGE : EXIT_CODES.FAILURE;
  }
}
