import {
  encodeFrame,
  type ChatMessage,
  type ConnectedFrame,
  type MessageChain,
  type SessionType,
} from '@botwire/protocol';
import { joinWebSocketUrl, resolveBaseUrl } from './base-url.js';
import { BotwireClientError } from './client-error.js';
import type {
  BroadcastEvent,
  ClientEventMap,
  DisconnectEvent,
  ResyncEvent,
  SendMessageOptions,
  SessionResetEvent,
} from './client-events.js';
import { createClientId } from './client-id.js';
import { createClientListeners } from './client-listeners.js';
import {
  resolveClientOptions,
  resolveWebSocketConstructor,
  type ResolvedClientOptions,
  type WebSocketClientOptions,
} from './client-options.js';
import type { ConnectionState, StateChange } from './connection-state.js';
import { FrameDispatcher } from './frame-dispatcher.js';
import type { Unsubscribe } from './listener-set.js';
import { Outbox } from './outbox.js';
import { encodeMessageFrame, type PendingSend } from './pending-send.js';
import { ReconnectingTransport } from './reconnecting-transport.js';
import { Reply } from './reply.js';

/**
 * A chat connection to one conversation of a Botwire pipeline, for browsers and Node.
 *
 * It keeps the conversation whole across network trouble: it reconnects with full-jitter
 * backoff and resumes with `last_seq` (nothing missed, nothing twice), keeps sent messages in an
 * outbox until the server acknowledges them (resent with the same `client_id` after a
 * reconnect, so none is lost or stored twice), assembles streamed replies into whole messages,
 * pings to notice dead connections, and stops for good on close codes that retrying cannot fix.
 *
 * @example
 * ```ts
 * const client = new WebSocketClient(pipelineUuid, 'person', {
 *   baseUrl: 'http://127.0.0.1:8000',
 *   token: 'bw_key_...',
 * });
 * client.on('stateChange', ({ current, reason }) => showStatus(current, reason));
 * await client.connect();
 * const reply = await client.send('Hello there');
 * for await (const delta of reply) process.stdout.write(delta);
 * const { text, status } = await reply.done;
 * ```
 */
export class WebSocketClient {
  private readonly options: ResolvedClientOptions;
  private readonly baseUrl: URL;
  private readonly outbox: Outbox<PendingSend>;
  private readonly listeners = createClientListeners();
  /** The sockets, the reconnects and the connection state. */
  private readonly transport: ReconnectingTransport;
  /** What arrives: seq, acknowledgements, replies, events. */
  private readonly frames: FrameDispatcher;
  /** Replies being waited for, by the id of the user message they answer. */
  private readonly replies = new Map<number, Reply>();

  /**
   * @param pipelineId the pipeline's uuid
   * @param sessionType `person` for the caller's own conversation, `group` for a shared one
   * @param options see {@link WebSocketClientOptions}; `baseUrl` is required outside a browser
   */
  constructor(
    readonly pipelineId: string,
    readonly sessionType: SessionType = 'person',
    options: WebSocketClientOptions = {},
  ) {
    this.options = resolveClientOptions(options);
    this.baseUrl = resolveBaseUrl(this.options.baseUrl);
    this.outbox = new Outbox(this.options.outboxLimit);
    this.transport = new ReconnectingTransport(this.options, this.listeners, {
      connectUrl: () => this.connectUrl(),
      receive: (data) => this.frames.receive(data),
      // Sent again with the same client_id, so the server stores each one once.
      accepted: () => {
        for (const entry of this.outbox.pending()) this.transmit(entry);
      },
      abandon: () => [...this.outbox.drain(), ...this.abandonReplies()],
    });
    this.frames = new FrameDispatcher(
      this.transport,
      this.outbox,
      this.listeners,
      this.options.streamMode,
      this.options.frameValidator,
    );
    this.listeners.message.add((message) => this.routeToReply(message));
    this.listeners.resync.add(() => {
      if (this.options.autoResync !== undefined) void this.reloadHistory();
    });
  }

  /** Where the client is; see {@link ConnectionState}. */
  get state(): ConnectionState {
    return this.transport.state;
  }

