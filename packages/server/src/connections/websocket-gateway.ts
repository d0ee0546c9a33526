import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES } from '@botwire/protocol';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PlatformAdapter } from '../pipelines/platform-adapter.js';
import type { AuthService } from '../auth/auth-service.js';
import { isOriginAllowed } from '../auth/origin-policy.js';
import { canUsePipeline, type Principal } from '../auth/principal.js';
import { SESSION_COOKIE_NAME, extractToken } from '../auth/request-credentials.js';
import type { Config } from '../config/config.js';
import { resolveConversation } from '../conversations/conversation-key.js';
import type { ConversationService } from '../pipelines/conversation-service.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { MessageBudget } from '../quotas/message-budget.js';
import type { PipelineService } from '../pipelines/pipeline-service.js';
import { isVisitorToken } from '../widget/visitor-token.js';
import type { AuthenticatedVisitor, WidgetService } from '../widget/widget-service.js';
import { VisitorAdmission } from './visitor-admission.js';
import { matchConnectPath, parseConnectQuery } from './connect-request.js';
import { ConnectionAttacher } from './connection-attachment.js';
import type { ConnectionManager } from './connection-manager.js';
import { Refusal, refusalFor, refuse, rejectUpgrade } from './connection-refusal.js';
import { EarlyFrames } from './early-frames.js';
import { FlushScheduler } from './flush-scheduler.js';
import { PendingGate, type PendingSocket } from './pending-gate.js';
import { RefusalLog } from './refusal-log.js';

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
  /** Size, byte-rate and storage limits of messages; none when absent. */
  messageBudget?: MessageBudget;
  /** Batches each tick's socket writes; a fresh one when absent. */
  flushScheduler?: FlushScheduler;
  /** Public pipelines: visitor tokens and their limits; visitors are refused when absent. */
  widgets?: WidgetService;
}

/** Frames a client may send before its connection is ready; more is abuse. */
const MAX_EARLY_FRAMES = 32;

/**
 * Accepts WebSocket upgrades on the chat endpoint and turns each into an authenticated
 * connection joined to its conversation. Every refusal is an `error` frame naming the cause
 * followed by a documented close code, so a client knows whether retrying can help.
 */
export class WebSocketGateway {
  private readonly server: WebSocketServer;
  private readonly attacher: ConnectionAttacher;
  private readonly gate: PendingGate;
  private readonly refusalLog: RefusalLog;
  private readonly visitors: VisitorAdmission;
  private accepting = true;
  /** One listener for every socket's errors, rather than a closure per connection. */
  private readonly onSocketError = (error: Error): void =>
    this.options.logger.debug({ err: error }, 'websocket error');

