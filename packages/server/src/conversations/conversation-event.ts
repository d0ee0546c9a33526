import { encodeFrame, type ConversationEventFrame, type ResponseFrame } from '@botwire/protocol';
import type { ReplyTranscript } from './reply-transcript.js';

/** How a connection wants reply chunks: full text so far (the seed's format) or only deltas. */
export type StreamMode = 'cumulative' | 'delta';

/** The objects of a kept event besides its strings (event, parts, replay entry), rounded up. */
const EVENT_OVERHEAD_BYTES = 256;

/** A streaming chunk kept against its reply's transcript. */
interface ChunkParts {
  transcript: ReplyTranscript;
  /** The length of the chunk's cumulative content. */
  contentLength: number;
  delta: string;
  /** The delta-form wire text of a chunk that does not fit the template; built on demand otherwise. */
  deltaFormText: string | undefined;
}

/**
 * One event of a conversation's ordered stream, as the replay buffer keeps it. Each event is
 * serialized at most once per stream mode while it is delivered live, whatever the number of
 * recipients.
 *
 * A streaming reply chunk is kept as its delta, its seq and where it ends in its reply's
 * {@link ReplyTranscript}, so the replay buffer holds O(n) text for a reply of n chunks; both wire
 * forms are rebuilt from the transcript when such a chunk is replayed. Other events are kept as
 * their wire text, which is the same in both modes.
 */
export class ConversationEvent {
  readonly seq: number;
  readonly type: ConversationEventFrame['type'];
  /** The message id of a `user_message` or `response` event, the reply's of an `error` event. */
  readonly messageId: number | undefined;
  /**
   * What keeping this event for replay costs, in bytes: two per UTF-16 unit of every string it
   * keeps (the most V8 uses), plus a fixed overhead for the objects. For a streaming chunk its
   * delta counts twice, once for itself and once for its share of the reply's transcript. Known
   * at construction, so replay buffers account for memory in O(1) per event.
   */
  readonly retainedBytes: number;
  /** The wire text of an event kept whole. */
  private readonly wholeText: string | undefined;
  /** For a streaming chunk kept whole: its delta-form wire text. */
  private readonly wholeDeltaText: string | undefined;
  private readonly chunk: ChunkParts | undefined;
  /** The whole frame of a chunk while it is delivered live, dropped by {@link settle}. */
  private liveFrame: ResponseFrame | undefined;
  private liveDeltaText: string | undefined;
  private liveCumulativeText: string | undefined;

  /**
   * @param frame the event, sequenced
   * @param transcript for a streaming `response` chunk whose content the transcript now ends
   *   with: keep the chunk against the transcript rather than whole
   */
  constructor(frame: ConversationEventFrame, transcript?: ReplyTranscript) {
    this.seq = frame.seq;
    this.type = frame.type;
    this.messageId =
      frame.type === 'session_reset'
        ? undefined
        : frame.type === 'error'
          ? frame.reply_id
          : frame.data.id;
    if (transcript !== undefined && frame.type === 'response') {
      const fits = transcript.fitsTemplate(frame);
      this.chunk = {
        transcript,
        contentLength: frame.data.content.length,
        delta: frame.data.delta,
        deltaFormText: fits
          ? undefined
          : encodeFrame({ ...frame, data: { ...frame.data, content: '' } }),
      };
      this.wholeText = undefined;
      this.wholeDeltaText = undefined;
      this.liveFrame = frame;
      this.retainedBytes =
        EVENT_OVERHEAD_BYTES +
        2 * (2 * frame.data.delta.length + (this.chunk.deltaFormText?.length ?? 0));
    } else {
      this.chunk = undefined;
      this.wholeText = encodeFrame(frame);
      this.wholeDeltaText =
        frame.type === 'response' && !frame.data.is_final
          ? encodeFrame({ ...frame, data: { ...frame.data, content: '' } })
          : undefined;
      this.retainedBytes =
        EVENT_OVERHEAD_BYTES + 2 * (this.wholeText.length + (this.wholeDeltaText?.length ?? 0));
    }
  }

  /** The wire text of this event for a connection in `mode`. */
  encode(mode: StreamMode): string {
    const chunk = this.chunk;
    if (chunk === undefined) {
      return (mode === 'delta' ? this.wholeDeltaText : undefined) ?? this.wholeText ?? '';
    }
    if (mode === 'delta') {
      if (this.liveDeltaText !== undefined) return this.liveDeltaText;
      const text = chunk.deltaFormText ?? chunk.transcript.encodeChunk(chunk.delta, this.seq);
      if (this.liveFrame !== undefined) this.liveDeltaText = text;
      return text;
    }
    if (this.liveCumulativeText !== undefined) return this.liveCumulativeText;
    if (this.liveFrame !== undefined) {
      this.liveCumulativeText = encodeFrame(this.liveFrame);
      return this.liveCumulativeText;
    }
    // A replay, for one resuming connection: rebuilt, not cached, so the buffer stays O(n).
    return encodeFrame(this.rebuildCumulative(chunk));
  }

  /**
   * Ends live delivery: drops the whole frame and the wire texts, which would keep the reply's
   * text so far per chunk (O(n²) for a reply) or the chunk's framing (several times its delta).
   */
  settle(): void {
    this.liveFrame = undefined;
    this.liveDeltaText = undefined;
    this.liveCumulativeText = undefined;
  }

  private rebuildCumulative(chunk: ChunkParts): ResponseFrame {
    const frame = JSON.parse(this.encode('delta')) as ResponseFrame;
    frame.data.content = chunk.transcript.contentUpTo(chunk.contentLength);
    return frame;
  }
}

/** An event before the log gives it its seq. */
export type UnsequencedEventFrame = ConversationEventFrame extends infer TFrame
  ? TFrame extends ConversationEventFrame
    ? Omit<TFrame, 'seq'>
    : never
  : never;
