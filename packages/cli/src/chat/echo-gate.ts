import { Writable } from 'node:stream';

/** A terminal stream as readline uses it for its prompt and echo. */
type TerminalOutput = NodeJS.WritableStream & {
  readonly columns?: number;
  readonly isTTY?: boolean;
};

/**
 * readline's output at a terminal, which can be muted. While a reply streams the chat mutes it:
 * keys typed meanwhile stay in readline's line (nothing is lost) but are not echoed into the
 * middle of the reply; the prompt redrawn after the reply shows them.
 */
export class EchoGate extends Writable {
  muted = false;

  constructor(private readonly target: TerminalOutput) {
    super({ decodeStrings: false });
  }

  /** readline wraps lines at the terminal's width. */
  get columns(): number | undefined {
    return this.target.columns;
  }

  get isTTY(): boolean | undefined {
    return this.target.isTTY;
  }

  override _write(
    chunk: string | Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    if (!this.muted) this.target.write(chunk);
    callback();
  }
}
