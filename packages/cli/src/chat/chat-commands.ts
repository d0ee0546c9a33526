import type { BackendClient, SessionType } from '@botwire/client';
import { chatHelp, DEFAULT_HISTORY_LIMIT, type ChatInput } from './chat-input.js';
import type { ImageAttachments } from './image-attachments.js';
import type { Terminal } from './terminal.js';

/** The part of `BackendClient` the chat uses. */
export type ChatBackend = Pick<BackendClient, 'getHistory' | 'resetConversation' | 'uploadImage'>;

/** A typed line that is a command (`/help`, `/reset`, `/history`, `/image`...). */
export type ChatCommandInput = Extract<ChatInput, { kind: 'command' }>;

/** What the commands act on: the chat's conversation, its terminal and its state. */
export interface ChatCommandContext {
  backend: ChatBackend;
  pipeline: string;
  sessionType: SessionType;
  session?: string;
  terminal: Terminal;
  attachments: ImageAttachments;
  /** The conversation as the notices name it: `person conversation "default"`. */
  where: string;
  describeError: (error: unknown) => string;
  stopReply: () => void;
  /**
   * Counts a reset this chat asked for (+1), or one that failed (-1), so the `session_reset`
   * it causes is not announced as someone else's.
   */
  countOwnReset: (change: 1 | -1) => void;
}

/** Runs one command; failures are printed as `error: ...` lines, never thrown. */
export async function runChatCommand(
  input: ChatCommandInput,
  context: ChatCommandContext,
): Promise<void> {
  const { terminal } = context;
  const printError = (error: unknown) =>
    terminal.errorLine(terminal.errorColors.red(`error: ${context.describeError(error)}`));
  switch (input.command) {
    case 'help':
      for (const line of chatHelp(context.sessionType)) terminal.line(line);
      return;
    case 'stop':
      context.stopReply();
      return;
    case 'reset':
      context.countOwnReset(1);
      try {
        await context.backend.resetConversation(context.pipeline, context.sessionType, {
          session: context.session,
        });
        terminal.line(
          terminal.colors.green(
            'Conversation reset: its history and the model context are cleared.',
          ),
        );
      } catch (error) {
        context.countOwnReset(-1);
        printError(error);
      }
      return;
    case 'history':
      await showHistory(context, input.limit ?? DEFAULT_HISTORY_LIMIT).catch(printError);
      return;
    case 'image':
      await attachImage(context, input.file).catch(printError);
      return;
    case 'quit':
      return;
  }
}

async function showHistory(context: ChatCommandContext, limit: number): Promise<void> {
  const { terminal } = context;
  const { colors } = terminal;
  const history = await context.backend.getHistory(context.pipeline, context.sessionType, {
    session: context.session,
    limit,
  });
  const more = history.has_more ? ', older ones exist' : '';
  terminal.line(
    colors.dim(
      `--- history: ${history.messages.length} message(s) of the ${context.where}${more} ---`,
    ),
  );
  if (history.messages.length === 0) terminal.line(colors.dim('(no messages yet)'));
  for (const message of history.messages) {
    const time = colors.dim(formatTime(message.timestamp));
    const who =
      message.role === 'assistant'
        ? colors.cyan('bot')
        : colors.dim(message.sender?.name ?? 'user');
    const status =
      message.role === 'assistant' && message.status !== 'complete' ? ` [${message.status}]` : '';
    terminal.line(`${time} ${who}: ${message.content}${status}`);
  }
  terminal.line(colors.dim('--- end of history ---'));
}

/** `/image <file>` attaches a file; `/image clear` (no file) drops what is attached. */
async function attachImage(context: ChatCommandContext, file: string | undefined): Promise<void> {
  const { terminal, attachments } = context;
  if (file === undefined) {
    attachments.clear();
    terminal.line(terminal.colors.dim('Attachments dropped.'));
    return;
  }
  await attachments.attach(file);
  terminal.line(
    terminal.colors.dim(
      `Attached; ${attachments.files.length} image(s) go with your next message.`,
    ),
  );
}

/** `HH:MM:SS` in local time, or the text itself when it is not a date. */
function formatTime(timestamp: string): string {
  const date = new Date(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;
  return date.toTimeString().slice(0, 8);
}
