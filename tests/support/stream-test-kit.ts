import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {
  ChatMessage,
  ConversationEventFrame,
  HistoryData,
  Pipeline,
  ResponseFrame,
  ServerFrame,
  SessionType,
} from '@botwire/protocol';
import { openChatSocket, type ChatSocket, type ChatSocketOptions } from './chat-socket.js';
import { rest } from './rest-client.js';
import {
  startServerProcess,
  type ServerProcess,
  type ServerProcessOptions,
} from './server-process.js';

/** Settings of the `bench` runner. */
export interface BenchSettings {
  chunks: number;
  chunk_bytes: number;
  interval_ms: number;
}

/** Chunk `index` of a bench reply, as the bench runner builds it (`${index}:` padded with dots). */
export function benchChunk(index: number, bytes: number): string {
  const label = `${index}:`;
  return label.length >= bytes ? label.slice(0, bytes) : label.padEnd(bytes, '.');
}

/** The whole text of a complete bench reply. */
export function benchText(settings: BenchSettings): string {
  let text = '';
  for (let index = 0; index < settings.chunks; index += 1) {
    text += benchChunk(index, settings.chunk_bytes);
  }
  return text;
}

/** The chunk index a bench delta starts with (`"17:....."` is 17). */
export function benchIndex(delta: string): number {
  const match = /^(\d+):/.exec(delta);
  if (match?.[1] === undefined) throw new Error(`not a bench chunk: ${JSON.stringify(delta)}`);
  return Number(match[1]);
}

