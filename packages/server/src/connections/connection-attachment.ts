import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES, PROTOCOL_VERSION, type MessageChain } from '@botwire/protocol';
import type { WebSocket } from 'ws';
import type { PlatformAdapter } from '../pipelines/platform-adapter.js';
import type { Principal } from '../auth/principal.js';
import { hashToken } from '../auth/secret-tokens.js';
import type { Config } from '../config/config.js';
import type {
  ConversationListener,
  ConversationSubscription,
  MissedEvents,
} from '../conversations/conversation-channel.js';
import type { ConversationEvent } from '../conversations/conversation-event.js';
import type { ActiveConversation } from '../pipelines/generation-job.js';
import type { ConversationService } from '../pipelines/conversation-service.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { MessageBudget } from '../quotas/message-budget.js';
import type { ConnectRequest } from './connect-request.js';
import { Connection } from './connection.js';
import type { ConnectionManager } from './connection-manager.js';
import { ConnectionSession } from './connection-session.js';
import type { EarlyFrame } from './early-frames.js';
import type { FlushScheduler } from './flush-scheduler.js';
import { refusalFor } from './connection-refusal.js';

/** What every attached connection shares; see {@link ConnectionAttacher}. */
export interface ConnectionAttacherOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  conversations: ConversationService;
  connections: ConnectionManager;
  adapter: PlatformAdapter;
  flushScheduler: FlushScheduler;
  messageBudget?: MessageBudget;
}

/** One admitted client, ready to be attached. */
export interface Admission {
  websocket: WebSocket;
  /** The TCP socket of the upgrade, written to directly. */
  transport: Duplex;
  request: ConnectRequest;
  /** The conversation key shown to clients (`session`). */
  session: string;
  conversation: ActiveConversation;
  principal: Principal;
  credential: string;
  remoteAddress: string;
  /** Frames that arrived during admission, handled once the connection is ready. */
  earlyFrames: readonly EarlyFrame[];
  /** Checked before each chat message is stored (a widget visitor's limits); throws to refuse. */
  admitMessage?: (chain: MessageChain) => Promise<void>;
}

/**
 * Turns an admitted WebSocket into a live connection: registers it, subscribes it to its
 * conversation, sends `connected` and any replay, and wires the socket's events. Its closures
 * live as long as the connection, so they are made here, apart from the gateway's admission
 * code, and hold only what a live connection needs.
 */
export class ConnectionAttacher {
  private readonly sessions = new Set<ConnectionSession>();

  constructor(private readonly options: ConnectionAttacherOptions) {}

  /** Resolves when every connection's received frames have been handled. */
  async idle(): Promise<void> {
    await Promise.all([...this.sessions].map((session) => session.idle()));
  }