  /**
   * The newest conversation `seq` processed; sent as `last_seq` when reconnecting. Undefined
   * until the first `connected` frame.
   */
  get lastSeq(): number | undefined {
    return this.frames.lastSeq;
  }

  /** The id the server gave the current (or last) connection; user messages it sent carry it. */
  get connectionId(): string | undefined {
    return this.transport.connectionId;
  }

  /**
   * Connects, and resolves once the server sent `connected` (authenticated and joined).
   * Retryable failures are retried with backoff before the promise settles; it rejects with a
   * {@link BotwireClientError} when the server refuses for good (its error code, e.g.
   * `AUTH_FAILED` or `PIPELINE_NOT_FOUND`), the retries run out (`CONNECTION_CLOSED`),
   * `disconnect()` is called, or there is no WebSocket implementation (`NO_WEBSOCKET`).
   * While already connecting it returns the same outcome; while connected it resolves at once.
   */
  connect(): Promise<void> {
    const { state } = this;
    if (state === 'connected') return Promise.resolve();
    if (state !== 'idle' && state !== 'closed') return this.transport.whenConnected();
    const WebSocketClass = resolveWebSocketConstructor(this.options.WebSocket);
    if (WebSocketClass === undefined) {
      return Promise.reject(
        new BotwireClientError({
          code: 'NO_WEBSOCKET',
          message:
            'This runtime has no global WebSocket; pass one as the WebSocket option (in Node 20: `import WebSocket from "ws"`).',
        }),
      );
    }
    const connected = this.transport.whenConnected();
    this.transport.start(WebSocketClass);
    return connected;
  }

  /**
   * Sends a chat message and resolves with it as the server stored it (its `user_message`
   * acknowledgement). While the client is reconnecting the message waits in the outbox and
   * goes out after `connected`, with the same `client_id`, so it is stored exactly once.
   *
   * Rejects with a {@link BotwireClientError}: `NOT_CONNECTED` before `connect()` or after the
   * client closed; `OUTBOX_FULL` at `outboxLimit`; `BAD_FRAME` or `UNSUPPORTED_COMPONENT` for a
   * chain the server would refuse; `QUEUE_FULL` when the conversation has too many messages
   * waiting for a reply; the closing error when the client gives up before it was acknowledged.
   */
  sendMessage(
    chainOrText: string | MessageChain,
    options: SendMessageOptions = {},
  ): Promise<ChatMessage> {
    return this.enqueue(chainOrText, options, (message) => message);
  }

  /**
   * Sends a chat message and resolves, once the server stored it, with a {@link Reply}: the
   * handle on the bot's answer. Rejects as {@link WebSocketClient.sendMessage} does.
   *
   * @example
   * ```ts
   * const reply = await client.send('Tell me a story');
   * for await (const delta of reply) output.append(delta);
   * const { text, status } = await reply.done; // status: complete, cancelled, error...
   * stopButton.onclick = () => reply.cancel();
   * ```
   */
  send(chainOrText: string | MessageChain, options: SendMessageOptions = {}): Promise<Reply> {
    return this.enqueue(chainOrText, options, (message) => {
      // Registered in the acknowledgement's own call, before any chunk of the reply is handled.
      const reply = new Reply(message, { cancel: (replyId) => this.cancel(replyId) });
      this.replies.set(message.id, reply);
      return reply;
    });
  }

