import { randomUUID } from 'node:crypto';
import {
  BotwireClientError,
  type MessageChain,
  type MessageStatus,
  type SessionType,
} from '@botwire/client';
import type { ChatConnection } from './chat-loop.js';
import type { ReplyExpectation } from './reply-expectation.js';
import { ReplyTracker, type ReplyOutcome } from './reply-tracker.js';

/** How one connection of a `--multi` run went. */
export interface ConnectionOutcome {
  ok: boolean;
  /** Why it failed to connect. */
  errorCode?: string;
}

/** How one message of a `--multi` run went. */
export interface MessageOutcome {
  /** Whether the server acknowledged it. */
  sent: boolean;
  /**
   * How its reply ended: a final status, `none` (no reply expected), `timeout`, `lost` (the
   * connection closed for good first), or `unsent`.
   */
  reply: MessageStatus | 'none' | 'timeout' | 'lost' | 'unsent';
  chunks: number;
  /** From the send to the reply's first chunk, for replies that ended. */
  firstChunkMs?: number;
  /** From the send to the reply's final chunk. */
  finalMs?: number;
  /** The error that made it fail. */
  errorCode?: string;
}

/** Everything measured by {@link runMulti}, for `buildMultiReport`. */
export interface MultiRunResult {
  connections: ConnectionOutcome[];
  /** In order: connection 0's messages, then connection 1's... */
  messages: MessageOutcome[];
  /** Error frames received on live connections (e.g. `RATE_LIMITED`, `RUNNER_FAILED`). */
  liveErrors: string[];
  /** Reconnect attempts made. */
  reconnects: number;
  wallTimeMs: number;
}

/** A snapshot for a progress display. */
export interface MultiProgress {
  connectionsOk: number;
  connectionsFailed: number;
  connections: number;
  /** Messages whose outcome is known. */
  messagesDone: number;
  messages: number;
  errors: number;
  elapsedMs: number;
}

/** One message to send. */
export interface MultiMessage {
  chain: MessageChain | string;
  expectation: ReplyExpectation;
}

/** Options of {@link runMulti}. */
export interface MultiRunOptions {
  connections: number;
  messagesPerConnection: number;
  sessionType: SessionType;
  /** Person conversations are `<prefix>-<i>`; the group conversation is `<prefix>`. */
  sessionPrefix: string;
  /** Makes connection `index`'s client for conversation `session`. */
  createClient: (index: number, session: string) => ChatConnection;
  /** What connection `connection` sends as its `message`-th message (both 0-based). */
  messageFor: (connection: number, message: number) => MultiMessage;
  /** The longest a connect, or a message from its send to its final reply, may take. */
  timeoutMs: number;
  /** How long a `maybe` reply may take to start. */
  maybeReplyWaitMs?: number;
  /** Connections being opened at once, so thousands do not hit the server in one burst. */
  connectConcurrency?: number;
  onProgress?: (progress: MultiProgress) => void;
  now?: () => number;
}

const TIMEOUT = Symbol('timeout');

/** The session key of connection `index`. */
export function multiSession(sessionType: SessionType, prefix: string, index: number): string {
  return sessionType === 'person' ? `${prefix}-${index}` : prefix;
}

/**
 * Opens `connections` connections at once (each its own conversation for `person`, one shared
 * conversation for `group`), sends `messagesPerConnection` messages on each, one after the
 * other (each after the previous reply ended), and measures every reply. All connections stay
 * open until every one is done, then disconnect. Never throws for a failing connection or
 * message: failures are in the result.
 */