  attach(admission: Admission): void {
    const { config, logger, metrics, connections } = this.options;
    const { websocket, request, conversation } = admission;
    const connection = new Connection({
      id: randomUUID(),
      socket: websocket,
      transport: admission.transport,
      flushScheduler: this.options.flushScheduler,
      placement: {
        pipelineUuid: request.pipelineUuid,
        sessionType: request.sessionType,
        session: admission.session,
        conversationKey: conversation.key,
      },
      principal: admission.principal,
      credentialHash: hashToken(admission.credential),
      remoteAddress: admission.remoteAddress,
      streamMode: request.streamMode,
      maxSendBufferBytes: config.websocket.maxSendBufferBytes,
      onSlowConsumer: this.onSlowConsumer,
    });
    const session = new ConnectionSession({
      connection,
      conversation,
      conversations: this.options.conversations,
      adapter: this.options.adapter,
      logger,
      metrics,
      maxFrameBytes: config.websocket.maxFrameBytes,
      maxFramesPerSecond: config.websocket.maxFramesPerSecond,
      ...(this.options.messageBudget === undefined
        ? {}
        : { messageBudget: this.options.messageBudget }),
      ...(admission.admitMessage === undefined ? {} : { admitMessage: admission.admitMessage }),
    });
    const mode = connection.streamMode;
    const listener = (event: ConversationEvent): void => {
      if (connection.sendText(event.encode(mode))) metrics.countFrameOut();
    };

    connections.add(connection);
    this.sessions.add(session);
    metrics.connections.inc();
    // Frames are handled only once the connection is subscribed and `connected` went out, so an
    // answer to one (an error, a re-acknowledgement) never precedes `connected`.
    let ready = false;
    const waiting: EarlyFrame[] = [...admission.earlyFrames];
    let subscription: ConversationSubscription | undefined;
    let closed = false;
    websocket.on('message', (data, isBinary) => {
      if (ready) session.receive(data, isBinary);
      else waiting.push({ data, isBinary });
    });
    websocket.on('pong', () => connection.markSeen(false));
    websocket.once('close', (code) => {
      closed = true;
      subscription?.unsubscribe();
      connections.remove(connection);
      this.sessions.delete(session);
      metrics.connections.dec();
      logger.debug({ connection: connection.id, code }, 'connection closed');
    });
    logger.debug(
      {
        connection: connection.id,
        pipeline: request.pipelineUuid,
        sessionType: request.sessionType,
        principal: admission.principal.id,
      },
      'connection opened',
    );
    // Events lost on the way to this node (cluster mode, Redis cut off too long): the client
    // reloads the history, then goes on with the live events after them.
    const onMissed = (missed: MissedEvents): void => {
      connection.send({
        type: 'resync_required',
        last_seq: missed.to,
        reason: `Events ${missed.from} to ${missed.to} of this conversation did not reach this server in time (its connection to the cluster was interrupted) and are no longer kept. Reload the history over REST.`,
      });
    };
    conversation.channel.subscribe(listener, request.lastSeq, { onMissed }).then(
      (subscribed) => {
        if (closed) {
          subscribed.unsubscribe();
          return;
        }
        subscription = subscribed;
        this.open(connection, admission, subscribed, listener);
        ready = true;
        for (const frame of waiting.splice(0)) session.receive(frame.data, frame.isBinary);
      },
      (error: unknown) => {
        // Redis (cluster mode) or the database out of reach is said as such: the client retries,
        // an operator knows where to look; anything else is unexpected.
        const refusal = refusalFor(error);
        if (refusal !== undefined) {
          connection.sendError(refusal.code, refusal.message);
          connection.close(refusal.closeCode, 'could not join the conversation');
          return;
        }
        logger.error({ err: error, connection: connection.id }, 'could not subscribe');
        connection.sendError(
          'INTERNAL_ERROR',
          'The conversation could not be joined; connect again.',
        );
        connection.close(CLOSE_CODES.INTERNAL_ERROR, 'could not join the conversation');
      },
    );
  }

  /**
   * Sends `connected`, then what the client missed, then starts live delivery: in this order, so
   * no event slips in between or arrives twice.
   */
  private open(
    connection: Connection,
    admission: Admission,
    subscription: ConversationSubscription,
    listener: ConversationListener,
  ): void {
    const { request } = admission;
    const { outcome } = subscription;
    connection.send({
      type: 'connected',
      connection_id: connection.id,
      pipeline_uuid: request.pipelineUuid,
      session_type: request.sessionType,
      session: admission.session,
      heartbeat_interval_ms: this.options.config.websocket.heartbeatIntervalMs,
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
        reason: resyncReason(request.lastSeq ?? 0, outcome.lastSeq),
      });
    }
    subscription.start();
  }

  private readonly onSlowConsumer = (slow: Connection): void => {
    this.options.metrics.errors.inc({ code: 'SLOW_CONSUMER' });
    this.options.logger.warn(
      { connection: slow.id, buffered: slow.socket.bufferedAmount },
      'closing a slow consumer',
    );
  };
}

function resyncReason(clientSeq: number, serverSeq: number): string {
  if (clientSeq > serverSeq) {
    return `last_seq ${clientSeq} is ahead of this conversation (${serverSeq}): it predates a server restart or a reset. Reload the history over REST.`;
  }
  return `Events after seq ${clientSeq} are no longer kept (older than the replay window or a restart). Reload the history over REST.`;
}
