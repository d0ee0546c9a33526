import type { OutputStream } from '../io.js';
import type { Colors } from '../output/colors.js';

/**
 * Writes a chat to stdout (the conversation) and stderr (connection notices and errors) so that
 * notices always land on their own lines, even while a reply is streaming in mid-line.
 */
export class Terminal {
  private midLine = false;
  /** Called before anything is written; an interactive chat clears its prompt here. */
  beforeWrite: (() => void) | undefined;

  constructor(
    readonly stdout: OutputStream,
    readonly stderr: OutputStream,
    /** Colours for stdout. */
    readonly colors: Colors,
    /** Colours for stderr. */
    readonly errorColors: Colors,
  ) {}

  /** Whether the next stdout text starts a line. */
  get atLineStart(): boolean {
    return !this.midLine;
  }

  /** Writes part of a line to stdout (a reply as it streams). */
  write(text: string): void {
    if (text === '') return;
    this.beforeWrite?.();
    this.stdout.write(text);
    this.midLine = !text.endsWith('\n');
  }

  /** Ends the partial stdout line, if there is one. */
  endLine(): void {
    if (!this.midLine) return;
    this.stdout.write('\n');
    this.midLine = false;
  }

  /** A whole line on stdout. */
  line(text: string): void {
    this.beforeWrite?.();
    this.endLine();
    this.stdout.write(`${text}\n`);
  }

  /** A whole line on stderr. */
  errorLine(text: string): void {
    this.beforeWrite?.();
    // On one terminal the two streams share the screen: start a fresh line there. Piped stdout
    // keeps its text as it is.
    if (this.stdout.isTTY === true && this.stderr.isTTY === true) this.endLine();
    this.stderr.write(`${text}\n`);
  }
}
