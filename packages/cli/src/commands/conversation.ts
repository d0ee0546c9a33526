import type { ChatMessage } from '@botwire/client';
import { Option, type Command } from 'commander';
import { addConnectionOptions, type ConnectionFlags } from '../credentials.js';
import { UsageError } from '../exit-codes.js';
import type { Colors } from '../output/colors.js';
import { formatRelativeTime } from '../output/relative-time.js';
import { printJson, printNotice, runWithServer, type CommandContext } from '../run-action.js';
import { SESSION_TYPES, type HistoryData } from '../sdk.js';
import { integerInRange, parseNonBlank, parseSessionKey } from '../validation.js';

interface ConversationFlags extends ConnectionFlags {
  sessionType: (typeof SESSION_TYPES)[number];
  session?: string;
}

/** `--session-type` and `--session`: which conversation of the pipeline. */
function addConversationOptions(command: Command): Command {
  return addConnectionOptions(
    command
      .addOption(
        new Option('--session-type <type>', 'person: your own conversation; group: the shared one')
          .choices(SESSION_TYPES)
          .default('person'),
      )
      .option('--session <key>', 'a named conversation (default: "default")', parseSessionKey),
  );
}

/** `botwire history <pipeline>` and `botwire reset <pipeline>`. */
export function registerConversationCommands(program: Command, context: CommandContext): void {
  addConversationOptions(
    program
      .command('history')
      .description("print a conversation's stored messages, oldest first")
      .argument('<pipeline>', "the pipeline's uuid", parseNonBlank)
      .option(
        '--limit <n>',
        'how many of the newest messages (1-200, default 50)',
        integerInRange(1, 200),
      )
      .option(
        '--before <id>',
        'only messages older than this message id (to page back)',
        integerInRange(1, Number.MAX_SAFE_INTEGER),
      )
      .option('--json', 'print the page as JSON (messages, has_more, last_seq)'),
  ).action(
    async (
      pipeline: string,
      flags: ConversationFlags & { limit?: number; before?: number; json?: boolean },
    ) => {
      await runWithServer(context, { flags, pipeline }, async ({ backend }) => {
        const page = await backend.getHistory(pipeline, flags.sessionType, {
          session: flags.session,
          limit: flags.limit ?? 50,
          before: flags.before,
        });
        if (flags.json === true) return printJson(context, page);
        if (page.messages.length === 0) {
          printNotice(context, 'No messages in this conversation yet.');
          return;
        }
        context.io.stdout.write(renderHistory(page, context.colors));
      });
    },
  );

  addConversationOptions(
    program
      .command('reset')
      .description("clear a conversation: its history and the model's context are gone")
      .argument('<pipeline>', "the pipeline's uuid", parseNonBlank)
      .option('--yes', 'really reset (required: nothing asks again)'),
  ).action(async (pipeline: string, flags: ConversationFlags & { yes?: boolean }) => {
    await runWithServer(context, { flags, pipeline }, async ({ backend }) => {
      const which = `the ${flags.sessionType} conversation${flags.session === undefined ? '' : ` "${flags.session}"`}`;
      if (flags.yes !== true) {
        throw new UsageError(
          `Resetting ${which} of ${pipeline} deletes its messages; add --yes to do it.`,
        );
      }
      await backend.resetConversation(pipeline, flags.sessionType, { session: flags.session });
      printNotice(context, `Reset ${which} of pipeline ${pipeline}.`);
    });
  });
}

/** Who wrote a message, as the transcript shows it. */
function author(message: ChatMessage): string {
  if (message.role === 'assistant') return 'bot';
  return message.sender?.name ?? 'user';
}

/**
 * The transcript of a history page: `#id  when  who: text`, one message per block; a reply
 * that did not complete says how it ended.
 */
export function renderHistory(page: HistoryData, colors: Colors, now: number = Date.now()): string {
  const lines = page.messages.map((message) => {
    const status = message.status === 'complete' ? '' : colors.yellow(` [${message.status}]`);
    const who =
      message.role === 'assistant' ? colors.cyan(author(message)) : colors.bold(author(message));
    return `${colors.dim(`#${message.id}  ${formatRelativeTime(message.timestamp, now)}`)}  ${who}: ${message.content}${status}`;
  });
  if (page.has_more) {
    const first = page.messages[0];
    lines.unshift(colors.dim(`(older messages: --before ${first?.id ?? ''})`));
  }
  return `${lines.join('\n')}\n`;
}
