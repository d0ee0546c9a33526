import { Option, type Command } from 'commander';
import type { MessageChain, SessionType } from '@botwire/client';
import { runChatLoop } from '../chat/chat-loop.js';
import { ImageAttachments } from '../chat/image-attachments.js';
import { buildMultiReport, renderMultiReport } from '../chat/multi-report.js';
import { runMulti } from '../chat/multi-run.js';
import { expectReply, type GroupTriggers } from '../chat/reply-expectation.js';
import { Terminal } from '../chat/terminal.js';
import { addConnectionOptions, type ConnectionFlags, type Credentials } from '../credentials.js';
import { describeError } from '../error-messages.js';
import { EXIT_CODES, UsageError } from '../exit-codes.js';
import { ProgressBar } from '../output/progress.js';
import {
  printJson,
  printNotice,
  runWithServer,
  type CommandContext,
  type ServerSession,
} from '../run-action.js';
import { createChatClient, SESSION_TYPES, type Pipeline } from '../sdk.js';
import {
  MULTI_LIMIT,
  parseConnectionCount,
  parseMessageCount,
  parseMilliseconds,
  parseNonBlank,
  parseSessionKey,
  parseSessionPrefix,
} from '../validation.js';

/** The flags of `botwire chat`. */
export interface ChatFlags extends ConnectionFlags {
  sessionType: SessionType;
  session?: string;
  mention?: boolean;
  multi?: number;
  messages?: number;
  text?: string;
  timeout?: number;
  json?: boolean;
  image?: string[];
}

/** The default `--text` of `--multi`: `{c}` is the connection, `{m}` the message (from 1). */
export const DEFAULT_MULTI_TEXT = 'load test message {m} from connection {c}';
const DEFAULT_MULTI_TIMEOUT_MS = 60_000;

/** `botwire chat <pipeline>`. */
export function registerChatCommand(program: Command, context: CommandContext): void {
  addConnectionOptions(
    program
      .command('chat')
      .description(
        'chat with a pipeline line by line, or load-test it with --multi N concurrent connections',
      )
      .argument('<pipeline>', "the pipeline's uuid (botwire pipelines list)", parseNonBlank)
      .addOption(
        new Option(
          '--session-type <type>',
          'person: your own conversation; group: one shared by everyone on the pipeline',
        )
          .choices(SESSION_TYPES)
          .default('person'),
      )
      .option(
        '--session <key>',
        'the named conversation (default: "default"; with --multi: the prefix, default "multi")',
        parseSessionKey,
      )
      .option(
        '--mention',
        'group: mention the bot in every message (without it, start a line with @bot)',
      )
      .option(
        '--multi <n>',
        `load test: open N connections at once (1-${MULTI_LIMIT}), person conversations <session>-<i>`,
        parseConnectionCount,
      )
      .option(
        '--messages <m>',
        `--multi: messages each connection sends, each after the previous reply (1-${MULTI_LIMIT}, default 1)`,
        parseMessageCount,
      )
      .option(
        '--text <text>',
        `--multi: the message text; {c} is the connection, {m} the message number (default "${DEFAULT_MULTI_TEXT}")`,
      )
      .option(
        '--timeout <ms>',
        `--multi: longest wait for a connection, and for a message's final reply (default ${DEFAULT_MULTI_TIMEOUT_MS})`,
        parseMilliseconds,
      )
      .option(
        '--image <file>',
        'attach an image (PNG, JPEG, GIF, WebP) to your first message; repeat for several',
        (file: string, files: string[] = []) => [...files, file],
      )
      .option('--json', '--multi: print the report as one JSON object instead of tables')
      .addHelpText(
        'after',
        `
In the chat, type a message and press Enter; the reply streams in as it is written.
  /stop         stop the reply being generated
  /reset        clear the conversation's history and the model's context
  /history [n]  show the last n messages (default 20)
  /image <file> attach an image to your next message (/image clear drops them)
  /quit         leave (also Ctrl-D); Ctrl-C stops a reply, or leaves when there is none
With piped input each line waits for the previous reply, so scripts work:
  printf 'hello\\n/history\\n/quit\\n' | botwire chat <pipeline>
  echo 'what is in this picture?' | botwire chat <pipeline> --image photo.png

--multi prints a live progress bar on stderr (on a terminal) and a final report: connections,
messages, replies, chunks, time to first chunk and to final reply (p50/p95/p99), errors by
code and wall time. It exits 1 if any connection or message failed.
  botwire chat <pipeline> --multi 100 --messages 5 --json`,
      ),
  ).action(async (pipeline: string, flags: ChatFlags) => {
    await runWithServer(context, { flags, pipeline }, async (session) => {
      checkMultiFlags(flags);
      const { credentials, backend } = session;
      // One REST call first: a wrong URL, key or pipeline fails at once, with a clear message,
      // instead of after the WebSocket's reconnect attempts.
      const found = await backend.getPipeline(pipeline);
      if (flags.multi !== undefined) {
        return runMultiChat(context, credentials, found, flags, flags.multi);
      }
      return runSingleChat(context, session, found, flags);
    });
  });
}

