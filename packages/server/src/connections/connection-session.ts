import {
  CLOSE_CODES,
  decodeClientFrame,
  type ClientFrame,
  type MessageChain,
} from '@botwire/protocol';
import type { RawData } from 'ws';
import type { PlatformAdapter } from '../pipelines/platform-adapter.js';
import type { ActiveConversation } from '../pipelines/generation-job.js';
import type { ConversationService, SubmitOutcome } from '../pipelines/conversation-service.js';
import { toBotwireError } from '../errors/botwire-error.js';
import type { Logger } from '../logging/logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { MessageBudget } from '../quotas/message-budget.js';
import type { Connection } from './connection.js';
import { byteLength, toText } from './raw-data.js';
import { TokenBucket } from './token-bucket.js';

/** Options for {@link ConnectionSession}. */
export interface ConnectionSessionOptions {
  connection: Connection;
  conversation: ActiveConversation;
  conversations: ConversationService;
  adapter: PlatformAdapter;
  logger: Logger;
  metrics: Metrics;
  maxFrameBytes: number;
  maxFramesPerSecond: number;
  /** Size, byte-rate and storage limits of messages; none when absent. */
  messageBudget?: MessageBudget;
  /** Checked before each chat message (a widget visitor's limits); throws a BotwireError to refuse. */
  admitMessage?: (chain: MessageChain) => Promise<void>;
}

/**
 * The inbound side of one connection: decodes each frame through the protocol package, answers
 * bad input with a typed error frame (the connection stays open) and dispatches the rest.
 * Frames are handled one after another, so a client's messages are stored in the order sent.
 */
export class ConnectionSession {
  private readonly bucket: TokenBucket;
  private lastRateLimitNotice = 0;
  private work: Promise<void> = Promise.resolve();

  constructor(private readonly options: ConnectionSessionOptions) {
    this.bucket = new TokenBucket({
      ratePerSecond: options.maxFramesPerSecond,
      capacity: options.maxFramesPerSecond * 2,
    });
  }

  /** Takes one raw frame from the socket. Never throws. */
  receive(data: RawData, isBinary: boolean): void {
    const { connection, metrics } = this.options;
    connection.markSeen(true);
    if (!this.bucket.take()) {
      metrics.errors.inc({ code: 'RATE_LIMITED' });
      const now = Date.now();
      if (now - this.lastRateLimitNotice >= 1_000) {
        this.lastRateLimitNotice = now;
        connection.sendError(
          'RATE_LIMITED',
          `More than ${this.options.maxFramesPerSecond} frames per second; frames are being dropped. Slow down.`,
        );
      }
      return;
    }
    if (isBinary) {
      this.reject('BAD_FRAME', 'Botwire frames are JSON text; binary frames are not accepted.');
      return;
    }
    const size = byteLength(data);
    if (size > this.options.maxFrameBytes) {
      this.reject(
        'FRAME_TOO_LARGE',
        `The frame has ${size} bytes; the limit is ${this.options.maxFrameBytes}.`,
      );
      return;
    }
    const decoded = decodeClientFrame(toText(data));
    if (!decoded.ok) {
      this.reject(decoded.error.code, decoded.error.message);
      return;
    }
    metrics.countFrameIn(decoded.value.type);
    this.work = this.work
      .then(() => this.dispatch(decoded.value))
      .catch((error: unknown) => {
        const failure = toBotwireError(error);
        if (failure.code === 'INTERNAL_ERROR') {
          this.options.logger.error(
            { err: error, connection: connection.id },
            'frame handling failed',
          );
        }
        this.reject(failure.code, failure.message, failure.retryAfterSeconds);
      });
  }

  /** Resolves when every frame received so far has been handled. */
  idle(): Promise<void> {
    return this.work;
  }

  private async dispatch(frame: ClientFrame): Promise<void> {
    const { connection, conversation, conversations } = this.options;
    switch (frame.type) {
      case 'message': {
        await this.options.admitMessage?.(frame.message);
        const reservation = await this.options.messageBudget?.reserve({
          principal: connection.principal,
          pipelineUuid: conversation.identity.pipelineUuid,
          chain: frame.message,
        });
        let outcome: SubmitOutcome;
        try {
          outcome = await conversations.submitMessage({
            conversation,
            chain: frame.message,
            sender: { id: connection.principal.id, name: connection.principal.name },
            connectionId: connection.id,
            clientId: frame.client_id ?? null,
            adapter: this.options.adapter,
          });
        } catch (error) {
          reservation?.cancel();
          throw error;
        }
        if (outcome.kind === 'duplicate') {
          // Stored once, earlier: counted then.
          reservation?.cancel();
          // Acknowledge the retry again, with the original seq when it is still known.
          connection.send({
            type: 'user_message',
            seq: outcome.seq ?? conversation.channel.lastSeq,
            data: { ...outcome.message, role: 'user' },
          });
        }
        return;
      }
      case 'ping':
        connection.send({ type: 'pong', timestamp: new Date().toISOString() });
        return;
      case 'cancel':
        if (!(await conversations.cancel(conversation, frame.reply_id))) {
          const which =
            frame.reply_id === undefined ? 'No reply is' : `Reply ${frame.reply_id} is not`;
          this.reject('NOTHING_TO_CANCEL', `${which} being generated in this conversation.`);
        }
        return;
      case 'disconnect':
        connection.close(CLOSE_CODES.NORMAL, 'client disconnected');
        return;
      case 'authenticate':
        this.reject(
          'BAD_FRAME',
          'This connection is already authenticated; send authenticate only as the first frame.',
        );
        return;
    }
  }

  private reject(
    code: Parameters<Connection['sendError']>[0],
    message: string,
    retryAfterSeconds?: number,
  ): void {
    this.options.metrics.errors.inc({ code });
    this.options.connection.sendError(code, message, undefined, retryAfterSeconds);
  }
}
