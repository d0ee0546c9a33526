import { encodeFrame, type ResponseData, type ResponseFrame } from '@botwire/protocol';

/**
 * The fields of a streaming chunk that the chunk template fixes. `satisfies` makes a new field of
 * `ResponseData` a compile error here, so it cannot be silently left out of the template check.
 */
const CHUNK_FIELDS = {
  id: 'fixed',
  role: 'fixed',
  content: 'varies',
  delta: 'varies',
  // Empty in every streaming chunk; compared by length, since each chunk has its own array.
  message_chain: 'empty',
  timestamp: 'fixed',
  is_final: 'fixed',
  status: 'fixed',
  reply_to: 'fixed',
  connection_id: 'fixed',
  client_id: 'fixed',
  sender: 'fixed',
  // Only the final frame carries figures; streaming chunks never do.
  figures: 'fixed',
} as const satisfies Record<keyof ResponseData, 'fixed' | 'varies' | 'empty'>;
const FIXED_FIELDS = (Object.keys(CHUNK_FIELDS) as (keyof ResponseData)[]).filter(
  (field) => CHUNK_FIELDS[field] === 'fixed',
);

/** A placeholder no chunk text contains, marking where the delta goes in the template. */
const DELTA_MARK = '\u0000delta\u0000';
const SEQ_END = '0}';

/** A chunk's delta-form wire text split around its delta and seq. */
interface ChunkTemplate {
  /** The chunk the template was made from; later chunks must match its fixed fields. */
  model: ResponseData;
  beforeDelta: string;
  /** From after the delta up to and including `"seq":`. */
  beforeSeq: string;
}

/**
 * What the chunks of one streaming reply share: its text so far and the template of its wire
 * text. Each chunk event keeps only its delta, its seq and where it ends in the text, so a reply
 * of n chunks costs O(n) memory in the replay buffer rather than O(n²) for n copies of its
 * cumulative content; its wire text is the template joined with delta and seq.
 */
export class ReplyTranscript {
  private textSoFar: string;
  private template: ChunkTemplate | undefined;
  /** Whether a chunk was offered to {@link fitsTemplate} before. */
  private offeredChunk = false;

  constructor(
    readonly replyId: number,
    text = '',
  ) {
    this.textSoFar = text;
  }

  get text(): string {
    return this.textSoFar;
  }

  /**
   * Takes `chunk`'s cumulative content as the new text when it is the text so far plus the
   * chunk's delta, as the pipeline executor sends it; false otherwise. Only the lengths are
   * compared, so this costs nothing per chunk.
   */
  extend(chunk: ResponseData): boolean {
    if (chunk.content.length !== this.textSoFar.length + chunk.delta.length) return false;
    this.textSoFar = chunk.content;
    return true;
  }

  /** The content of the chunk that ended at `length`. */
  contentUpTo(length: number): string {
    return this.textSoFar.slice(0, length);
  }

  /**
   * Whether `frame` can be serialized from this reply's chunk template, i.e. its fields other
   * than `content`, `delta` and `seq` are those of the chunk the template was made from. Chunks
   * from the pipeline executor always are. The first chunk of a reply never is: making a
   * template costs more than encoding one frame, so it is made from the second chunk, and a
   * reply of one chunk (most short answers) never pays for it; its first chunk is then kept
   * with its own wire text.
   */
  fitsTemplate(frame: ResponseFrame): boolean {
    if (!this.offeredChunk) {
      this.offeredChunk = true;
      return false;
    }
    this.template ??= makeTemplate(frame);
    return this.template !== undefined && matches(this.template.model, frame.data);
  }

  /**
   * The delta-form wire text (`content: ""`) of a chunk that fits the template: exactly what
   * `encodeFrame` gives for it, made by joining strings.
   */
  encodeChunk(delta: string, seq: number): string {
    const template = this.template;
    if (template === undefined) throw new Error('encodeChunk needs a chunk that fits the template');
    return `${template.beforeDelta}${JSON.stringify(delta)}${template.beforeSeq}${seq}}`;
  }
}

function matches(model: ResponseData, chunk: ResponseData): boolean {
  if (chunk.message_chain.length !== 0) return false;
  for (const field of FIXED_FIELDS) if (chunk[field] !== model[field]) return false;
  return true;
}

function makeTemplate(frame: ResponseFrame): ChunkTemplate | undefined {
  if (frame.data.message_chain.length !== 0) return undefined;
  const probe = encodeFrame({
    ...frame,
    data: { ...frame.data, content: '', delta: DELTA_MARK },
    seq: 0,
  });
  const parts = probe.split(JSON.stringify(DELTA_MARK));
  const [beforeDelta, afterDelta] = parts;
  // seq must be the last field for the template to hold; otherwise chunks take the slow path.
  if (parts.length !== 2 || beforeDelta === undefined || afterDelta === undefined) return undefined;
  if (!afterDelta.endsWith(`"seq":${SEQ_END}`)) return undefined;
  return {
    model: { ...frame.data, content: '', delta: '' },
    beforeDelta,
    beforeSeq: afterDelta.slice(0, -SEQ_END.length),
  };
}
