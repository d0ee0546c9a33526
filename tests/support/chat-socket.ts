import type { ServerFrame } from '@botwire/protocol';
import WebSocket from 'ws';
import { ADMIN_KEY } from './server-process.js';

/** Options for {@link openChatSocket}. */
export interface ChatSocketOptions {
  /** Query string after `?`, e.g. `session_type=group&stream=delta`. */
  query?: string;
  /** Bearer token; ADMIN_KEY by default; null sends none. */
  token?: string | null;
  headers?: Record<string, string>;
}

/** A real `ws` client that records every frame and the close, with helpers to wait on them. */
export class ChatSocket {
  readonly frames: ServerFrame[] = [];
  closeCode: number | undefined;
  closeReason = '';
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as ServerFrame);
      this.notify();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = String(reason);
        this.notify();
        resolve({ code, reason: String(reason) });
      });
    });
    socket.on('error', () => undefined);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Sends the seed's message frame with `text`. */
  sendText(text: string, extra: Record<string, unknown> = {}): void {
    this.send({ type: 'message', message: [{ type: 'Plain', text }], ...extra });
  }

  /** Frames of one type received so far. */
  ofType<TType extends ServerFrame['type']>(type: TType): Extract<ServerFrame, { type: TType }>[] {
    return this.frames.filter(
      (frame): frame is Extract<ServerFrame, { type: TType }> => frame.type === type,
    );
  }

  /** Waits until `predicate` holds over the frames received so far (checked on each frame). */
  async waitFor(predicate: (frames: ServerFrame[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.frames)) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out; frames so far:\n${this.frames.map((frame) => JSON.stringify(frame)).join('\n')}`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the first frame of `type` matching `predicate`, and returns it. */
  async next<TType extends ServerFrame['type']>(
    type: TType,
    predicate: (frame: Extract<ServerFrame, { type: TType }>) => boolean = () => true,
  ): Promise<Extract<ServerFrame, { type: TType }>> {
    let found: Extract<ServerFrame, { type: TType }> | undefined;
    await this.waitFor(() => {
      found = this.ofType(type).find(predicate);
      return found !== undefined;
    });
    return found as Extract<ServerFrame, { type: TType }>;
  }

  /** Waits for the final chunk of a reply (the first one, or the one answering `replyTo`). */
  finalResponse(replyTo?: number) {
    return this.next(
      'response',
      (frame) => frame.data.is_final && (replyTo === undefined || frame.data.reply_to === replyTo),
    );
  }

  close(): void {
    this.socket.close();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** Opens a chat socket and waits until it is open (or closed by the server). */
export async function openChatSocket(
  wsUrl: string,
  pipelineUuid: string,
  options: ChatSocketOptions = {},
): Promise<ChatSocket> {
  const token = options.token === undefined ? ADMIN_KEY : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const url = `${wsUrl}/api/v1/pipelines/${pipelineUuid}/ws/connect${options.query === undefined ? '' : `?${options.query}`}`;
  const socket = new WebSocket(url, { headers });
  const chat = new ChatSocket(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
  return chat;
}

/** Opens a socket and waits for its `connected` frame. */
export async function connectChat(
  wsUrl: string,
  pipelineUuid: string,
  options: ChatSocketOptions = {},
): Promise<ChatSocket> {
  const chat = await openChatSocket(wsUrl, pipelineUuid, options);
  await chat.next('connected');
  return chat;
}
