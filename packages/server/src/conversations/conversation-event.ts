import { encodeFrame, type ConversationEventFrame } from '@botwire/protocol';

/** How a connection wants reply chunks: full text so far (the seed's format) or only deltas. */
export type StreamMode = 'cumulative' | 'delta';

/**
 * One event of a conversation's ordered stream. Each is encoded at most once per stream mode,
 * however many connections receive it.
 */
export class ConversationEvent {
  readonly frame: ConversationEventFrame;
  private cumulativeText: string | undefined;
  private deltaText: string | undefined;

  constructor(frame: ConversationEventFrame) {
    this.frame = frame;
  }

  get seq(): number {
    return this.frame.seq;
  }

  /** The wire text of this event for a connection in `mode`. */
  encode(mode: StreamMode): string {
    const frame = this.frame;
    if (mode === 'cumulative' || frame.type !== 'response' || frame.data.is_final) {
      this.cumulativeText ??= encodeFrame(frame);
      return this.cumulativeText;
    }
    this.deltaText ??= encodeFrame({ ...frame, data: { ...frame.data, content: '' } });
    return this.deltaText;
  }
}

/** An event before the log gives it its seq. */
export type UnsequencedEventFrame = ConversationEventFrame extends infer TFrame
  ? TFrame extends ConversationEventFrame
    ? Omit<TFrame, 'seq'>
    : never
  : never;
