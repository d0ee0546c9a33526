import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  decodeClientFrame,
  encodeFrame,
  type ErrorCode,
} from '@botwire/protocol';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { PlatformAdapter } from '../adapters/platform-adapter.js';
import type { AuthService } from '../auth/auth-service.js';
import { isOriginAllowed } from '../auth/origin-policy.js';
import { canUsePipeline, type Principal } from '../auth/principal.js';
import { SESSION_COOKIE_NAME, extractToken } from '../auth/request-credentials.js';
import { hashToken } from '../auth/secret-tokens.js';
import type { Config } from '../config/config.js';
import type { ConversationEvent } from '../conversations/conversation-event.js';
import { resolveConversation } from '../conversations/conversation-key.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PipelineService } from '../pipelines/pipeline-service.js';
import { matchConnectPath, parseConnectQuery } from './connect-request.js';
import { Connection } from './connection.js';
import type { ConnectionManager } from './connection-manager.js';
import { ConnectionSession } from './connection-session.js';
import { toText } from './raw-data.js';

/** Options for {@link WebSocketGateway}. */
export interface WebSocketGatewayOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  auth: AuthService;
  pipelines: PipelineService;
  conversations: ConversationService;
  connections: ConnectionManager;
  adapter: PlatformAdapter;
}

/** Frames a client may send before its connection is ready; more is abuse. */
const MAX_EARLY_FRAMES = 32;

/** A refusal: the error frame to send, then the close code. */
class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
  }
}

interface EarlyFrame {
  data: RawData;
  isBinary: boolean;
}

/**
 * Accepts WebSocket upgrades on the chat endpoint and turns each into an authenticated
 * connection joined to its conversation. Every refusal is an `error` frame naming the cause
 * followed by a documented close code, so a client knows whether retrying can help.
 */
export class WebSocketGateway {
  private readonly server: WebSocketServer;
  private accepting = true;
  private readonly sessions = new Set<ConnectionSession>();

  constructor(private readonly options: WebSocketGatewayOptions) {
    this.server = new WebSocketServer({
      noServer: true,
      // Frames between the soft and hard limits get a FRAME_TOO_LARGE error and the connection
      // stays; only absurd ones close it (1009), since ws must buffer a frame to measure it.
      maxPayload: options.config.websocket.maxFrameBytes * 4,
      perMessageDeflate: false,
      clientTracking: false,
    });
  }

