const BAR_WIDTH = 30;

/** `[#######.......]  45%` for `done` of `total`. */
export function renderBar(done: number, total: number): string {
  const fraction = total <= 0 ? 1 : Math.min(1, Math.max(0, done / total));
  const filled = Math.round(fraction * BAR_WIDTH);
  const percent = String(Math.round(fraction * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${percent}%`;
}

/**
 * Live progress on standard error: a bar redrawn in place when stderr is a terminal, otherwise
 * (CI logs) one plain line per step and at most one progress line every five seconds.
 */
export class ProgressBar {
  private label = '';
  private lastPlainLineAt = 0;
  private readonly interactive: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.interactive = stream.isTTY;
  }

  /** Starts a step, e.g. `streaming / botwire: opening 200 connections`. */
  step(label: string): void {
    this.clear();
    this.label = label;
    if (!this.interactive) this.stream.write(`${label}\n`);
    this.lastPlainLineAt = Date.now();
  }

  /** Redraws the bar for the current step. */
  update(done: number, total: number, detail = ''): void {
    const line = `${this.label} ${renderBar(done, total)} ${done}/${total} ${detail}`.trimEnd();
    if (this.interactive) {
      this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns || 120) - 1)}`);
    } else if (Date.now() - this.lastPlainLineAt >= 5_000) {
      this.lastPlainLineAt = Date.now();
      this.stream.write(`  ${line}\n`);
    }
  }

  /** Prints a finished line (a result or a warning) above the bar. */
  log(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
  }

  /** Removes the bar from the terminal. */
  clear(): void {
    if (this.interactive) this.stream.write('\r\x1b[2K');
  }
}

/**
 * Calls `poll` every 200 ms until `work` settles, so a bar moves while workers do the job.
 */
export async function withProgress<Result>(
  work: Promise<Result>,
  poll: () => void,
): Promise<Result> {
  const timer = setInterval(poll, 200);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    poll();
  }
}
