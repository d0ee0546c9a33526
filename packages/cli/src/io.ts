/** A stream the CLI writes to; `isTTY`/`columns` are set on terminals. */
export interface OutputStream {
  write(text: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** A stream the CLI reads lines from. */
export type InputStream = NodeJS.ReadableStream & { readonly isTTY?: boolean };

/**
 * Everything the CLI touches of its process, passed in so commands can be run in tests with
 * in-memory streams and a made-up environment.
 */
export interface CliIo {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Calls `listener` on Ctrl-C (SIGINT) instead of dying; returns the way to stop listening. */
  onInterrupt(listener: () => void): () => void;
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onInterrupt(listener) {
      process.on('SIGINT', listener);
      return () => process.off('SIGINT', listener);
    },
  };
}
