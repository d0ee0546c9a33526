import type { ChatMessage } from '@botwire/client';
import type { Terminal } from './terminal.js';

/**
 * Prints replies as they stream: the SDK hands over the whole reply each time it grows, and only
 * the new part is written. The server generates one reply at a time per conversation, so replies
 * never interleave; a notice printed in between makes the reply continue on a new line.
 */
export class ReplyPrinter {
  private current: { id: number; printed: string } | undefined;

  constructor(
    private readonly terminal: Terminal,
    private readonly label = 'bot',
  ) {}

  /** Whether a reply is being printed. */
  get streaming(): boolean {
    return this.current !== undefined;
  }

  /** Takes one version of an assistant message. */
  show(message: ChatMessage): void {
    const { terminal } = this;
    const { colors } = terminal;
    const prefix = `${colors.cyan(this.label)}: `;
    let current = this.current;
    if (current?.id !== message.id) {
      terminal.endLine();
      current = { id: message.id, printed: '' };
      this.current = current;
      terminal.write(prefix);
    } else if (terminal.atLineStart) {
      // A notice came in between: carry on below it.
      terminal.write(`${colors.cyan(this.label)} ${colors.dim('(continued)')}: `);
    }
    const text = message.content;
    if (text.startsWith(current.printed)) {
      terminal.write(text.slice(current.printed.length));
    } else {
      // The text was replaced (the final chunk after a resync): show it whole.
      terminal.endLine();
      terminal.write(prefix + text);
    }
    current.printed = text;
    if (message.is_final) {
      if (message.status !== 'complete') {
        const note = `[${message.status}]`;
        terminal.write(
          `${text === '' ? '' : ' '}${message.status === 'cancelled' ? colors.yellow(note) : colors.red(note)}`,
        );
      }
      terminal.endLine();
      this.current = undefined;
    }
  }
}
