/** The CLI's exit codes. */
export const EXIT_CODES = {
  OK: 0,
  /** The command ran and failed: the server refused, a message failed, a connection dropped. */
  FAILURE: 1,
  /** The command line was wrong: unknown option, bad value, missing argument. */
  USAGE: 2,
  /** Interrupted with Ctrl-C (128 + SIGINT). */
  INTERRUPTED: 130,
} as const;

/**
 * A problem with what the user typed, found after the command line parsed (e.g. `--model`
 * missing for a model runner): reported as is, with exit code 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
