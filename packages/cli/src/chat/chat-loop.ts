import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import { EchoGate } from './echo-gate.js';
import type { MessageChain, SessionType, StateChange, WebSocketClient } from '@botwire/client';
import { EXIT_CODES } from '../exit-codes.js';
import type { InputStream } from '../io.js';
import { runChatCommand, type ChatBackend, type ChatCommandContext } from './chat-commands.js';
import { parseChatLine } from './chat-input.js';
import { ImageAttachments } from './image-attachments.js';
import { expectReply, type GroupTriggers } from './reply-expectation.js';
import { ReplyPrinter } from './reply-printer.js';
import { ReplyTracker, type ReplyOutcome } from './reply-tracker.js';
import type { Terminal } from './terminal.js';

/** The part of `WebSocketClient` the chat uses (a fake in tests). */
export type ChatConnection = Pick<
  WebSocketClient,
  | 'state'
  | 'connect'
  | 'sendMessage'
  | 'cancel'
  | 'disconnect'
  | 'onMessage'
  | 'onBroadcast'
  | 'onStateChange'
  | 'onError'
  | 'onSessionReset'
  | 'onResync'
>;

export type { ChatBackend } from './chat-commands.js';

/** Options of {@link runChatLoop}. */
export interface ChatLoopOptions {
  client: ChatConnection;
  backend: ChatBackend;
  /** Where lines come from (stdin). */
  input: InputStream;
  terminal: Terminal;
  /**
   * A person at a terminal: show a prompt, send each line at once (a reply may still be
   * streaming; `/stop` cancels it), Ctrl-C stops a reply or leaves. Otherwise (piped input)
   * each line waits until the reply to the previous one finished.
   */
  interactive: boolean;
  /** Where readline draws its prompt when interactive (the terminal's stdout). */
  promptOutput?: NodeJS.WritableStream;
  pipeline: string;
  sessionType: SessionType;
  session?: string;
  /** The pipeline's group rules, to know whether a group message will get a reply. */
  groupTriggers?: GroupTriggers;
  /** Mention the bot in every group message. */
  mentionAlways?: boolean;
  /** Image files for the next message (`--image`); `/image` adds more. */
  attachments?: ImageAttachments;
  /** One line for an error (see `describeError`). */
  describeError: (error: unknown) => string;
  /** How long a group message that may or may not be answered waits for its reply to start. */
  maybeReplyWaitMs?: number;
  /** Aborted by Ctrl-C from outside (piped input): stop waiting and leave. */
  signal?: AbortSignal;
}

const CLOSED = Symbol('closed');
const ABORTED = Symbol('aborted');

/**
 * A line-based chat over one connection: connects, then reads lines until `/quit` or the end of
 * input, sending messages and running commands, and printing the conversation as it happens.
 * Resolves with the exit code: 0 when it ended normally after the last reply finished, 1 when
 * the connection closed for good or a message failed, 130 when interrupted. A failing
 * `connect()` rejects with its error.
 */