export async function runMulti(options: MultiRunOptions): Promise<MultiRunResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const connections: ConnectionOutcome[] = [];
  const messages: MessageOutcome[][] = [];
  const liveErrors: string[] = [];
  let reconnects = 0;
  let connectionsOk = 0;
  let connectionsFailed = 0;
  let messagesDone = 0;
  let errors = 0;
  const total = options.connections * options.messagesPerConnection;
  const progress = (): void =>
    options.onProgress?.({
      connectionsOk,
      connectionsFailed,
      connections: options.connections,
      messagesDone,
      messages: total,
      errors,
      elapsedMs: now() - started,
    });
  const limit = semaphore(options.connectConcurrency ?? 100);
  const clients: ChatConnection[] = [];

  const record = (index: number, outcome: MessageOutcome): void => {
    (messages[index] ??= []).push(outcome);
    messagesDone += 1;
    if (outcome.errorCode !== undefined) errors += 1;
    progress();
  };

  const worker = async (index: number): Promise<void> => {
    const session = multiSession(options.sessionType, options.sessionPrefix, index);
    const client = options.createClient(index, session);
    clients.push(client);
    const tracker = new ReplyTracker({ maybeWaitMs: options.maybeReplyWaitMs, now });
    client.onMessage((message) => tracker.handle(message));
    client.onStateChange((change) => {
      if (change.current === 'reconnecting') reconnects += 1;
      if (change.current === 'closed' && change.reason !== 'disconnect-called') {
        tracker.abortAll(change.error);
      }
    });
    client.onError((error) => {
      if (client.state !== 'connected') return;
      liveErrors.push(error.code);
      errors += 1;
    });

    try {
      const connected = await limit(() => withTimeout(client.connect(), options.timeoutMs));
      if (connected === TIMEOUT) throw new Error('CONNECT_TIMEOUT');
      connections[index] = { ok: true };
      connectionsOk += 1;
    } catch (error) {
      client.disconnect();
      const errorCode = codeOf(error, 'CONNECT_FAILED');
      connections[index] = { ok: false, errorCode };
      connectionsFailed += 1;
      errors += 1;
      for (let message = 0; message < options.messagesPerConnection; message += 1) {
        record(index, { sent: false, reply: 'unsent', chunks: 0 });
      }
      return;
    }

    for (let message = 0; message < options.messagesPerConnection; message += 1) {
      if (isClosed(client)) {
        record(index, { sent: false, reply: 'unsent', chunks: 0 });
        continue;
      }
      const { chain, expectation } = options.messageFor(index, message);
      const clientId = randomUUID();
      const tracked = tracker.track(clientId, expectation);
      const deadline = tracked.trackedAt + options.timeoutMs;
      let sent = false;
      try {
        const acknowledged = await withTimeout(
          client.sendMessage(chain, { clientId }),
          deadline - now(),
        );
        if (acknowledged === TIMEOUT) {
          tracker.abort(clientId, new Error('timeout'));
          record(index, { sent: false, reply: 'timeout', chunks: 0, errorCode: 'SEND_TIMEOUT' });
          continue;
        }
        sent = true;
      } catch (error) {
        tracker.abort(clientId, error);
        record(index, {
          sent: false,
          reply: isClosed(client) ? 'lost' : 'unsent',
          chunks: 0,
          errorCode: codeOf(error, 'SEND_FAILED'),
        });
        continue;
      }
      const outcome = await withTimeout(tracked.done, deadline - now());
      if (outcome === TIMEOUT) {
        tracker.abort(clientId, new Error('timeout'));
        record(index, {
          sent,
          reply: 'timeout',
          chunks: tracked.chunks,
          errorCode: 'REPLY_TIMEOUT',
        });
        continue;
      }
      record(index, messageOutcome(outcome, tracked.trackedAt, tracked.chunks));
    }
  };

  progress();
  await Promise.all(Array.from({ length: options.connections }, (_, index) => worker(index)));
  const wallTimeMs = now() - started;
  for (const client of clients) client.disconnect();
  return {
    connections: Array.from(
      { length: options.connections },
      (_, index) => connections[index] ?? { ok: false, errorCode: 'CONNECT_FAILED' },
    ),
    messages: Array.from(
      { length: options.connections },
      (_, index) => messages[index] ?? [],
    ).flat(),
    liveErrors,
    reconnects,
    wallTimeMs,
  };
}

function messageOutcome(outcome: ReplyOutcome, sentAt: number, chunks: number): MessageOutcome {
  switch (outcome.kind) {
    case 'none':
      return { sent: true, reply: 'none', chunks };
    case 'aborted':
      return {
        sent: true,
        reply: 'lost',
        chunks,
        errorCode: codeOf(outcome.error, 'CONNECTION_LOST'),
      };
    case 'reply':
      return {
        sent: true,
        reply: outcome.status,
        chunks: outcome.chunks,
        firstChunkMs: outcome.firstChunkAt - sentAt,
        finalMs: outcome.finalAt - sentAt,
      };
  }
}

/** Read through a call: the state changes while awaiting, which narrowing cannot know. */
function isClosed(client: ChatConnection): boolean {
  return client.state === 'closed';
}

function codeOf(error: unknown, fallback: string): string {
  if (error instanceof BotwireClientError) return error.code;
  if (error instanceof Error && /^[A-Z_]+$/.test(error.message)) return error.message;
  return fallback;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMEOUT), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs at most `size` of the given tasks at once. */
function semaphore(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}