  /** Handles an HTTP upgrade request; anything but the chat endpoint is answered with 404. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const pipelineUuid = matchConnectPath(url.pathname);
    if (pipelineUuid === undefined) {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (!this.accepting) {
      rejectUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (websocket) => {
      void this.admit(websocket, request, url, pipelineUuid);
    });
  }

  /** Refuses new connections from now on (shutdown). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolves when every connection's received frames have been handled. */
  async idle(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.idle()));
  }

  private async admit(
    websocket: WebSocket,
    request: IncomingMessage,
    url: URL,
    pipelineUuid: string,
  ): Promise<void> {
    const { config, logger } = this.options;
    const early: EarlyFrame[] = [];
    let wakeUp: (() => void) | undefined;
    const onEarlyFrame = (data: RawData, isBinary: boolean): void => {
      early.push({ data, isBinary });
      wakeUp?.();
    };
    websocket.on('message', onEarlyFrame);
    websocket.on('error', (error) => logger.debug({ err: error }, 'websocket error'));
    const remoteAddress = request.socket.remoteAddress ?? 'unknown';

    try {
      if (
        !isOriginAllowed({
          origin: request.headers.origin,
          host: request.headers.host,
          allowedOrigins: config.auth.allowedOrigins,
        })
      ) {
        throw new Refusal(
          'ORIGIN_NOT_ALLOWED',
          `Origin ${request.headers.origin ?? ''} is not allowed; add it to BOTWIRE_ALLOWED_ORIGINS.`,
          CLOSE_CODES.FORBIDDEN,
        );
      }
      const query = parseConnectQuery(pipelineUuid, url.searchParams);
      if (!query.ok) throw new Refusal('BAD_REQUEST', query.error, CLOSE_CODES.BAD_REQUEST);
      const connectRequest = query.value;
      // Fail fast before any database work; checked again just before the connection is added.
      this.checkLimits();

      const token = extractToken({
        authorization: request.headers.authorization,
        cookie: request.headers.cookie,
        cookieName: SESSION_COOKIE_NAME,
      });
      const credential =
        token ?? (await this.awaitAuthenticateFrame(websocket, early, (wake) => (wakeUp = wake)));
      const principal = await this.options.auth.authenticate(credential);
      if (principal === undefined) {
        throw new Refusal(
          'AUTH_FAILED',
          'The token or API key was rejected; sign in again or use a valid key.',
          CLOSE_CODES.UNAUTHENTICATED,
        );
      }
      const pipeline = await this.options.pipelines.find(pipelineUuid);
      if (pipeline === undefined) {
        throw new Refusal(
          'PIPELINE_NOT_FOUND',
          `No pipeline has uuid ${pipelineUuid}.`,
          CLOSE_CODES.PIPELINE_NOT_FOUND,
        );
      }
      if (!canUsePipeline(principal, pipelineUuid)) {
        throw new Refusal(
          'FORBIDDEN',
          `${principal.name} may not use pipeline ${pipelineUuid}.`,
          CLOSE_CODES.FORBIDDEN,
        );
      }
      if (early.length > MAX_EARLY_FRAMES) {
        throw new Refusal(
          'BAD_REQUEST',
          `More than ${MAX_EARLY_FRAMES} frames arrived before the connection was ready; wait for "connected".`,
          CLOSE_CODES.BAD_REQUEST,
        );
      }
      this.checkLimits(principal);

      const identity = resolveConversation({
        pipelineUuid,
        sessionType: connectRequest.sessionType,
        principal,
        session: connectRequest.session,
      });
      const conversation = await this.options.conversations.open(identity);
      if (websocket.readyState !== websocket.OPEN) return;
      // Checked here, with nothing awaited before the connection is added, so concurrent
      // connects cannot overshoot the limits.
      this.checkLimits(principal);

      const connection = new Connection({
        id: randomUUID(),
        socket: websocket,
        placement: {
          pipelineUuid,
          sessionType: connectRequest.sessionType,
          session: identity.session,
          conversationKey: conversation.key,
        },
        principal,
        credentialHash: hashToken(credential),
        remoteAddress,
        streamMode: connectRequest.streamMode,
        maxSendBufferBytes: config.websocket.maxSendBufferBytes,
        onSlowConsumer: (slow) => {
          this.options.metrics.errors.inc({ code: 'SLOW_CONSUMER' });
          logger.warn(
            { connection: slow.id, buffered: slow.socket.bufferedAmount },
            'closing a slow consumer',
          );
        },
      });
      const session = new ConnectionSession({
        connection,
        conversation,
        conversations: this.options.conversations,
        adapter: this.options.adapter,
        logger,
        metrics: this.options.metrics,
        maxFrameBytes: config.websocket.maxFrameBytes,
        maxFramesPerSecond: config.websocket.maxFramesPerSecond,
      });
      const mode = connection.streamMode;
      const framesOut = this.options.metrics.framesOut;
      const listener = (event: ConversationEvent): void => {
        if (connection.sendText(event.encode(mode))) framesOut.inc();
      };

      this.options.connections.add(connection);
      this.sessions.add(session);
      this.options.metrics.connections.inc();
      // Subscribing, the connected frame and the replay happen in one synchronous step, so
      // no event can slip in between or arrive twice.
      const outcome = conversation.channel.subscribe(listener, connectRequest.lastSeq);
      connection.send({
        type: 'connected',
        connection_id: connection.id,
        pipeline_uuid: pipelineUuid,
        session_type: connectRequest.sessionType,
        session: identity.session,
        heartbeat_interval_ms: config.websocket.heartbeatIntervalMs,
        last_seq: outcome.lastSeq,
        protocol_version: PROTOCOL_VERSION,
        timestamp: new Date().toISOString(),
      });
      if (outcome.kind === 'resumed') {
        for (const event of outcome.missed) listener(event);
      } else if (outcome.kind === 'resync') {
        connection.send({
          type: 'resync_required',
          last_seq: outcome.lastSeq,
          reason: resyncReason(connectRequest.lastSeq ?? 0, outcome.lastSeq),
        });
      }

      websocket.off('message', onEarlyFrame);
      websocket.on('message', (data, isBinary) => session.receive(data, isBinary));
      websocket.on('pong', () => connection.markSeen(false));
      websocket.once('close', (code) => {
        conversation.channel.unsubscribe(listener);
        this.options.connections.remove(connection);
        this.sessions.delete(session);
        this.options.metrics.connections.dec();
        logger.debug({ connection: connection.id, code }, 'connection closed');
      });
      logger.debug(
        {
          connection: connection.id,
          pipeline: pipelineUuid,
          sessionType: connectRequest.sessionType,
          principal: principal.id,
        },
        'connection opened',
      );
      for (const frame of early) session.receive(frame.data, frame.isBinary);
    } catch (error) {
      const refusal =
        error instanceof Refusal
          ? error
          : new Refusal(
              'INTERNAL_ERROR',
              'The server could not set up the connection; try again.',
              CLOSE_CODES.INTERNAL_ERROR,
            );
      if (error instanceof Refusal) {
        logger.info(
          {
            code: refusal.code,
            closeCode: refusal.closeCode,
            remoteAddress,
            reason: refusal.message,
          },
          'connection refused',
        );
      } else {
        logger.error({ err: error }, 'connection setup failed');
      }
      this.options.metrics.errors.inc({ code: refusal.code });
      refuse(websocket, refusal);
    }
  }

  /**
   * Waits for the first frame to be `authenticate` and checks its token. Browsers cannot set
   * headers on a WebSocket, so this is how they send credentials other than the cookie.
   */
  private async awaitAuthenticateFrame(
    websocket: WebSocket,
    early: EarlyFrame[],
    setWakeUp: (wake: () => void) => void,
  ): Promise<string> {
    const timeoutMs = this.options.config.auth.authenticateTimeoutMs;
    const first = await new Promise<EarlyFrame | undefined>((resolve) => {
      if (early[0] !== undefined) {
        resolve(early[0]);
        return;
      }
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        websocket.off('close', wake);
        resolve(early[0]);
      };
      // A client that leaves while we wait frees its slot at once, not at the deadline.
      websocket.once('close', wake);
      setWakeUp(wake);
    });
    if (first === undefined) {
      throw new Refusal(
        'AUTH_TIMEOUT',
        `No credentials: send an Authorization header, the session cookie, or an authenticate frame within ${timeoutMs} ms.`,
        CLOSE_CODES.UNAUTHENTICATED,
      );
    }
    early.shift();
    const decoded = first.isBinary ? undefined : decodeClientFrame(toText(first.data));
    if (decoded === undefined || !decoded.ok || decoded.value.type !== 'authenticate') {
      throw new Refusal(
        'NOT_AUTHENTICATED',
        'The first frame must be {"type":"authenticate","token":"..."} when no Authorization header or session cookie is sent.',
        CLOSE_CODES.UNAUTHENTICATED,
      );
    }
    return decoded.value.token;
  }

  /** Refuses when the server, or `principal`, has no connection to spare. */
  private checkLimits(principal?: Principal): void {
    const { maxConnections, maxConnectionsPerPrincipal } = this.options.config.websocket;
    if (this.options.connections.size >= maxConnections) {
      throw new Refusal(
        'CONNECTION_LIMIT',
        'The server is at its connection limit; try again later.',
        CLOSE_CODES.CONNECTION_LIMIT,
      );
    }
    if (
      principal !== undefined &&
      this.options.connections.countForPrincipal(principal.id) >= maxConnectionsPerPrincipal
    ) {
      throw new Refusal(
        'CONNECTION_LIMIT',
        `${principal.name} already has ${maxConnectionsPerPrincipal} connections open; close some first.`,
        CLOSE_CODES.CONNECTION_LIMIT,
      );
    }
  }
}

function resyncReason(clientSeq: number, serverSeq: number): string {
  if (clientSeq > serverSeq) {
    return `last_seq ${clientSeq} is ahead of this conversation (${serverSeq}): it predates a server restart or a reset. Reload the history over REST.`;
  }
  return `Events after seq ${clientSeq} are no longer kept (older than the replay window or a restart). Reload the history over REST.`;
}

function refuse(websocket: WebSocket, refusal: Refusal): void {
  if (websocket.readyState !== websocket.OPEN) return;
  websocket.send(encodeFrame({ type: 'error', code: refusal.code, message: refusal.message }));
  websocket.close(refusal.closeCode, refusal.message.slice(0, 120));
  const timer = setTimeout(() => websocket.terminate(), 1_000);
  timer.unref();
  websocket.once('close', () => clearTimeout(timer));
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
