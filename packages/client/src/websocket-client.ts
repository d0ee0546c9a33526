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
 * client.onMessage((message) => render(message)); // the whole message, each time it changes
 * client.onStateChange(({ current, reason }) => showStatus(current, reason));
 * await client.connect();
 * const sent = await client.sendMessage('Hello there');
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
      abandon: () => this.outbox.drain(),
    });
    this.frames = new FrameDispatcher(
      this.transport,
      this.outbox,
      this.listeners,
      this.options.streamMode,
    );
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
    if (this.state === 'idle' || this.state === 'closed') {
      return Promise.reject(
        new BotwireClientError({
          code: 'NOT_CONNECTED',
          message: 'The client is not connected; call connect() first.',
        }),
      );
    }
    const clientId = options.clientId ?? createClientId();
    const encoded = encodeMessageFrame(chainOrText, clientId);
    if (!encoded.ok) return Promise.reject(encoded.error);
    const { text } = encoded;
    return new Promise<ChatMessage>((resolve, reject) => {
      const entry: PendingSend = { clientId, text, sentOn: undefined, resolve, reject };
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
