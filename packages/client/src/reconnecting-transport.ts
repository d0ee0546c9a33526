import { CLOSE_CODES, encodeFrame, type ConnectedFrame, type ErrorFrame } from '@botwire/protocol';
import { BotwireClientError } from './client-error.js';
import type { DisconnectEvent } from './client-events.js';
import type { ClientListeners } from './client-listeners.js';
import type {
  ResolvedClientOptions,
  WebSocketConstructor,
  WebSocketLike,
} from './client-options.js';
import { errorFromFrame } from './close-errors.js';
import {
  STATE_REASONS,
  type ConnectionState,
  type StateChange,
  type StateReason,
} from './connection-state.js';
import { Heartbeat } from './heartbeat.js';
import { decideReconnect, socketEndOfClose, type SocketEnd } from './reconnect-policy.js';

/** What the transport needs from the client it carries. */
export interface TransportHooks {
  /** The URL of the next socket (it carries `last_seq`, which moves between sockets). */
  connectUrl(): string;
  /** The data of a message event of the current socket. */
  receive(data: unknown): void;
  /** The server accepted the connection; runs before the state turns `connected`. */
  accepted(): void;
  /**
   * The client stops for good: hands over what waits for an answer, to be rejected with the
   * closing error. Runs before the state turns `closed`, except when the client gave up
   * retrying: then the outbox is kept for the next `connect()`.
   */
  abandon(): readonly { reject(error: BotwireClientError): void }[];
}

interface ConnectWaiter {
  resolve(): void;
  reject(error: BotwireClientError): void;
}

type StateDetails = Omit<StateChange, 'previous' | 'current'>;

/** `readyState` of an open socket (the standard `WebSocket.OPEN`, which fakes may lack). */
const OPEN = 1;

/**
 * The sockets of one `WebSocketClient` and its {@link ConnectionState}: opens one socket at a
 * time, authenticates it, keeps it alive with the {@link Heartbeat}, and when it ends either
 * schedules the next one or stops for good, as {@link decideReconnect} says.
 *
 * Of the frames it only knows `authenticate`, `ping` and `disconnect`. What arrives goes to
 * {@link TransportHooks.receive}; the frame handling then says when the server accepted the
 * connection ({@link ReconnectingTransport.accept}) or refused it before a close
 * ({@link ReconnectingTransport.refuse}).
 */
