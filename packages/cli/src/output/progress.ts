import type { OutputStream } from '../io.js';

/** The width used when the terminal does not say. */
const DEFAULT_WIDTH = 80;

/** What a progress line shows. */
export interface ProgressState {
  done: number;
  total: number;
  /** Extra text after the counter, e.g. `conns 50/50  errors 0`. */
  detail?: string;
  elapsedMs: number;
}

/** One progress line: `[#####-----]  50/100  50%  conns 50/50  1.2s`, fitted to `width`. */
export function renderProgressLine(state: ProgressState, width = DEFAULT_WIDTH): string {
  // A terminal that reports no width (0 columns: some CI runners, `script`, serial consoles)
  // gets the usual 80 rather than an empty line.
  if (!(width > 0)) width = DEFAULT_WIDTH;
  const total = Math.max(0, state.total);
  const done = Math.min(Math.max(0, state.done), total);
  const ratio = total === 0 ? 1 : done / total;
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const counter = `${String(done).padStart(String(total).length)}/${total}`;
  const seconds = `${(state.elapsedMs / 1000).toFixed(1)}s`;
  const tail = [counter, percent, state.detail, seconds]
    .filter((part) => part !== undefined && part !== '')
    .join('  ');
  const barWidth = Math.max(10, Math.min(40, width - tail.length - 4));
  const filled = Math.round(ratio * barWidth);
  const line = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]  ${tail}`;
  return line.length > width - 1 ? line.slice(0, Math.max(0, width - 1)) : line;
}

/**
 * A live progress bar redrawn in place on a terminal (at most every `intervalMs`); on anything
 * else it draws nothing, so logs and pipes stay clean.
 */
export class ProgressBar {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: OutputStream,
    private readonly intervalMs = 100,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Redraws when enough time passed since the last draw, or when `force`. */
  update(state: ProgressState, force = false): void {
    if (!this.enabled) return;
    const now = this.now();
    if (!force && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    this.drawn = true;
    this.stream.write(
      `\r\u001b[2K${renderProgressLine(state, this.stream.columns ?? DEFAULT_WIDTH)}`,
    );
  }

  /** Clears the line, so what follows starts on a clean one. */
  clear(): void {
    if (!this.enabled || !this.drawn) return;
    this.drawn = false;
    this.stream.write('\r\u001b[2K');
  }
}
