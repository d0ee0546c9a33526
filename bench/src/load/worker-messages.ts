import type { DeliveryReport } from '../delivery-tracker.js';
import type { ConnectSpec } from '../targets/target.js';

/** How reply text is streamed to a ws-dialect client (Botwire's `stream` query parameter). */
export type StreamMode = 'cumulative' | 'delta';

/** Opens one connection per session name, and keeps them open. */
export interface ConnectCommand {
  type: 'connect';
  spec: ConnectSpec;
  sessions: string[];
  /** Global index of this worker's first connection, for spreading source addresses. */
  firstIndex: number;
  /** Source addresses 127.0.0.1 .. 127.0.0.N to spread connections over. */
  sourceAddresses: number;
  streamMode: StreamMode;
  /** Handshakes in flight at once, per worker. */
  concurrency: number;
  /** Epoch milliseconds after which no new connection is started. */
  deadline: number;
}

/** Every connection sends one chat message and starts checking a reply of `expectedChunks`. */
export interface SendMessagesCommand {
  type: 'send-messages';
  expectedChunks: number;
}

/**
 * Every connection sends `messages` chat messages one after another, each as soon as the
 * previous reply's final frame arrived, checking each reply of `expectedChunks` chunks.
 */
export interface MessageLoopCommand {
  type: 'message-loop';
  messages: number;
  expectedChunks: number;
  deadline: number;
}

/** Answer to `message-loop`. */
export interface MessageLoopResult {
  /** Messages whose reply arrived complete (final frame, every chunk once and in order). */
  completed: number;
  /** Replies that ended with a chunk missing, repeated or out of order. */
  imperfect: number;
  /** Connections that did not finish their messages before the deadline. */
  unfinished: number;
  /** Epoch ms of the first send and of the last final frame, over this worker's connections. */
  startedAt: number;
  finishedAt: number;
  /** Per message: ms from sending it to its `user_message` acknowledgement. */
  ackMs: number[];
  /** Per message: ms from sending it to its reply's final frame. */
  replyMs: number[];
}

/** Resolves when every connection has `minimumChunks` distinct chunks (or its final frame). */
export interface WaitRepliesCommand {
  type: 'wait-replies';
  /** undefined: wait for the final frame of every reply. */
  minimumChunks: number | undefined;
  deadline: number;
}

/** Cuts every connection abruptly and reconnects it, resuming where the client was. */
export interface TerminateAndResumeCommand {
  type: 'terminate-and-resume';
  deadline: number;
}

/** Resolves when every connection received the broadcast whose text is `marker`. */
export interface AwaitBroadcastCommand {
  type: 'await-broadcast';
  marker: string;
  deadline: number;
}

/** Reports every connection's reply measurements. */
export interface CollectCommand {
  type: 'collect';
}

/** Closes every connection. */
export interface CloseAllCommand {
  type: 'close-all';
}

/** A command from the coordinator to a worker. */
export type WorkerCommand =
  | ConnectCommand
  | SendMessagesCommand
  | MessageLoopCommand
  | WaitRepliesCommand
  | TerminateAndResumeCommand
  | AwaitBroadcastCommand
  | CollectCommand
  | CloseAllCommand;

/** A command with the id its answer is matched by. */
export type WorkerRequest = WorkerCommand & { requestId: number };

/** Answer to `connect`. */
export interface ConnectResult {
  opened: number;
  failed: number;
  /** One failure's message, to say why. */
  firstError: string | undefined;
}

/** Answer to `wait-replies`. */
export interface WaitRepliesResult {
  satisfied: number;
  total: number;
}

/** Answer to `terminate-and-resume`. */
export interface ResumeResult {
  resumed: number;
  failed: number;
  firstError: string | undefined;
  /** Per resumed connection: ms from the cut to the first frame on the new connection. */
  resumeMs: number[];
}

/** Answer to `await-broadcast`. */
export interface BroadcastResult {
  received: number;
  total: number;
  /** Epoch milliseconds at which each connection received it. */
  receivedAt: number[];
}

/** One connection's measurements of its reply. */
export interface ReplyMeasurement {
  /** Epoch ms of the send, the first chunk and the final frame (NaN when not seen). */
  sentAt: number;
  firstChunkAt: number;
  finalAt: number;
  delivery: DeliveryReport;
  /** WebSocket frame bytes received for the reply (payload plus frame headers). */
  bytes: number;
  frames: number;
  resyncRequired: number;
}

/** Answer to `collect`. */
export interface CollectResult {
  replies: ReplyMeasurement[];
}

/** Counters a worker reports a few times a second, for the progress bar. */
export interface WorkerProgress {
  open: number;
  chunks: number;
  finals: number;
  broadcasts: number;
}

/** A message from a worker to the coordinator. */
export type WorkerMessage =
  | { type: 'result'; requestId: number; result: unknown }
  | { type: 'failure'; requestId: number; error: string }
  | { type: 'progress'; progress: WorkerProgress };