  /**
   * Puts a message in the outbox and resolves with `settle(acknowledged message)`; `settle` runs
   * synchronously with the acknowledgement.
   */
  private enqueue<TResult>(
    chainOrText: string | MessageChain,
    options: SendMessageOptions,
    settle: (message: ChatMessage) => TResult,
  ): Promise<TResult> {
    if (this.state === 'idle' || this.state === 'closed') {
      return Promise.reject(
        new BotwireClientError({
          code: 'NOT_CONNECTED',
          message: 'The client is not connected; call connect() first.',
        }),
      );
    }
    const clientId = options.clientId ?? createClientId();
    const encoded = encodeMessageFrame(chainOrText, clientId, this.options.frameValidator);
    if (!encoded.ok) return Promise.reject(encoded.error);
    const { text } = encoded;
    return new Promise<TResult>((resolve, reject) => {
      const entry: PendingSend = {
        clientId,
        text,
        sentOn: undefined,
        resolve: (message) => resolve(settle(message)),
        reject,
      };
      try {
        this.outbox.add(entry);
      } catch (error) {
        // OUTBOX_FULL, or a client_id that is already waiting.
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (this.state === 'connected') this.transmit(entry);
    });
  }

  /**
   * Stops the reply being generated in the conversation, or only reply `replyId` if that is
   * the one. The reply then ends with `status: "cancelled"`; when nothing matches, the server
   * answers with a `NOTHING_TO_CANCEL` error (see {@link WebSocketClient.onError}). Throws
   * `NOT_CONNECTED` when there is no connection to send it on.
   */
  cancel(replyId?: number): void {
    const frame =
      replyId === undefined
        ? encodeFrame({ type: 'cancel' })
        : encodeFrame({ type: 'cancel', reply_id: replyId });
    if (this.state !== 'connected' || !this.transport.send(frame)) {
      throw new BotwireClientError({
        code: 'NOT_CONNECTED',
        message: 'There is no connection to send the cancel on.',
      });
    }
  }

  /**
   * Says goodbye (`disconnect` frame, close 1000) and stops for good: no reconnect. Messages
   * still in the outbox and a pending `connect()` reject with `CONNECTION_CLOSED`. `connect()`
   * may be called again later; it resumes from {@link WebSocketClient.lastSeq}.
   */
  disconnect(): void {
    this.transport.disconnect();
  }

  /**
   * Calls `listener` with every message of the conversation as a whole message: user messages
   * (acknowledged, anyone's) and replies, each time a reply grows and once more when it ends
   * (`is_final`, with its final `status`). Each call carries a new object; keep the latest per
   * `id`.
   */
  onMessage(listener: (message: ChatMessage) => void): Unsubscribe {
    return this.listeners.message.add(listener);
  }

  /** Calls `listener` with every broadcast notice of the pipeline. */
  onBroadcast(listener: (event: BroadcastEvent) => void): Unsubscribe {
    return this.listeners.broadcast.add(listener);
  }

  /** Calls `listener` with the server's `connected` frame, on every (re)connection. */
  onConnected(listener: (frame: ConnectedFrame) => void): Unsubscribe {
    return this.listeners.connected.add(listener);
  }

  /**
   * Calls `listener` when an accepted connection ends, and when the client stops for good
   * (`willReconnect: false`). Failed retries that never connected are reported through
   * {@link WebSocketClient.onStateChange} only, so a UI does not flash a notice per attempt.
   */
  onDisconnected(listener: (event: DisconnectEvent) => void): Unsubscribe {
    return this.listeners.disconnected.add(listener);
  }

  /**
   * Calls `listener` with every error: error frames from the server (`code` from the catalogue,
   * e.g. `RATE_LIMITED`, `RUNNER_FAILED`, `NOTHING_TO_CANCEL`), frames that did not decode, a
   * refusal before a retry (e.g. `CONNECTION_LIMIT`), and the error that closed the client
   * (the server's refusal code such as `AUTH_FAILED`, or `CONNECTION_CLOSED`).
   */
  onError(listener: (error: BotwireClientError) => void): Unsubscribe {
    return this.listeners.error.add(listener);
  }

  /** Calls `listener` with every state change and its reason. */
  onStateChange(listener: (change: StateChange) => void): Unsubscribe {
    return this.listeners.stateChange.add(listener);
  }

  /** Calls `listener` when the conversation was reset: clear it on screen. */
  onSessionReset(listener: (event: SessionResetEvent) => void): Unsubscribe {
    return this.listeners.sessionReset.add(listener);
  }

  /**
   * Calls `listener` after `resync_required`: the server no longer had every event missed while
   * disconnected. Live events keep coming; reload the history over REST (e.g.
   * `BackendClient.getHistory`) and merge live messages into it by `id`.
   */
  onResync(listener: (event: ResyncEvent) => void): Unsubscribe {
    return this.listeners.resync.add(listener);
  }

  /**
   * Calls `listener` with every `event` of the client; the typed way to listen, next to the
   * `onMessage`-style methods (which it shares listeners with).
   *
   * @example
   * ```ts
   * client.on('message', (message) => render(message));
   * client.on('stateChange', ({ current }) => showStatus(current));
   * ```
   */
  on<TEvent extends keyof ClientEventMap>(
    event: TEvent,
    listener: (payload: ClientEventMap[TEvent]) => void,
  ): Unsubscribe {
    return this.listeners[event].add(listener);
  }

  /** Removes one registration of `listener` for `event` (added with `on`). */
  off<TEvent extends keyof ClientEventMap>(
    event: TEvent,
    listener: (payload: ClientEventMap[TEvent]) => void,
  ): void {
    this.listeners[event].remove(listener);
  }

  /**
   * Calls `listener` with the next `event` only; without a listener, resolves with it.
   *
   * @example
   * ```ts
   * const frame = await client.once('connected');
   * ```
   */
  once<TEvent extends keyof ClientEventMap>(
    event: TEvent,
    listener: (payload: ClientEventMap[TEvent]) => void,
  ): Unsubscribe;
  once<TEvent extends keyof ClientEventMap>(event: TEvent): Promise<ClientEventMap[TEvent]>;
  once<TEvent extends keyof ClientEventMap>(
    event: TEvent,
    listener?: (payload: ClientEventMap[TEvent]) => void,
  ): Unsubscribe | Promise<ClientEventMap[TEvent]> {
    if (listener !== undefined) {
      const unsubscribe = this.listeners[event].add((payload) => {
        unsubscribe();
        listener(payload);
      });
      return unsubscribe;
    }
    return new Promise((resolve) => {
      const unsubscribe = this.listeners[event].add((payload) => {
        unsubscribe();
        resolve(payload);
      });
    });
  }

  /** Hands a reply snapshot to the {@link Reply} waiting for it, if there is one. */
  private routeToReply(message: ChatMessage): void {
    if (message.role !== 'assistant' || message.reply_to === null) return;
    const reply = this.replies.get(message.reply_to);
    if (reply === undefined) return;
    reply.update(message);
    if (reply.isDone) this.replies.delete(message.reply_to);
  }

  /** The replies still waiting, to be failed with the closing error; the map is emptied. */
  private abandonReplies(): { reject(error: BotwireClientError): void }[] {
    const replies = [...this.replies.values()];
    this.replies.clear();
    return replies.map((reply) => ({ reject: (error) => reply.fail(error) }));
  }

  /** `autoResync`: reloads the history, reports it, and ends replies that ended meanwhile. */
  private async reloadHistory(): Promise<void> {
    const source = this.options.autoResync;
    if (source === undefined) return;
    try {
      const history = await source.getHistory(
        this.pipelineId,
        this.sessionType,
        this.options.session === undefined ? {} : { session: this.options.session },
      );
      for (const message of history.messages) this.routeToReply(message);
      this.listeners.history.emit({ messages: history.messages, hasMore: history.has_more });
    } catch (error) {
      this.listeners.error.emit(
        error instanceof BotwireClientError
          ? error
          : new BotwireClientError({
              code: 'NETWORK_ERROR',
              message: `Reloading the history after a resync failed: ${String(error)}`,
              cause: error,
            }),
      );
    }
  }

  private connectUrl(): string {
    const url = joinWebSocketUrl(
      this.baseUrl,
      `/api/v1/pipelines/${encodeURIComponent(this.pipelineId)}/ws/connect`,
    );
    url.searchParams.set('session_type', this.sessionType);
    url.searchParams.set('stream', this.options.streamMode);
    if (this.options.session !== undefined) url.searchParams.set('session', this.options.session);
    const { lastSeq } = this;
    if (lastSeq !== undefined) url.searchParams.set('last_seq', String(lastSeq));
    return url.toString();
  }

  /** Sends an outbox entry if there is an open socket, noting which one it went out on. */
  private transmit(entry: PendingSend): void {
    if (this.transport.send(entry.text)) entry.sentOn = this.transport.generation;
  }
}