  constructor(private readonly options: WebSocketGatewayOptions) {
    this.server = new WebSocketServer({
      noServer: true,
      // Frames between the soft and hard limits get a FRAME_TOO_LARGE error and the connection
      // stays; only absurd ones close it (1009), since ws must buffer a frame to measure it.
      maxPayload: options.config.websocket.maxFrameBytes * 4,
      // Off for CPU and memory, and because connections write their frames to the socket
      // themselves (several per write), which only works for uncompressed frames.
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.attacher = new ConnectionAttacher({
      config: options.config,
      logger: options.logger,
      metrics: options.metrics,
      conversations: options.conversations,
      connections: options.connections,
      adapter: options.adapter,
      flushScheduler: options.flushScheduler ?? new FlushScheduler(),
      ...(options.messageBudget === undefined ? {} : { messageBudget: options.messageBudget }),
    });
    this.refusalLog = new RefusalLog({ logger: options.logger });
    this.visitors = new VisitorAdmission({
      connections: options.connections,
      ...(options.widgets === undefined ? {} : { widgets: options.widgets }),
    });
    this.gate = new PendingGate({
      websocket: options.config.websocket,
      metrics: options.metrics,
      refusalLog: this.refusalLog,
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
    if (!this.gate.admitUpgrade(request, socket)) return;
    this.server.handleUpgrade(request, socket, head, (websocket) => {
      const pending = this.gate.enter({ request, websocket, transport: socket, head });
      // admit answers every failure itself; this catch only keeps a bug there from becoming
      // an unhandled rejection in an embedder's process.
      this.admit({ websocket, transport: socket, request, url, pipelineUuid, pending }).catch(
        (error: unknown) => {
          this.options.logger.error({ err: error }, 'connection setup failed');
          websocket.terminate();
        },
      );
    });
  }

  /** Refuses new connections from now on (shutdown). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Resolves when every connection's received frames have been handled. */
  idle(): Promise<void> {
    return this.attacher.idle();
  }

  private async admit(upgrade: {
    websocket: WebSocket;
    transport: Duplex;
    request: IncomingMessage;
    url: URL;
    pipelineUuid: string;
    pending: PendingSocket;
  }): Promise<void> {
    const { config, logger } = this.options;
    const { websocket, request, pipelineUuid } = upgrade;
    const { remoteAddress, preAuth } = upgrade.pending;
    const earlyLimit = 4 * config.websocket.maxFrameBytes;
    const early = new EarlyFrames({
      maxBytes: earlyLimit,
      onOverflow: () => {
        const refusal = new Refusal(
          'BAD_REQUEST',
          `More than ${earlyLimit} bytes of frames arrived before the connection was ready; wait for "connected".`,
          CLOSE_CODES.BAD_REQUEST,
        );
        this.reportRefusal(refusal, remoteAddress);
        refuse(websocket, refusal);
      },
    });
    websocket.on('message', early.listener);
    websocket.on('error', this.onSocketError);

    try {
      const requestOrigin = { origin: request.headers.origin, host: request.headers.host };
      const serverOriginAllowed = isOriginAllowed({
        ...requestOrigin,
        allowedOrigins: config.auth.allowedOrigins,
      });
      // A page on a site the pipeline's widget may be embedded in goes on: only a visitor token
      // is accepted from there (checked below).
      if (
        !serverOriginAllowed &&
        !(await this.options.widgets?.allowsOrigin(pipelineUuid, requestOrigin))
      ) {
        throw originRefusal(request.headers.origin);
      }
      const query = parseConnectQuery(pipelineUuid, upgrade.url.searchParams);
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
        token ?? (await early.takeAuthenticateToken(websocket, config.auth.authenticateTimeoutMs));
      let visitor: AuthenticatedVisitor | undefined;
      if (isVisitorToken(credential)) {
        visitor = await this.visitors.authenticate(credential, { ...requestOrigin, pipelineUuid });
      } else if (!serverOriginAllowed) {
        throw originRefusal(request.headers.origin);
      }
      const principal = visitor?.principal ?? (await this.options.auth.authenticate(credential));
      if (preAuth.exceeded) return;
      if (principal === undefined) {
        throw new Refusal(
          'AUTH_FAILED',
          'The token or API key was rejected; sign in again or use a valid key.',
          CLOSE_CODES.UNAUTHENTICATED,
        );
      }
      // Authenticated: from here on, frames are bounded by the frame limits of a connection.
      preAuth.stop();
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
      if (early.overflowed) return;
      if (early.count > MAX_EARLY_FRAMES) {
        throw new Refusal(
          'BAD_REQUEST',
          `More than ${MAX_EARLY_FRAMES} frames arrived before the connection was ready; wait for "connected".`,
          CLOSE_CODES.BAD_REQUEST,
        );
      }
      this.checkLimits(principal);
      if (visitor !== undefined) this.visitors.check(visitor, connectRequest, remoteAddress);

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
      if (visitor !== undefined) this.visitors.check(visitor, connectRequest, remoteAddress);

      websocket.off('message', early.listener);
      upgrade.pending.release();
      this.attacher.attach({
        websocket,
        transport: upgrade.transport,
        request: connectRequest,
        session: identity.session,
        conversation,
        principal,
        credential,
        remoteAddress,
        earlyFrames: early.frames,
        ...(visitor === undefined
          ? {}
          : {
              admitMessage: this.visitors.messageGate(
                visitor,
                conversation.conversationId,
                remoteAddress,
              ),
            }),
      });
    } catch (error) {
      preAuth.stop();
      // Already refused for sending too much before authentication or before being ready.
      if (preAuth.exceeded || early.overflowed) return;
      if (error instanceof Refusal) {
        this.reportRefusal(error, remoteAddress);
        refuse(websocket, error);
        return;
      }
      const refusal = refusalFor(error);
      if (refusal !== undefined) {
        this.reportRefusal(refusal, remoteAddress);
        refuse(websocket, refusal);
        return;
      }
      logger.error({ err: error }, 'connection setup failed');
      const unexpected = new Refusal(
        'INTERNAL_ERROR',
        'The server could not set up the connection; try again.',
        CLOSE_CODES.INTERNAL_ERROR,
      );
      this.options.metrics.errors.inc({ code: unexpected.code });
      refuse(websocket, unexpected);
    }
  }

  /** Counts a refusal and logs it (at a bounded rate). */
  private reportRefusal(refusal: Refusal, remoteAddress: string): void {
    this.options.metrics.errors.inc({ code: refusal.code });
    this.refusalLog.refused({
      code: refusal.code,
      closeCode: refusal.closeCode,
      remoteAddress,
      reason: refusal.message,
    });
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

function originRefusal(origin: string | undefined): Refusal {
  return new Refusal(
    'ORIGIN_NOT_ALLOWED',
    `Origin ${origin ?? ''} is not allowed; add it to BOTWIRE_ALLOWED_ORIGINS.`,
    CLOSE_CODES.FORBIDDEN,
  );
}