/** Creates a pipeline from a whole create body (admin key) and returns it; fails loudly unless 201. */
export async function createPipelineFromBody(
  server: ServerProcess,
  body: Record<string, unknown>,
): Promise<Pipeline> {
  const response = await rest<{ pipeline: Pipeline }>(server.url, 'POST', '/api/v1/pipelines', {
    body,
  });
  if (response.status !== 201) {
    throw new Error(
      `could not create pipeline: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body.data.pipeline;
}

/** Creates a pipeline with the admin key and returns its uuid. */
export async function createPipeline(
  server: ServerProcess,
  name: string,
  runner:
    { type: 'bench'; settings: BenchSettings } | { type: 'echo'; settings: { delay_ms: number } },
): Promise<string> {
  // Transport tests expect a reply to every group message; trigger rules have their own tests.
  const pipeline = await createPipelineFromBody(server, {
    name,
    runner,
    group_triggers: { probability: 1 },
  });
  return pipeline.uuid;
}

/** Creates a bench pipeline and returns its uuid. */
export function createBenchPipeline(
  server: ServerProcess,
  name: string,
  settings: BenchSettings,
): Promise<string> {
  return createPipeline(server, name, { type: 'bench', settings });
}

/** Creates an API key and returns the secret. */
export async function createApiKey(
  server: ServerProcess,
  name: string,
  role: 'member' | 'admin' = 'member',
  pipelines?: string[],
): Promise<string> {
  const response = await rest<{ key: string }>(server.url, 'POST', '/api/v1/keys', {
    body: { name, role, ...(pipelines === undefined ? {} : { pipelines }) },
  });
  if (response.status !== 201) {
    throw new Error(
      `could not create API key: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body.data.key;
}

/** Options naming a conversation over REST. */
export interface ConversationRef {
  session?: string;
  /** Bearer token; the admin key by default. */
  token?: string;
}

function sessionQuery(session: string | undefined, extra = ''): string {
  const parts = [session === undefined ? '' : `session=${encodeURIComponent(session)}`, extra];
  const query = parts.filter((part) => part.length > 0).join('&');
  return query.length > 0 ? `?${query}` : '';
}

/** Reads a conversation's history (newest 500 messages, oldest first). */
export async function fetchHistory(
  server: ServerProcess,
  pipelineUuid: string,
  sessionType: SessionType,
  ref: ConversationRef = {},
): Promise<HistoryData> {
  const response = await rest<HistoryData>(
    server.url,
    'GET',
    `/api/v1/pipelines/${pipelineUuid}/ws/messages/${sessionType}${sessionQuery(ref.session, 'limit=500')}`,
    ref.token === undefined ? {} : { token: ref.token },
  );
  if (response.status !== 200) {
    throw new Error(`history failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body.data;
}

/** Resets a conversation over REST. */
export async function resetConversation(
  server: ServerProcess,
  pipelineUuid: string,
  sessionType: SessionType,
  ref: ConversationRef = {},
): Promise<void> {
  const response = await rest(
    server.url,
    'POST',
    `/api/v1/pipelines/${pipelineUuid}/ws/reset/${sessionType}${sessionQuery(ref.session)}`,
    ref.token === undefined ? {} : { token: ref.token },
  );
  if (response.status !== 200) {
    throw new Error(`reset failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
}

/** Frames of a conversation's ordered event stream (the ones with a `seq`). */
export function eventFrames(frames: readonly ServerFrame[]): ConversationEventFrame[] {
  return frames.filter(
    (frame): frame is ConversationEventFrame =>
      frame.type === 'user_message' ||
      frame.type === 'response' ||
      frame.type === 'session_reset' ||
      (frame.type === 'error' && frame.seq !== undefined),
  );
}

/** Response frames of one reply, in arrival order. */
export function replyFrames(frames: readonly ServerFrame[], replyId: number): ResponseFrame[] {
  return frames.filter(
    (frame): frame is ResponseFrame => frame.type === 'response' && frame.data.id === replyId,
  );
}

/** The final response frames received so far. */
export function finalFrames(frames: readonly ServerFrame[]): ResponseFrame[] {
  return frames.filter(
    (frame): frame is ResponseFrame => frame.type === 'response' && frame.data.is_final,
  );
}

/** How many `response` frames were received so far. */
export function responseCount(frames: readonly ServerFrame[]): number {
  return frames.filter((frame) => frame.type === 'response').length;
}

/**
 * Round-trips a ping: once the pong is in, every frame the server sent to this socket before it
 * handled the ping has arrived. Lets a test assert that something did NOT arrive without sleeping.
 */
export async function barrier(chat: ChatSocket): Promise<void> {
  const pongs = chat.ofType('pong').length;
  chat.send({ type: 'ping' });
  await chat.waitFor(() => chat.ofType('pong').length > pongs, 5_000);
}

/** Polls `check` every 20 ms until it holds, for at most `timeoutMs`. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Rejects after `ms` with a message naming `what`, unless `promise` settles first. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The stored messages of a history page, reduced to what tests compare. */
export function summarize(messages: readonly ChatMessage[]) {
  return messages.map((message) => ({
    id: message.id,
    role: message.role,
    content: message.content,
    status: message.status,
    reply_to: message.reply_to,
  }));
}

/**
 * Owns what a test opens (sockets, server processes, temp data directories) and releases all of
 * it in `dispose()`, even when the test failed half-way.
 */
export class TestResources {
  private readonly sockets: ChatSocket[] = [];
  private readonly servers: ServerProcess[] = [];
  private readonly dirs: string[] = [];

  /** Opens a chat socket, tracks it, and waits for its `connected` frame. */
  async connect(
    server: { wsUrl: string },
    pipelineUuid: string,
    options: ChatSocketOptions = {},
  ): Promise<ChatSocket> {
    const chat = await openChatSocket(server.wsUrl, pipelineUuid, options);
    this.sockets.push(chat);
    await chat.next('connected');
    return chat;
  }

  /** Starts a server process and tracks it. */
  async startServer(options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const server = await startServerProcess(options);
    this.servers.push(server);
    return server;
  }

  /** A fresh temp directory, removed on dispose. */
  tempDir(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'botwire-e2e-shared-'));
    this.dirs.push(dir);
    return dir;
  }

  async dispose(): Promise<void> {
    const sockets = this.sockets.splice(0);
    await Promise.all(sockets.map((chat) => closeSocket(chat)));
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((server) => server[Symbol.asyncDispose]()));
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Closes a socket politely, or cuts it off if the close handshake does not finish in 2 s. */
export async function closeSocket(chat: ChatSocket): Promise<void> {
  if (chat.closeCode !== undefined) return;
  const { socket } = chat;
  if (socket.readyState === socket.OPEN) socket.close();
  else socket.terminate();
  try {
    await within(chat.closed, 2_000, 'socket close');
  } catch {
    socket.terminate();
  }
}

/** The `connected` frame a socket got; fails loudly when there was none. */
export function connectedOf(chat: ChatSocket) {
  const connected = chat.ofType('connected')[0];
  if (connected === undefined) throw new Error('no connected frame');
  return connected;
}

/** The seqs of event frames, in order. */
export function seqsOf(frames: readonly ConversationEventFrame[]): number[] {
  return frames.map((frame) => frame.seq);
}

/** `from`, `from + 1`, ..., `to`. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}
