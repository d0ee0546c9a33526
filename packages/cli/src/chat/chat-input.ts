import type { MessageChain, SessionType } from '@botwire/client';

/** The commands a chat line can be. */
export const CHAT_COMMANDS = {
  stop: 'stop the reply being generated',
  reset: "clear the conversation's history and the model's context",
  history: 'show recent messages (/history 50 for more, up to 500)',
  image: 'attach an image file to your next message (/image <file>; /image clear)',
  help: 'show these commands',
  quit: 'leave (also Ctrl-D)',
} as const;
export type ChatCommand = keyof typeof CHAT_COMMANDS;

/** How many messages `/history` shows without a number. */
export const DEFAULT_HISTORY_LIMIT = 20;

/** What one typed line asks for. */
export type ChatInput =
  | { kind: 'empty' }
  | { kind: 'command'; command: ChatCommand; limit?: number; file?: string }
  | { kind: 'invalid'; message: string }
  | { kind: 'message'; chain: MessageChain; text: string; mentionsBot: boolean };

/** Options of {@link parseChatLine}. */
export interface ChatLineOptions {
  sessionType: SessionType;
  /** The pipeline's uuid, the target of a mention. */
  pipeline: string;
  /** Mention the bot in every group message (`--mention`). */
  mentionAlways?: boolean;
}

const MENTION_PREFIX = /^@bot\b\s*/i;

/**
 * Reads one line. `/stop`, `/reset`, `/history [n]`, `/image <file>`, `/help` and `/quit` (or `/exit`) are
 * commands; any other line is a message, including other `/words`, since a group pipeline may
 * be triggered by a prefix such as `/ask`. In a group conversation a line starting with `@bot`
 * (or every line, with `mentionAlways`) mentions the bot, which is what makes it reply by default.
 */
export function parseChatLine(line: string, options: ChatLineOptions): ChatInput {
  const text = line.replace(/\r$/, '');
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };

  const command = /^\/(\w+)(?:\s+(.*))?$/.exec(trimmed);
  const name = command?.[1]?.toLowerCase();
  const argument = command?.[2]?.trim();
  if (name === 'stop' || name === 'reset' || name === 'help') {
    return { kind: 'command', command: name };
  }
  if (name === 'quit' || name === 'exit') return { kind: 'command', command: 'quit' };
  if (name === 'image') {
    if (argument === undefined || argument === '') {
      return {
        kind: 'invalid',
        message: '/image takes a file: /image ./photo.png (or /image clear to drop attachments).',
      };
    }
    if (argument === 'clear') return { kind: 'command', command: 'image' };
    return { kind: 'command', command: 'image', file: unquote(argument) };
  }
  if (name === 'history') {
    if (argument === undefined || argument === '') return { kind: 'command', command: 'history' };
    const limit = /^\d+$/.test(argument) ? Number(argument) : Number.NaN;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      return { kind: 'invalid', message: '/history takes a number of messages from 1 to 500.' };
    }
    return { kind: 'command', command: 'history', limit };
  }

  if (options.sessionType === 'group') {
    const explicit = MENTION_PREFIX.test(trimmed);
    if (explicit || options.mentionAlways === true) {
      const rest = explicit ? trimmed.replace(MENTION_PREFIX, '') : trimmed;
      const chain: MessageChain = [{ type: 'At', target: options.pipeline, display: 'bot' }];
      if (rest !== '') chain.push({ type: 'Plain', text: ` ${rest}` });
      return { kind: 'message', chain, text: rest, mentionsBot: true };
    }
  }
  return { kind: 'message', chain: [{ type: 'Plain', text }], text, mentionsBot: false };
}

/** A path typed in quotes (as a shell would need for spaces) is meant without them. */
function unquote(path: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(path);
  return quoted?.[2] ?? path;
}

/** The `/help` text. */
export function chatHelp(sessionType: SessionType): string[] {
  const lines = Object.entries(CHAT_COMMANDS).map(
    ([name, description]) => `  /${name.padEnd(8)} ${description}`,
  );
  if (sessionType === 'group') {
    lines.push('  @bot ...   mention the bot, so it replies in a group conversation');
  }
  return ['Type a message and press Enter. Commands:', ...lines];
}
