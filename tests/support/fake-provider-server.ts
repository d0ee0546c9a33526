import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The machinery shared by the fake model providers: a real HTTP server on 127.0.0.1 (port 0)
 * that records requests, answers with a switchable behaviour, counts clients that hang up
 * mid-response and tears everything down on close. Each fake supplies its wire format.
 */

/** How the fake answers the next requests. */
export type FakeBehaviour =
  /** A normal streamed reply (or, for non-streaming requests, one completion of the joined text). */
  | { kind: 'stream'; chunks: string[]; delayMs?: number }
  /** Streams the chunks, then destroys the socket without finishing the response. */
  | { kind: 'fail-mid-stream'; chunks: string[]; delayMs?: number }
  /** An HTTP error with a JSON body in the provider's shape (`body` replaces the default). */
  | { kind: 'status'; status: 401 | 404 | 429 | 500; body?: unknown }
  /** Accepts the request and never answers. */
  | { kind: 'hang' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined when there was none or it was not JSON). */
  body: any;
}

export interface FakeProviderServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Requests whose client closed the connection before the response ended. */
  readonly disconnects: number;
  setBehaviour(behaviour: FakeBehaviour): void;
  /** Resolves once `count` client disconnects have been seen; rejects after `timeoutMs`. */
  waitForDisconnect(timeoutMs?: number, count?: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeServerOptions {
  behaviour?: FakeBehaviour;
}

/** One provider's wire format. */
export interface WireFormat {
  /** The path (after the base URL's `/v1`) that produces completions, e.g. `/chat/completions`. */
  endpoint: string;
  /** SSE frames for a streamed reply of `chunks`, in order: before the chunks, per chunk, after. */
  streamStart(request: RecordedRequest): string[];
  streamChunk(text: string, request: RecordedRequest): string;
  streamEnd(fullText: string, request: RecordedRequest): string[];
  /** The non-streaming reply carrying `text`. */
  completion(text: string, request: RecordedRequest): unknown;
  /** The provider's error body for `status`. */
  errorBody(status: number, message?: string): unknown;
}

const MAX_BODY_BYTES = 1_048_576;
const MAX_DELAY_MS = 10_000;
const MAX_CHUNKS = 10_000;

/** Formats one server-sent event; `event` is omitted when null. */
export function sseEvent(data: unknown, event: string | null = null): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === null ? '' : `event: ${event}\n`}data: ${payload}\n\n`;
}

/** The `model` a recorded request asked for, or `fallback` when it named none. */
export function requestedModel(request: RecordedRequest, fallback: string): string {
  const model: unknown = request.body?.model;
  return typeof model === 'string' ? model : fallback;
}

/**
 * Gives each recorded request one id for all its frames, made by `format` from a counter that
 * starts at 1 and grows with each new request.
 */
export function requestIds(
  format: (counter: number) => string,
): (request: RecordedRequest) => string {
  let counter = 0;
  const ids = new WeakMap<RecordedRequest, string>();
  return (request) => {
    let id = ids.get(request);
    if (id === undefined) {
      counter += 1;
      id = format(counter);
      ids.set(request, id);
    }
    return id;
  };
}

/** Starts a fake provider speaking `wire` under `/v1`. */
export async function startFakeProviderServer(
  wire: WireFormat,
  options: FakeServerOptions = {},
): Promise<FakeProviderServer> {
  let behaviour: FakeBehaviour = options.behaviour ?? {
    kind: 'stream',
    chunks: ['Hello', ' world'],
  };
  let disconnects = 0;
  let closing = false;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  const disconnectWaiters = new Set<() => void>();

  /** Waits `ms`, or less when the server closes; timers are cleared on close. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          resolve();
        },
        Math.min(Math.max(ms, 0), MAX_DELAY_MS),
      );
      timers.set(timer, resolve);
    });

  const sendJson = (response: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
  };

  const streamChunks = async (
    response: ServerResponse,
    request: RecordedRequest,
    chunks: string[],
    delayMs: number,
    finish: boolean,
  ): Promise<'done' | 'gone'> => {
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    for (const frame of wire.streamStart(request)) response.write(frame);
    for (const [index, chunk] of chunks.slice(0, MAX_CHUNKS).entries()) {
      if (index > 0 && delayMs > 0) await pause(delayMs);
      if (response.destroyed || closing) return 'gone';
      response.write(wire.streamChunk(chunk, request));
    }
    if (!finish) return 'done';
    if (delayMs > 0) await pause(delayMs);
    if (response.destroyed || closing) return 'gone';
    for (const frame of wire.streamEnd(chunks.join(''), request)) response.write(frame);
    response.end();
    return 'done';
  };

  const server = createServer((incoming, response) => {
    let serverDestroyed = false;
    response.on('close', () => {
      if (response.writableFinished || serverDestroyed || closing) return;
      disconnects += 1;
      for (const wake of disconnectWaiters) wake();
    });

    const parts: Buffer[] = [];
    let size = 0;
    incoming.on('data', (part: Buffer) => {
      size += part.length;
      if (size <= MAX_BODY_BYTES) parts.push(part);
    });
    incoming.on('end', () => {
      const raw = Buffer.concat(parts).toString('utf8');
      let body: any;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const path = (incoming.url ?? '/').split('?')[0] ?? '/';
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path,
        headers: incoming.headers,
        body,
      };
      requests.push(request);

      if (size > MAX_BODY_BYTES) {
        sendJson(response, 413, wire.errorBody(413, 'Request body too large.'));
        return;
      }
      if (incoming.method !== 'POST' || path !== `/v1${wire.endpoint}`) {
        sendJson(response, 404, wire.errorBody(404, `No route for ${incoming.method} ${path}.`));
        return;
      }

      const current = behaviour;
      const streaming = body?.stream === true;
      switch (current.kind) {
        case 'hang':
          return;
        case 'status':
          sendJson(response, current.status, current.body ?? wire.errorBody(current.status));
          return;
        case 'stream':
          if (!streaming) {
            sendJson(response, 200, wire.completion(current.chunks.join(''), request));
            return;
          }
          void streamChunks(response, request, current.chunks, current.delayMs ?? 0, true);
          return;
        case 'fail-mid-stream':
          void streamChunks(response, request, current.chunks, current.delayMs ?? 0, false).then(
            async (outcome) => {
              if (outcome === 'gone') return;
              // Let the written chunks reach the client before the connection drops.
              await pause(Math.max(current.delayMs ?? 0, 20));
              serverDestroyed = true;
              response.socket?.destroy();
            },
          );
          return;
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get disconnects() {
      return disconnects;
    },
    setBehaviour(next) {
      behaviour = next;
    },
    waitForDisconnect(timeoutMs = 2_000, count = 1) {
      return new Promise<void>((resolve, reject) => {
        if (disconnects >= count) {
          resolve();
          return;
        }
        const wake = () => {
          if (disconnects < count) return;
          cleanup();
          resolve();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `Expected ${count} client disconnect(s) within ${timeoutMs} ms, saw ${disconnects}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          disconnectWaiters.delete(wake);
        };
        disconnectWaiters.add(wake);
      });
    },
    async close() {
      closing = true;
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
