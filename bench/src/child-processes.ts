import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
/** What a run made outside its processes (databases, Redis keys), to remove however it ends. */
const cleanups = new Set<() => Promise<void>>();
let handlersInstalled = false;

/** How long an interrupted run waits for its cleanups before exiting anyway. */
const CLEANUP_BOUND_MS = 15_000;

/** Kills every tracked child that is still running (SIGKILL: they hold nothing worth saving). */
export function killAllChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // A benchmark interrupted half-way must not leave servers or load workers behind.
  process.once('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllChildren();
      process.stderr.write(`\nbench: ${signal}, stopped every child process\n`);
      void runCleanups().finally(() => process.exit(130));
    });
  }
}

/** Tracks a child so it is killed when the benchmark exits, however it exits. */
export function trackChild(child: ChildProcess): ChildProcess {
  installHandlers();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Stops a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Waits until the child prints a line matching `pattern` on stdout and returns the match; fails
 * with everything it printed if it exits first or `timeoutMs` passes.
 */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
  what: string,
): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match !== null) finish(() => resolve(match));
    };
    const onErrorData = (chunk: Buffer): void => {
      output += chunk.toString();
    };
    const onExit = (code: number | null): void =>
      finish(() => reject(new Error(`${what} exited (${code}) before starting:\n${output}`)));
    const timer = setTimeout(
      () => finish(() => reject(new Error(`${what} did not start in ${timeoutMs} ms:\n${output}`))),
      timeoutMs,
    );
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onErrorData);
      child.off('exit', onExit);
      settle();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onErrorData);
    child.once('exit', onExit);
  });
}

/**
 * Registers a cleanup (dropping a database, deleting Redis keys) that {@link runCleanups} runs
 * if the run is interrupted before the owner ran it itself; returns the function that
 * unregisters it.
 */
export function registerCleanup(cleanup: () => Promise<void>): () => void {
  installHandlers();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Runs every registered cleanup once (after the children were killed: a database in use cannot
 * always be dropped), each failure ignored, all within {@link CLEANUP_BOUND_MS}.
 */
export async function runCleanups(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLEANUP_BOUND_MS);
  });
  await Promise.race([
    Promise.all(pending.map((cleanup) => cleanup().catch(() => undefined))),
    bound,
  ]);
  clearTimeout(timer);
}