export class ReconnectingTransport {
  private readonly heartbeat: Heartbeat;
  private currentState: ConnectionState = 'idle';
  private currentConnectionId: string | undefined;
  private WebSocketClass: WebSocketConstructor | undefined;
  private socket: WebSocketLike | undefined;
  private currentGeneration = 0;
  private isSocketConnected = false;
  /** An error frame that came before `connected`: a refusal, reported with the close after it. */
  private refusal: ErrorFrame | undefined;
  /** Retries made since the last healthy connection. */
  private attempt = 0;
  /** When the connection was lost (or `connect()` was called); undefined while healthy. */
  private lostAt: number | undefined;
  private connectWaiters: ConnectWaiter[] = [];
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private healthyTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly options: ResolvedClientOptions,
    private readonly listeners: ClientListeners,
    private readonly hooks: TransportHooks,
  ) {
    this.heartbeat = new Heartbeat({
      timeoutMs: options.heartbeatTimeoutMs,
      sendPing: () => this.send(encodeFrame({ type: 'ping' })),
      onTimeout: () => this.handleHeartbeatTimeout(),
    });
  }

  /** Where the connection is; every change is emitted to the `stateChange` listeners. */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** The id the server gave the current (or last) connection. */
  get connectionId(): string | undefined {
    return this.currentConnectionId;
  }

  /** Counts sockets, so an outbox entry knows whether it went out on the current one. */
  get generation(): number {
    return this.currentGeneration;
  }

  /** Whether the current socket got its `connected` frame. */
  get isAccepted(): boolean {
    return this.isSocketConnected;
  }

  /** A promise of the next `connected`; rejects with the error that closes the client first. */
  whenConnected(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.connectWaiters.push({ resolve, reject });
    });
  }

  /** Opens the first socket (from `idle` or `closed`), with a fresh retry count. */
  start(WebSocketClass: WebSocketConstructor): void {
    this.WebSocketClass = WebSocketClass;
    this.attempt = 0;
    this.lostAt = Date.now();
    this.setState('connecting', { reason: STATE_REASONS.CONNECT_CALLED });
    // A listener may have called disconnect() already.
    if (this.currentState === 'connecting') this.openSocket();
  }

  /** See `WebSocketClient.disconnect`. */
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

  /** Sends on the current socket if it is open; false when there is none. */
  send(text: string): boolean {
    const socket = this.socket;
    if (socket === undefined || socket.readyState !== OPEN) return false;
    socket.send(text);
    return true;
  }

  /** The server sent `connected` on the current socket: authenticated and joined. */
  accept(frame: ConnectedFrame): void {
    this.isSocketConnected = true;
    this.refusal = undefined;
    this.currentConnectionId = frame.connection_id;
    // The server says how often it pings; pinging as often keeps both sides' view alike.
    this.heartbeat.start(this.options.heartbeatIntervalMs ?? frame.heartbeat_interval_ms);
    this.healthyTimer = setTimeout(() => {
      this.healthyTimer = undefined;
      this.attempt = 0;
      this.lostAt = undefined;
    }, this.options.healthyAfterMs);
    this.hooks.accepted();
    const waiters = this.connectWaiters;
    this.connectWaiters = [];
    this.setState('connected', { reason: STATE_REASONS.OPENED });
    this.listeners.connected.emit(frame);
    for (const waiter of waiters) waiter.resolve();
  }

  /** The server sent `error` before `connected`: the close that follows is a refusal. */
  refuse(frame: ErrorFrame): void {
    this.refusal = frame;
  }

  /**
   * Opens the next socket, after asking `getToken` for the credential when there is one. Without
   * `getToken` the socket is created at once, in the same call.
   */
  private openSocket(): void {
    const { getToken } = this.options;
    if (getToken === undefined) {
      this.createSocket(this.options.token);
      return;
    }
    const generation = ++this.currentGeneration;
    // Still the attempt it was asked for: no disconnect() or other attempt in between.
    const isCurrent = () => this.currentGeneration === generation && this.currentState !== 'closed';
    let pending: Promise<string>;
    try {
      pending = Promise.resolve(getToken());
    } catch (error) {
      pending = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    pending.then(
      (token) => {
        if (isCurrent()) this.createSocket(token);
      },
      (error: unknown) => {
        if (!isCurrent()) return;
        const reason = error instanceof Error ? error.message : String(error);
        this.listeners.error.emit(
          new BotwireClientError({
            code: 'TOKEN_UNAVAILABLE',
            message: `getToken failed: ${reason}`,
            cause: error,
          }),
        );
        this.handleSocketEnd({
          code: 1006,
          reason: `getToken failed: ${reason}`,
          cause: STATE_REASONS.TOKEN_UNAVAILABLE,
        });
      },
    );
  }

  private createSocket(token: string | undefined): void {
    const WebSocketClass = this.WebSocketClass;
    if (WebSocketClass === undefined) return;
    this.currentGeneration += 1;
    this.isSocketConnected = false;
    this.refusal = undefined;
    let socket: WebSocketLike;
    try {
      socket = new WebSocketClass(this.hooks.connectUrl());
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
      if (token !== undefined) this.send(encodeFrame({ type: 'authenticate', token }));
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.heartbeat.alive();
      this.hooks.receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.handleSocketEnd(socketEndOfClose(event));
    };
    // Left in place even on abandoned sockets: the close event that follows carries the code,
    // and the `ws` package throws an error event that has no listener.
    socket.onerror = () => undefined;
  }

  private handleSocketEnd(end: SocketEnd): void {
    const wasConnected = this.isSocketConnected;
    const refusal = this.refusal;
    this.isSocketConnected = false;
    this.refusal = undefined;
    this.stopConnectionTimers();
    const { maxReconnectAttempts } = this.options;
    const now = Date.now();
    this.lostAt ??= now;
    const elapsedMs = now - this.lostAt;
    const decision = decideReconnect(
      end,
      refusal,
      { attempt: this.attempt, elapsedMs },
      this.options,
    );

    if (decision.action === 'stop') {
      const isExhausted = decision.reason === STATE_REASONS.RETRIES_EXHAUSTED;
      this.stop({
        reason: decision.reason,
        closeCode: end.code,
        ...(isExhausted ? { attempt: this.attempt, maxAttempts: maxReconnectAttempts } : {}),
        error: decision.error,
        disconnectEvent: { code: end.code, reason: end.reason, willReconnect: false },
      });
      return;
    }

    const { delayMs } = decision;
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
    // Giving up on the network is not giving up on the messages: a later connect() sends them.
    const unanswered =
      options.reason === STATE_REASONS.RETRIES_EXHAUSTED ? [] : this.hooks.abandon();
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
    for (const entry of unanswered) entry.reject(error);
  }

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
