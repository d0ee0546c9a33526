import {
  CLOSE_CODES,
  decodeClientFrame,
  decodeServerFrame,
  encodeFrame,
  isRetryableCloseCode,
  textToChain,
  type ChatMessage,
  type ConnectedFrame,
  type ErrorFrame,
  type MessageChain,
  type ServerFrame,
  type SessionType,
} from '@botwire/protocol';
import { backoffDelay } from './backoff.js';
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
import { TRANSPORT_CLOSE_CODES, errorForCloseCode, errorFromFrame } from './close-errors.js';
import {
  resolveClientOptions,
  resolveWebSocketConstructor,
  type ResolvedClientOptions,
  type WebSocketClientOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './client-options.js';
import {
  STATE_REASONS,
  type ConnectionState,
  type StateChange,
  type StateReason,
} from './connection-state.js';
import { Heartbeat } from './heartbeat.js';
import { ListenerSet, type Unsubscribe } from './listener-set.js';
import { Outbox, type OutboxEntry } from './outbox.js';
import { ReplyAssembler } from './reply-assembler.js';

/** A message waiting in the outbox for its acknowledgement. */
interface PendingSend extends OutboxEntry {
  /** The encoded `message` frame, sent again as is after a reconnect. */
  text: string;
  /** The socket generation it was last sent on; undefined while it has not gone out. */
  sentOn: number | undefined;
  resolve(message: ChatMessage): void;
  reject(error: BotwireClientError): void;
}

interface ConnectWaiter {
  resolve(): void;
  reject(error: BotwireClientError): void;
}

/** How a socket ended, as the client sees it. */
interface SocketEnd {
  code: number;
  reason: string;
  cause: StateReason;
}

type StateDetails = Omit<StateChange, 'previous' | 'current'>;

/** `readyState` of an open socket (the standard `WebSocket.OPEN`, which fakes may lack). */
const OPEN = 1;

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
  private readonly assembler: ReplyAssembler;
  private readonly heartbeat: Heartbeat;
  private readonly listeners = {
    message: new ListenerSet<ChatMessage>(),
    broadcast: new ListenerSet<BroadcastEvent>(),
    connected: new ListenerSet<ConnectedFrame>(),
    disconnected: new ListenerSet<DisconnectEvent>(),
    error: new ListenerSet<BotwireClientError>(),
    stateChange: new ListenerSet<StateChange>(),
    sessionReset: new ListenerSet<SessionResetEvent>(),
    resync: new ListenerSet<ResyncEvent>(),
  };

  private currentState: ConnectionState = 'idle';
  private currentLastSeq: number | undefined;
  private currentConnectionId: string | undefined;
  private WebSocketClass: WebSocketConstructor | undefined;
  private socket: WebSocketLike | undefined;
  /** Counts sockets, so an outbox entry knows whether it went out on the current one. */
  private generation = 0;
  /** Whether the current socket got its `connected` frame. */
  private isSocketConnected = false;
  /** An error frame that came before `connected`: a refusal, reported with the close after it. */
  private refusal: ErrorFrame | undefined;
  /** Retries made since the last healthy connection. */
  private attempt = 0;
  private connectWaiters: ConnectWaiter[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private healthyTimer: ReturnType<typeof setTimeout> | undefined;

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
    this.assembler = new ReplyAssembler(this.options.streamMode);
    this.heartbeat = new Heartbeat({
      intervalMs: this.options.heartbeatIntervalMs,
      timeoutMs: this.options.heartbeatTimeoutMs,
      sendPing: () => this.sendText(encodeFrame({ type: 'ping' })),
      onTimeout: () => this.handleHeartbeatTimeout(),
    });
  }

  /** Where the client is; see {@link ConnectionState}. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /**
   * The newest conversation `seq` processed; sent as `last_seq` when reconnecting. Undefined
   * until the first `connected` frame.
   */
  get lastSeq(): number | undefined {
    return this.currentLastSeq;
  }

  /** The id the server gave the current (or last) connection; user messages it sent carry it. */
  get connectionId(): string | undefined {
    return this.currentConnectionId;
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
    if (this.currentState === 'connected') return Promise.resolve();
    if (this.currentState === 'idle' || this.currentState === 'closed') {
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
      this.WebSocketClass = WebSocketClass;
      this.attempt = 0;
    }
    const connected = new Promise<void>((resolve, reject) => {
      this.connectWaiters.push({ resolve, reject });
    });
    if (this.currentState === 'idle' || this.currentState === 'closed') {
      this.setState('connecting', { reason: STATE_REASONS.CONNECT_CALLED });
      // A listener may have called disconnect() already.
      if (this.state === 'connecting') this.openSocket();
    }
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
    if (this.currentState === 'idle' || this.currentState === 'closed') {
      return Promise.reject(
        new BotwireClientError({
          code: 'NOT_CONNECTED',
          message: 'The client is not connected; call connect() first.',
        }),
      );
    }
    const clientId = options.clientId ?? createClientId();
    const message = typeof chainOrText === 'string' ? textToChain(chainOrText) : chainOrText;
    const text = encodeFrame({ type: 'message', message, client_id: clientId });
    // The server's own decoder: a chain it would refuse fails here, at once and by this call,
    // instead of as an error frame that names no message.
    const checked = decodeClientFrame(text);
    if (!checked.ok) {
      return Promise.reject(
        new BotwireClientError({ code: checked.error.code, message: checked.error.message }),
      );
    }
    return new Promise<ChatMessage>((resolve, reject) => {
      const entry: PendingSend = { clientId, text, sentOn: undefined, resolve, reject };
      try {
        this.outbox.add(entry);
      } catch (error) {
        // OUTBOX_FULL, or a client_id that is already waiting.
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      if (this.currentState === 'connected') this.transmit(entry);
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
    if (this.currentState !== 'connected' || !this.sendText(frame)) {
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
    if (this.currentState === 'idle' || this.currentState === 'closed') return;
    const wasConnected = this.isSocketConnected;
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) {
      if (socket.readyState === OPEN) socket.send(encodeFrame({ type: 'disconnect' }));
      socket.close(CLOSE_CODES.NORMAL, 'client disconnected');
    }
    const error = new BotwireClientError({
      code: 'CONNECTION_CLOSED',
      message: 'disconnect() was called.',
      closeCode: CLOSE_CODES.NORMAL,
    });
    this.stop({
      reason: STATE_REASONS.DISCONNECT_CALLED,
      closeCode: CLOSE_CODES.NORMAL,
      error,
      disconnectEvent: wasConnected
        ? { code: CLOSE_CODES.NORMAL, reason: 'client disconnected', willReconnect: false }
        : undefined,
    });
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

  // ---- Sockets ------------------------------------------------------------------------------

  private openSocket(): void {
    const WebSocketClass = this.WebSocketClass;
    if (WebSocketClass === undefined) return;
    this.generation += 1;
    this.isSocketConnected = false;
    this.refusal = undefined;
    let socket: WebSocketLike;
    try {
      socket = new WebSocketClass(this.connectUrl());
    } catch (error) {
      this.handleSocketEnd({
        code: 1006,
        reason: error instanceof Error ? error.message : 'the WebSocket could not be created',
        cause: STATE_REASONS.TRANSPORT_ERROR,
      });
      return;
    }
    this.socket = socket;
    // Every handler first checks that its socket is still the current one: a socket the client
    // gave up on (heartbeat timeout, disconnect) may still report events later.
    socket.onopen = () => {
      if (this.socket !== socket) return;
      const { token } = this.options;
      if (token !== undefined) this.sendText(encodeFrame({ type: 'authenticate', token }));
    };
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.handleSocketEnd({
        code: event.code,
        reason: event.reason,
        cause: TRANSPORT_CLOSE_CODES.has(event.code)
          ? STATE_REASONS.TRANSPORT_ERROR
          : STATE_REASONS.SERVER_CLOSED,
      });
    };
    // Left in place even on abandoned sockets: the close event that follows carries the code,
    // and the `ws` package throws an error event that has no listener.
    socket.onerror = () => undefined;
  }

  private connectUrl(): string {
    const url = joinWebSocketUrl(
      this.baseUrl,
      `/api/v1/pipelines/${encodeURIComponent(this.pipelineId)}/ws/connect`,
    );
    url.searchParams.set('session_type', this.sessionType);
    url.searchParams.set('stream', this.options.streamMode);
    if (this.options.session !== undefined) url.searchParams.set('session', this.options.session);
    if (this.currentLastSeq !== undefined) {
      url.searchParams.set('last_seq', String(this.currentLastSeq));
    }
    return url.toString();
  }

  /** Sends on the current socket if it is open; false when there is none. */
  private sendText(text: string): boolean {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== OPEN) return false;
    socket.send(text);
    return true;
  }

  private transmit(entry: PendingSend): void {
    if (this.sendText(entry.text)) entry.sentOn = this.generation;
  }

  private handleSocketEnd(end: SocketEnd): void {
    const wasConnected = this.isSocketConnected;
    const refusal = this.refusal;
    this.isSocketConnected = false;
    this.refusal = undefined;
    this.stopConnectionTimers();
    const { maxReconnectAttempts } = this.options;

    if (!isRetryableCloseCode(end.code)) {
      const error =
        refusal === undefined
          ? errorForCloseCode(end.code, end.reason)
          : errorFromFrame(refusal, end.code);
      this.stop({
        reason: STATE_REASONS.FINAL_CLOSE_CODE,
        closeCode: end.code,
        error,
        disconnectEvent: { code: end.code, reason: end.reason, willReconnect: false },
      });
      return;
    }
    if (this.attempt >= maxReconnectAttempts) {
      const why = refusal === undefined ? end.reason : refusal.message;
      const error = new BotwireClientError({
        code: 'CONNECTION_CLOSED',
        message: `Gave up after ${this.attempt} reconnect attempts; the last connection ended with ${end.code}${why === '' ? '' : ` (${why})`}.`,
        closeCode: end.code,
      });
      this.stop({
        reason: STATE_REASONS.RETRIES_EXHAUSTED,
        closeCode: end.code,
        attempt: this.attempt,
        maxAttempts: maxReconnectAttempts,
        error,
        disconnectEvent: { code: end.code, reason: end.reason, willReconnect: false },
      });
      return;
    }

    const { backoff } = this.options;
    const delayMs = backoffDelay({
      // A full server says so with 4029: wait in the widest window straight away.
      ...(end.code === CLOSE_CODES.CONNECTION_LIMIT
        ? { ...backoff, initialDelayMs: backoff.maxDelayMs }
        : backoff),
      attempt: this.attempt,
      random: this.options.random,
    });
    this.attempt += 1;
    // Scheduled before any listener runs, so a disconnect() from a listener can cancel it.
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.openSocket();
    }, delayMs);
    this.setState('reconnecting', {
      reason: end.cause,
      closeCode: end.code,
      attempt: this.attempt,
      maxAttempts: maxReconnectAttempts,
      delayMs,
    });
    // A retryable refusal (e.g. CONNECTION_LIMIT) still deserves a word.
    if (refusal !== undefined) this.listeners.error.emit(errorFromFrame(refusal, end.code));
    if (wasConnected) {
      this.listeners.disconnected.emit({ code: end.code, reason: end.reason, willReconnect: true });
    }
  }

  /** Ends for good: state `closed`, and everything waiting is told why. */
  private stop(options: {
    reason: StateReason;
    closeCode: number;
    attempt?: number;
    maxAttempts?: number;
    /** Why: what a pending `connect()` and unacknowledged sends reject with. */
    error: BotwireClientError;
    disconnectEvent: DisconnectEvent | undefined;
  }): void {
    const { error, disconnectEvent, ...details } = options;
    this.stopConnectionTimers();
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.isSocketConnected = false;
    // Taken before any listener runs: a connect() from a listener starts afresh.
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    const unacknowledged = this.outbox.drain();
    const isDisconnectCalled = options.reason === STATE_REASONS.DISCONNECT_CALLED;
    this.setState(
      'closed',
      isDisconnectCalled
        ? { reason: details.reason, closeCode: details.closeCode }
        : { ...details, error },
    );
    // Being told to stop is not an error.
    if (!isDisconnectCalled) this.listeners.error.emit(error);
    if (disconnectEvent !== undefined) this.listeners.disconnected.emit(disconnectEvent);
    for (const waiter of waiters) waiter.reject(error);
    for (const entry of unacknowledged) entry.reject(error);
  }

  // ---- Frames -------------------------------------------------------------------------------

  private receive(data: unknown): void {
    this.heartbeat.alive();
    if (typeof data !== 'string') {
      this.listeners.error.emit(
        new BotwireClientError({
          code: 'BAD_FRAME',
          message: 'Botwire frames are JSON text; a binary frame was ignored.',
        }),
      );
      return;
    }
    const decoded = decodeServerFrame(data);
    if (!decoded.ok) {
      this.listeners.error.emit(
        new BotwireClientError({ code: decoded.error.code, message: decoded.error.message }),
      );
      return;
    }
    this.handleFrame(decoded.value);
  }

  private handleFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'connected':
        this.handleConnected(frame);
        return;
      case 'user_message': {
        // The outbox comes before de-duplication: a retried send is acknowledged again with its
        // original (old) seq, and that acknowledgement must still settle the send.
        const clientId = frame.data.client_id;
        const entry =
          clientId === undefined || clientId === null ? undefined : this.outbox.take(clientId);
        if (entry === undefined && this.isProcessed(frame.seq)) return;
        this.advanceSeq(frame.seq);
        this.listeners.message.emit(frame.data);
        entry?.resolve(frame.data);
        return;
      }
      case 'response':
        if (this.isProcessed(frame.seq)) return;
        this.advanceSeq(frame.seq);
        this.listeners.message.emit(this.assembler.apply(frame.data));
        return;
      case 'session_reset':
        if (this.isProcessed(frame.seq)) return;
        this.advanceSeq(frame.seq);
        this.assembler.clear();
        this.listeners.sessionReset.emit({ timestamp: frame.timestamp });
        return;
      case 'resync_required':
        // Replace, never keep the old number: sending it again is how resync loops happen.
        this.currentLastSeq = frame.last_seq;
        // Chunks of replies in progress were missed; their final chunks carry the whole text.
        this.assembler.clear();
        this.listeners.resync.emit({ lastSeq: frame.last_seq, reason: frame.reason });
        return;
      case 'pong':
        return;
      case 'broadcast':
        this.listeners.broadcast.emit({ message: frame.message, timestamp: frame.timestamp });
        return;
      case 'error':
        this.handleErrorFrame(frame);
        return;
    }
  }

  private handleConnected(frame: ConnectedFrame): void {
    this.isSocketConnected = true;
    this.refusal = undefined;
    this.currentConnectionId = frame.connection_id;
    // A first connection has nothing to catch up on: events after it have a larger seq. A
    // resumed one catches up through the replay that follows, so its number must not jump.
    this.currentLastSeq ??= frame.last_seq;
    this.heartbeat.start();
    this.healthyTimer = setTimeout(() => {
      this.healthyTimer = undefined;
      this.attempt = 0;
    }, this.options.healthyAfterMs);
    for (const entry of this.outbox.pending()) this.transmit(entry);
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    this.setState('connected', { reason: STATE_REASONS.OPENED });
    this.listeners.connected.emit(frame);
    for (const waiter of waiters) waiter.resolve();
  }

  private handleErrorFrame(frame: ErrorFrame): void {
    if (!this.isSocketConnected) {
      this.refusal = frame;
      return;
    }
    if (frame.code === 'QUEUE_FULL') {
      // The server handles a connection's messages in order and answers each with either its
      // acknowledgement or this error, so the refused one is the oldest still unanswered here.
      const refused = this.outbox.find((entry) => entry.sentOn === this.generation);
      if (refused !== undefined) {
        this.outbox.take(refused.clientId);
        refused.reject(errorFromFrame(frame, undefined));
      }
    }
    this.listeners.error.emit(errorFromFrame(frame, undefined));
  }

  private isProcessed(seq: number): boolean {
    return this.currentLastSeq !== undefined && seq <= this.currentLastSeq;
  }

  private advanceSeq(seq: number): void {
    this.currentLastSeq = Math.max(this.currentLastSeq ?? 0, seq);
  }

  // ---- Timers -------------------------------------------------------------------------------

  private handleHeartbeatTimeout(): void {
    const socket = this.socket;
    // Abandon the socket instead of waiting for its close: on a dead network the close
    // handshake itself can take minutes to fail.
    this.socket = undefined;
    socket?.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
    this.handleSocketEnd({
      code: CLOSE_CODES.HEARTBEAT_TIMEOUT,
      reason: `no frame within ${this.options.heartbeatTimeoutMs} ms of a ping`,
      cause: STATE_REASONS.HEARTBEAT_TIMEOUT,
    });
  }

  private stopConnectionTimers(): void {
    this.heartbeat.stop();
    if (this.healthyTimer !== undefined) clearTimeout(this.healthyTimer);
    this.healthyTimer = undefined;
  }

  private setState(current: ConnectionState, details: StateDetails): void {
    const previous = this.currentState;
    this.currentState = current;
    this.listeners.stateChange.emit({ previous, current, ...details });
  }
}
