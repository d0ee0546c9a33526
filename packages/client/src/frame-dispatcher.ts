import type { ConnectedFrame, ErrorFrame, FrameValidator, ServerFrame } from '@botwire/protocol';
import { BotwireClientError } from './client-error.js';
import type { ClientListeners } from './client-listeners.js';
import { errorFromFrame } from './close-errors.js';
import type { Outbox } from './outbox.js';
import type { PendingSend } from './pending-send.js';
import type { ReconnectingTransport } from './reconnecting-transport.js';
import { ReplyAssembler, type StreamMode } from './reply-assembler.js';

/** What the frames tell the transport: accepted, refused, and which socket is the current one. */
export type FrameTransport = Pick<
  ReconnectingTransport,
  'accept' | 'refuse' | 'isAccepted' | 'generation'
>;

/**
 * Turns what the server sends into what the app sees. It decodes each frame; keeps the
 * conversation's `seq`, dropping events it processed already (a replay after a reconnect may
 * overlap them); settles outbox entries with their `user_message` acknowledgement (or their
 * `QUEUE_FULL` refusal); assembles reply chunks into whole messages; and reports everything to
 * the client's listeners.
 */
export class FrameDispatcher {
  private readonly assembler: ReplyAssembler;
  private currentLastSeq: number | undefined;

  constructor(
    private readonly transport: FrameTransport,
    private readonly outbox: Outbox<PendingSend>,
    private readonly listeners: ClientListeners,
    streamMode: StreamMode,
    private readonly validator: FrameValidator,
  ) {
    this.assembler = new ReplyAssembler(streamMode);
  }

  /** The newest conversation `seq` processed; undefined until the first `connected` frame. */
  get lastSeq(): number | undefined {
    return this.currentLastSeq;
  }

  /** Handles the data of one message event. */
  receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.listeners.error.emit(
        new BotwireClientError({
          code: 'BAD_FRAME',
          message: 'Botwire frames are JSON text; a binary frame was ignored.',
        }),
      );
      return;
    }
    const decoded = this.validator.decodeServerFrame(data);
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
    // A first connection has nothing to catch up on: events after it have a larger seq. A
    // resumed one catches up through the replay that follows, so its number must not jump.
    this.currentLastSeq ??= frame.last_seq;
    this.transport.accept(frame);
  }

  private handleErrorFrame(frame: ErrorFrame): void {
    if (!this.transport.isAccepted) {
      this.transport.refuse(frame);
      return;
    }
    // An error that ended a reply is a conversation event: replayed after a reconnect that
    // resumed from before it, and then dropped like any event processed already.
    if (frame.seq !== undefined) {
      if (this.isProcessed(frame.seq)) return;
      this.advanceSeq(frame.seq);
    }
    if (frame.code === 'QUEUE_FULL') {
      // The server handles a connection's messages in order and answers each with either its
      // acknowledgement or this error, so the refused one is the oldest still unanswered here.
      const generation = this.transport.generation;
      const refused = this.outbox.find((entry) => entry.sentOn === generation);
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
}