export async function runChatLoop(options: ChatLoopOptions): Promise<number> {
  const { client, terminal, interactive } = options;
  const { colors } = terminal;
  const tracker = new ReplyTracker({ maybeWaitMs: options.maybeReplyWaitMs });
  const printer = new ReplyPrinter(terminal);
  let failures = 0;
  let connectedOnce = false;
  let ownResets = 0;
  let closedError: unknown;
  let markClosed!: () => void;
  const closed = new Promise<typeof CLOSED>((resolve) => {
    markClosed = () => resolve(CLOSED);
  });
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    const { signal } = options;
    if (signal?.aborted === true) resolve(ABORTED);
    signal?.addEventListener('abort', () => resolve(ABORTED), { once: true });
  });

  /** readline's output at a terminal: muted while a reply streams (see {@link EchoGate}). */
  const echoGate =
    interactive && options.promptOutput !== undefined
      ? new EchoGate(options.promptOutput)
      : undefined;
  /** Set once connected; the prompt helpers below work through it. */
  const ui: { readline?: Interface } = {};
  let promptShown = false;
  let promptScheduled = false;
  let inputClosed = false;
  /** Shows the prompt once nothing is streaming (interactive only). */
  const schedulePrompt = (): void => {
    if (!interactive || promptScheduled) return;
    promptScheduled = true;
    setImmediate(() => {
      promptScheduled = false;
      if (ui.readline === undefined || inputClosed || printer.streaming) return;
      ui.readline.prompt(true);
      promptShown = true;
    });
  };
  if (interactive) {
    terminal.beforeWrite = () => {
      if (!promptShown || ui.readline === undefined) return;
      promptShown = false;
      // Take the prompt away, or move below what is being typed, before printing.
      if (ui.readline.line === '') terminal.stdout.write('\r\u001b[2K');
      else terminal.stdout.write('\n');
    };
  }

  const stopReply = (): void => {
    try {
      client.cancel();
    } catch (error) {
      terminal.errorLine(terminal.errorColors.red(`error: ${options.describeError(error)}`));
    }
  };

  const unsubscribe = [
    client.onMessage((message) => {
      const own = tracker.handle(message) === 'own';
      if (message.role === 'user') {
        // At a terminal the typed line is already on screen; in a transcript it is not.
        if (!own) {
          terminal.line(`${colors.dim(message.sender?.name ?? 'someone')}: ${message.content}`);
        } else if (!interactive) terminal.line(`${colors.dim('you')}: ${message.content}`);
        schedulePrompt();
        return;
      }
      printer.show(message);
      if (echoGate !== undefined) echoGate.muted = printer.streaming;
      if (message.is_final) schedulePrompt();
    }),
    client.onBroadcast((event) => {
      terminal.line(`${colors.yellow('[broadcast]')} ${event.message}`);
      schedulePrompt();
    }),
    client.onStateChange((change) => {
      const text = describeStateChange(change, connectedOnce, options.describeError);
      if (change.current === 'connected') connectedOnce = true;
      if (text !== undefined && (connectedOnce || change.current === 'reconnecting')) {
        terminal.errorLine(terminal.errorColors.yellow(text));
        schedulePrompt();
      }
      if (change.current === 'closed' && change.reason !== 'disconnect-called') {
        closedError = change.error;
        tracker.abortAll(change.error);
        markClosed();
      }
    }),
    client.onError((error) => {
      // The error that closed the connection is told by the state change.
      if (client.state === 'closed' || !connectedOnce) return;
      terminal.errorLine(terminal.errorColors.red(`error: ${options.describeError(error)}`));
      schedulePrompt();
    }),
    client.onSessionReset(() => {
      if (ownResets > 0) {
        ownResets -= 1;
        return;
      }
      terminal.line(colors.yellow('[the conversation was reset]'));
      schedulePrompt();
    }),
    client.onResync(() => {
      terminal.errorLine(
        terminal.errorColors.yellow(
          '[some events were missed while disconnected; /history shows the whole conversation]',
        ),
      );
    }),
  ];

  const cleanUp = (): void => {
    inputClosed = true;
    // Ctrl-D leaves the cursor after the prompt: what follows goes on a line of its own.
    if (promptShown) terminal.stdout.write('\n');
    promptShown = false;
    ui.readline?.close();
    for (const stop of unsubscribe) stop();
    client.disconnect();
  };

  try {
    await client.connect();
  } catch (error) {
    cleanUp();
    throw error;
  }
  connectedOnce = true;
  const where = `${options.sessionType} conversation "${options.session ?? 'default'}"`;
  terminal.errorLine(
    terminal.errorColors.dim(
      `Connected to pipeline ${options.pipeline}, ${where}.${interactive ? ' /help lists the commands; /quit or Ctrl-D leaves.' : ''}`,
    ),
  );

  const readline = createInterface({
    input: options.input,
    output: echoGate,
    terminal: interactive,
    prompt: interactive ? colors.bold('> ') : '',
  });
  ui.readline = readline;
  readline.on('close', () => {
    inputClosed = true;
  });
  const pendingReplies = new Set<Promise<ReplyOutcome>>();
  if (interactive) {
    // Ctrl-C: stop the reply if one is coming, else leave.
    readline.on('SIGINT', () => {
      if (printer.streaming || tracker.pending > 0) {
        stopReply();
      } else {
        terminal.write('\n');
        terminal.endLine();
        readline.close();
      }
    });
  }

  const countOutcome = (outcome: ReplyOutcome): void => {
    if (outcome.kind === 'aborted') failures += 1;
    else if (
      outcome.kind === 'reply' &&
      (outcome.status === 'error' || outcome.status === 'interrupted')
    ) {
      failures += 1;
    }
  };

  const attachments = options.attachments ?? new ImageAttachments();
  /** The message's chain with its attached images uploaded, or undefined when that failed. */
  const withImages = async (
    input: Extract<ReturnType<typeof parseChatLine>, { kind: 'message' }>,
  ): Promise<MessageChain | undefined> => {
    try {
      return await attachments.appendTo(input.chain, {
        uploader: options.backend,
        conversation: options,
      });
    } catch (error) {
      failures += 1;
      terminal.errorLine(
        terminal.errorColors.red(
          `error: ${options.describeError(error)} (the message was not sent; /image clear drops the attachments)`,
        ),
      );
      return undefined;
    }
  };

  const send = (
    input: Extract<ReturnType<typeof parseChatLine>, { kind: 'message' }>,
    chain: MessageChain,
  ) => {
    const clientId = randomUUID();
    const expectation = expectReply(options.sessionType, options.groupTriggers, input);
    const tracked = tracker.track(clientId, expectation);
    client.sendMessage(chain, { clientId }).catch((error: unknown) => {
      tracker.abort(clientId, error);
      // A connection that closed for good is told once, by the state change.
      if (client.state !== 'closed') {
        terminal.errorLine(terminal.errorColors.red(`error: ${options.describeError(error)}`));
        schedulePrompt();
      }
    });
    const done = tracked.done.then((outcome) => {
      countOutcome(outcome);
      pendingReplies.delete(done);
      return outcome;
    });
    pendingReplies.add(done);
    return done;
  };

  const commands: ChatCommandContext = {
    ...options,
    terminal,
    attachments,
    where,
    stopReply,
    countOwnReset: (change) => {
      ownResets += change;
    },
  };

  const lines = readline[Symbol.asyncIterator]();
  let interrupted = false;
  try {
    schedulePrompt();
    for (;;) {
      const next = await Promise.race([lines.next(), closed, aborted]);
      if (next === CLOSED) break;
      if (next === ABORTED) {
        interrupted = true;
        break;
      }
      if (next.done === true) break;
      promptShown = false;
      const input = parseChatLine(next.value, {
        sessionType: options.sessionType,
        pipeline: options.pipeline,
        mentionAlways: options.mentionAlways,
      });
      if (input.kind === 'empty') {
        schedulePrompt();
        continue;
      }
      if (input.kind === 'invalid') {
        terminal.errorLine(terminal.errorColors.red(input.message));
        schedulePrompt();
        continue;
      }
      if (input.kind === 'command') {
        if (input.command === 'quit') break;
        await runChatCommand(input, commands);
        schedulePrompt();
        continue;
      }
      const chain = await withImages(input);
      if (chain === undefined) {
        schedulePrompt();
        continue;
      }
      const reply = send(input, chain);
      if (!interactive) {
        const waited = await Promise.race([reply, closed, aborted]);
        if (waited === ABORTED) {
          interrupted = true;
          break;
        }
      }
    }
    // Leave after the last reply finished (Ctrl-C stops waiting).
    if (!interrupted && pendingReplies.size > 0 && closedError === undefined) {
      if (interactive) {
        terminal.errorLine(
          terminal.errorColors.dim('[waiting for the reply to finish; Ctrl-C to leave now]'),
        );
      }
      inputClosed = true;
      readline.close();
      const waited = await Promise.race([Promise.all([...pendingReplies]), closed, aborted]);
      if (waited === ABORTED) interrupted = true;
    }
  } finally {
    cleanUp();
  }
  if (interrupted) return EXIT_CODES.INTERRUPTED;
  if (closedError !== undefined) return EXIT_CODES.FAILURE;
  return failures > 0 ? EXIT_CODES.FAILURE : EXIT_CODES.OK;
}

/** The line shown for a state change, or undefined for none. */
export function describeStateChange(
  change: StateChange,
  connectedBefore: boolean,
  describeError: (error: unknown) => string,
): string | undefined {
  switch (change.current) {
    case 'idle':
    case 'connecting':
      return undefined;
    case 'connected':
      return connectedBefore ? '[reconnected]' : undefined;
    case 'reconnecting': {
      const attempt =
        change.attempt === undefined
          ? ''
          : `: attempt ${change.attempt}${change.maxAttempts === undefined ? '' : ` of ${change.maxAttempts}`}`;
      const delay =
        change.delayMs === undefined ? '' : ` in ${(change.delayMs / 1000).toFixed(1)} s`;
      const code = change.closeCode === undefined ? '' : ` (closed with ${change.closeCode})`;
      return `[reconnecting${attempt}${delay}${code}]`;
    }
    case 'closed':
      if (change.reason === 'disconnect-called') return undefined;
      return `[disconnected: ${change.error === undefined ? change.reason : describeError(change.error)}]`;
  }
}