/** Throws a `UsageError` for `--multi` flags without `--multi`, or a session prefix too long. */
export function checkMultiFlags(flags: ChatFlags): void {
  if (flags.multi !== undefined && flags.image !== undefined) {
    throw new UsageError('--image: not with --multi (a load test sends text).');
  }
  if (flags.multi === undefined) {
    const stray = (
      [
        ['--messages', flags.messages],
        ['--text', flags.text],
        ['--timeout', flags.timeout],
        ['--json', flags.json],
      ] as const
    )
      .filter(([, value]) => value !== undefined)
      .map(([name]) => name);
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')}: only with --multi <n>.`);
    return;
  }
  if (flags.session !== undefined) {
    try {
      parseSessionPrefix(flags.session);
    } catch (error) {
      throw new UsageError(
        `--session with --multi is a prefix: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/** `text` with `{c}` and `{m}` replaced by the 1-based connection and message numbers. */
export function multiText(template: string, connection: number, message: number): string {
  return template.replaceAll('{c}', String(connection + 1)).replaceAll('{m}', String(message + 1));
}

async function runSingleChat(
  context: CommandContext,
  { credentials, backend }: ServerSession,
  pipeline: Pipeline,
  flags: ChatFlags,
): Promise<number> {
  const { io } = context;
  const client = createChatClient(credentials, pipeline.uuid, flags.sessionType, {
    session: flags.session,
  });
  const attachments = new ImageAttachments();
  for (const file of flags.image ?? []) {
    // A wrong path is a mistake in the command line: told before connecting.
    await attachments.attach(file).catch((error: unknown) => {
      throw new UsageError(`--image ${error instanceof Error ? error.message : String(error)}`);
    });
  }
  const interactive = io.stdin.isTTY === true && io.stdout.isTTY === true;
  const controller = new AbortController();
  const stopListening = io.onInterrupt(() => controller.abort());
  try {
    return await runChatLoop({
      client,
      backend,
      input: io.stdin,
      terminal: new Terminal(io.stdout, io.stderr, context.colors, context.errorColors),
      interactive,
      promptOutput: interactive ? (io.stdout as NodeJS.WritableStream) : undefined,
      pipeline: pipeline.uuid,
      sessionType: flags.sessionType,
      session: flags.session,
      groupTriggers: groupTriggers(pipeline),
      mentionAlways: flags.mention,
      attachments,
      describeError: (error) =>
        describeError(error, { url: credentials.url, pipeline: pipeline.uuid }),
      signal: controller.signal,
    });
  } finally {
    stopListening();
  }
}

async function runMultiChat(
  context: CommandContext,
  credentials: Credentials,
  pipeline: Pipeline,
  flags: ChatFlags,
  connections: number,
): Promise<number> {
  const messagesPerConnection = flags.messages ?? 1;
  const template = flags.text ?? DEFAULT_MULTI_TEXT;
  const triggers = groupTriggers(pipeline);
  const progress = new ProgressBar(context.io.stderr);
  const result = await runMulti({
    connections,
    messagesPerConnection,
    sessionType: flags.sessionType,
    sessionPrefix: flags.session ?? 'multi',
    timeoutMs: flags.timeout ?? DEFAULT_MULTI_TIMEOUT_MS,
    // Fewer retries than a chat: a load test should report trouble, not sit it out.
    createClient: (_index, session) =>
      createChatClient(credentials, pipeline.uuid, flags.sessionType, {
        session,
        maxReconnectAttempts: 2,
      }),
    messageFor: (connection, message) => {
      const text = multiText(template, connection, message);
      // In a group conversation the bot answers mentions by default: mention it.
      const mentionsBot = flags.sessionType === 'group';
      const chain: MessageChain = mentionsBot
        ? [
            { type: 'At', target: pipeline.uuid, display: 'bot' },
            { type: 'Plain', text: ` ${text}` },
          ]
        : [{ type: 'Plain', text }];
      return {
        chain,
        expectation: expectReply(flags.sessionType, triggers, { text, mentionsBot }),
      };
    },
    onProgress: (state) => {
      const failed = state.connectionsFailed > 0 ? ` (${state.connectionsFailed} failed)` : '';
      progress.update(
        {
          done: state.messagesDone,
          total: state.messages,
          detail: `conns ${state.connectionsOk}/${state.connections}${failed}  errors ${state.errors}`,
          elapsedMs: state.elapsedMs,
        },
        state.messagesDone === state.messages,
      );
    },
  });
  progress.clear();
  const report = buildMultiReport(result, {
    pipeline: pipeline.uuid,
    sessionType: flags.sessionType,
    messagesPerConnection,
  });
  if (flags.json === true) printJson(context, report);
  else context.io.stdout.write(renderMultiReport(report, context.colors));
  if (!report.ok) {
    printNotice(
      context,
      context.errorColors.red(
        `${report.connections.failed} connection(s) and ${report.messages.failed} message(s) failed${describeTopError(report.errors)}`,
      ),
    );
  }
  return report.ok ? EXIT_CODES.OK : EXIT_CODES.FAILURE;
}

/** `; most often CODE (n×).` for the most frequent error code, or `.`. */
function describeTopError(errors: Record<string, number>): string {
  const top = Object.entries(errors).sort(([, a], [, b]) => b - a)[0];
  if (top === undefined) return '.';
  return `; most often ${top[0]} (${top[1]}×).`;
}

function groupTriggers(pipeline: Pipeline): GroupTriggers {
  return pipeline.group_triggers;
}
