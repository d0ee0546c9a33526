/** What one client saw of one bench reply, checked chunk by chunk. */
export interface DeliveryReport {
  /** Chunks the reply should have had. */
  expected: number;
  /** Chunk frames received with a valid index, copies included. */
  received: number;
  /** Chunk indexes received exactly once. */
  exactlyOnce: number;
  /** Extra copies of chunks already received. */
  duplicates: number;
  /** Chunk indexes never received. */
  missing: number;
  /** Chunks that arrived after a higher index (a reordering, not a loss). */
  outOfOrder: number;
  /** Frames whose `seq` was not above the previous one. */
  seqViolations: number;
  /** Frames that were not bench chunks (unparseable delta, index out of range). */
  malformed: number;
  /** Whether the final (`is_final`) frame arrived. */
  finalReceived: boolean;
}

/**
 * Checks one reply's delivery: every chunk index `0..expected-1` once, in order, with strictly
 * increasing `seq`. Counts per index in a byte array, so tracking thousands of replies of
 * thousands of chunks stays cheap.
 */
export class DeliveryTracker {
  private readonly counts: Uint8Array;
  private highestIndex = -1;
  private lastSeq = -1;
  private outOfOrder = 0;
  private seqViolations = 0;
  private malformed = 0;
  private finalReceived = false;

  constructor(private readonly expected: number) {
    this.counts = new Uint8Array(expected);
  }

  /** Records a frame's `seq` (frames without one are not passed here). */
  recordSeq(seq: number): void {
    if (seq <= this.lastSeq) this.seqViolations += 1;
    else this.lastSeq = seq;
  }

  /** Records a chunk by its index (undefined when the delta did not start with one). */
  recordChunk(index: number | undefined): void {
    if (index === undefined || index < 0 || index >= this.expected) {
      this.malformed += 1;
      return;
    }
    const count = this.counts[index] ?? 0;
    if (count < 255) this.counts[index] = count + 1;
    if (count === 0 && index < this.highestIndex) this.outOfOrder += 1;
    if (index > this.highestIndex) this.highestIndex = index;
  }

  /** Records the final frame of the reply. */
  recordFinal(): void {
    this.finalReceived = true;
  }

  /** Distinct chunks received so far. */
  get distinctChunks(): number {
    let distinct = 0;
    for (const count of this.counts) if (count > 0) distinct += 1;
    return distinct;
  }

  /** Whether the final frame arrived. */
  get isFinal(): boolean {
    return this.finalReceived;
  }

  /** The delivery so far. */
  report(): DeliveryReport {
    let received = 0;
    let exactlyOnce = 0;
    let duplicates = 0;
    let missing = 0;
    for (const count of this.counts) {
      received += count;
      if (count === 0) missing += 1;
      else if (count === 1) exactlyOnce += 1;
      else duplicates += count - 1;
    }
    return {
      expected: this.expected,
      received,
      exactlyOnce,
      duplicates,
      missing,
      outOfOrder: this.outOfOrder,
      seqViolations: this.seqViolations,
      malformed: this.malformed,
      finalReceived: this.finalReceived,
    };
  }
}

/** Adds delivery reports of many replies into one. */
export function addDeliveryReports(reports: readonly DeliveryReport[]): DeliveryReport {
  const total: DeliveryReport = {
    expected: 0,
    received: 0,
    exactlyOnce: 0,
    duplicates: 0,
    missing: 0,
    outOfOrder: 0,
    seqViolations: 0,
    malformed: 0,
    finalReceived: true,
  };
  for (const report of reports) {
    total.expected += report.expected;
    total.received += report.received;
    total.exactlyOnce += report.exactlyOnce;
    total.duplicates += report.duplicates;
    total.missing += report.missing;
    total.outOfOrder += report.outOfOrder;
    total.seqViolations += report.seqViolations;
    total.malformed += report.malformed;
    total.finalReceived &&= report.finalReceived;
  }
  return total;
}

/** Whether every chunk came exactly once, in order, with the final frame. */
export function isPerfectDelivery(report: DeliveryReport): boolean {
  return (
    report.exactlyOnce === report.expected &&
    report.duplicates === 0 &&
    report.outOfOrder === 0 &&
    report.seqViolations === 0 &&
    report.malformed === 0 &&
    report.finalReceived
  );
}
