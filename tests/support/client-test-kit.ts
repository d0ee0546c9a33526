import {
  BackendClient,
  WebSocketClient,
  type BotwireClientError,
  type ChatMessage,
  type ResyncEvent,
  type StateChange,
  type WebSocketClientOptions,
} from '@botwire/client';
import { afterAll, afterEach, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { ADMIN_KEY, startServerProcess, type ServerProcess } from './server-process.js';

/** A `WebSocketClient` on a real server, with its sockets and everything it reported. */
export interface TrackedClient {
  client: WebSocketClient;
  /** Every socket the client opened, oldest first: one per connection attempt. */
  sockets: WebSocket[];
  messages: ChatMessage[];
  states: StateChange[];
  errors: BotwireClientError[];
  resyncs: ResyncEvent[];
}

/**
 * A `WebSocketClient` for the `person` conversation of the admin key on `pipelineId`, with quick
 * retries and the `ws` package as its WebSocket. The class is wrapped so that the test keeps
 * every socket the client opens (without reaching into the client) and can cut one off the way
 * a network does, with `terminate()`.
 */
export function createTrackedClient(
  baseUrl: string,
  pipelineId: string,
  options: WebSocketClientOptions = {},
): TrackedClient {
  const sockets: WebSocket[] = [];
  class TrackedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  const client = new WebSocketClient(pipelineId, 'person', {
    baseUrl,
    token: ADMIN_KEY,
    WebSocket: TrackedWebSocket,
    backoff: { initialDelayMs: 50, maxDelayMs: 200 },
    ...options,
  });
  const tracked: TrackedClient = {
    client,
    sockets,
    messages: [],
    states: [],
    errors: [],
    resyncs: [],
  };
  client.onMessage((message) => tracked.messages.push(message));
  client.onStateChange((change) => tracked.states.push(change));
  client.onError((error) => tracked.errors.push(error));
  client.onResync((event) => tracked.resyncs.push(event));
  return tracked;
}

/** The final snapshots of the replies to message `replyTo` among `messages`. */
export function finalReplies(messages: readonly ChatMessage[], replyTo: number): ChatMessage[] {
  return messages.filter((message) => message.reply_to === replyTo && message.is_final);
}

/** A real server shared by the tests of one `describe`; see {@link useRealServer}. */
export interface RealServer {
  readonly server: ServerProcess;
  /** A REST client with the admin key. */
  readonly backend: BackendClient;
  /** {@link createTrackedClient} on this server (or `options.baseUrl`), disconnected after the test. */
  createClient(pipelineId: string, options?: WebSocketClientOptions): TrackedClient;
}

/**
 * Registers the hooks of a `describe` that talks to a real server process: it starts before the
 * first test and stops after the last, and every client made through it is disconnected after
 * each test. Its fields may be read inside tests and hooks only.
 */
export function useRealServer(): RealServer {
  let started: { server: ServerProcess; backend: BackendClient } | undefined;
  const clients: WebSocketClient[] = [];
  const current = () => {
    if (started === undefined) throw new Error('the server is only there during the tests');
    return started;
  };
  beforeAll(async () => {
    const server = await startServerProcess();
    started = { server, backend: new BackendClient({ baseUrl: server.url, token: ADMIN_KEY }) };
  }, 30_000);
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(async () => {
    await started?.server[Symbol.asyncDispose]();
  });
  return {
    get server() {
      return current().server;
    },
    get backend() {
      return current().backend;
    },
    createClient(pipelineId, options = {}) {
      const tracked = createTrackedClient(current().server.url, pipelineId, options);
      clients.push(tracked.client);
      return tracked;
    },
  };
}
