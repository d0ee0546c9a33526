import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npm run build` makes it). */
export const CLI_MAIN = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

/** How a CLI run ended. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runBuiltCli} and {@link startBuiltCli}. */
export interface CliOptions {
  /** The environment, on top of PATH only (nothing of the test runner's leaks in). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin closes at once. */
  input?: string;
  /** Killed (SIGKILL) after this long, and the run fails. */
  timeoutMs?: number;
}

/** A CLI process still running. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once `predicate` holds for the output so far; fails after `timeoutMs`. */
  waitForOutput(
    predicate: (stdout: string, stderr: string) => boolean,
    timeoutMs?: number,
  ): Promise<void>;
  /** Resolves with the run's end; kills it and fails after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<CliRun>;
}

const running = new Set<ChildProcess>();

/** Starts `node packages/cli/dist/main.js ...args`; stdin stays open unless `input` is given. */
export function startBuiltCli(args: readonly string[], options: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [CLI_MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<CliRun>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  if (options.input !== undefined) child.stdin?.end(options.input);

  const describe = (): string =>
    `botwire ${args.join(' ')}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitForOutput(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(stdout, stderr)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`the CLI exited while waited for:\n${describe()}`);
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for output:\n${describe()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async exited(timeoutMs = options.timeoutMs ?? 15_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the CLI did not exit within ${timeoutMs} ms:\n${describe()}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([ended, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Runs the built CLI to its end. */
export async function runBuiltCli(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliRun> {
  return startBuiltCli(args, { ...options, input: options.input ?? '' }).exited();
}

/** The ids of the processes `pid` started (e.g. the server under `botwire serve`). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
}

/** Kills every CLI process still running (SIGKILL), for an afterAll. */
export function killAllCli(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}
