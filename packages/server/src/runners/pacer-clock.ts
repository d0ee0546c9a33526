/** A wake-up waiting in a {@link PacerClock}, as {@link PacerClock.cancel} needs it. */
export interface PacerAlarm {
  /** The millisecond (on the clock's time line, rounded up) the alarm is due at. */
  readonly dueAt: number;
  readonly wake: () => void;
}

/**
 * One timer for every paced stream of the process. With a timer per stream, C streams a chunk
 * every 20 ms cost C timer callbacks per 20 ms, each followed by its own round of microtasks and
 * its own socket flush; here streams due in the same millisecond wake in one callback, so their
 * chunks are appended together and leave in one flush (still one socket write per connection).
 * Node's own timers have millisecond resolution, so grouping by millisecond delays nobody.
 *
 * Alarms wake no earlier than asked: an alarm is due at its time rounded up to the millisecond,
 * and a timer that fires early is armed again for the rest.
 */
export class PacerClock {
  /** Alarms by the millisecond they are due at. */
  private readonly alarms = new Map<number, PacerAlarm[]>();
  /** The milliseconds of {@link alarms}, ascending. */
  private readonly dueTimes: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The due time the timer is armed for. */
  private armedFor: number | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Calls `wake` once `milliseconds` have passed, from the clock's timer callback. */
  schedule(milliseconds: number, wake: () => void): PacerAlarm {
    const alarm: PacerAlarm = { dueAt: Math.ceil(this.now() + milliseconds), wake };
    const group = this.alarms.get(alarm.dueAt);
    if (group === undefined) {
      this.alarms.set(alarm.dueAt, [alarm]);
      this.dueTimes.splice(insertionIndex(this.dueTimes, alarm.dueAt), 0, alarm.dueAt);
      this.arm();
    } else {
      group.push(alarm);
    }
    return alarm;
  }

  /** Drops `alarm` if it has not woken yet. */
  cancel(alarm: PacerAlarm): void {
    const group = this.alarms.get(alarm.dueAt);
    if (group === undefined) return;
    const index = group.indexOf(alarm);
    if (index === -1) return;
    group.splice(index, 1);
    if (group.length > 0) return;
    this.alarms.delete(alarm.dueAt);
    this.dueTimes.splice(this.dueTimes.indexOf(alarm.dueAt), 1);
    if (this.dueTimes.length === 0) this.disarm();
    else this.arm();
  }

  /** Alarms waiting, for tests. */
  get pending(): number {
    let count = 0;
    for (const group of this.alarms.values()) count += group.length;
    return count;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedFor = undefined;
    const now = this.now();
    let next = this.dueTimes[0];
    while (next !== undefined && next <= now) {
      this.dueTimes.shift();
      const group = this.alarms.get(next);
      this.alarms.delete(next);
      if (group !== undefined) for (const alarm of group) alarm.wake();
      next = this.dueTimes[0];
    }
    this.arm();
  };

  /** Arms the timer for the earliest due time, unless it already is. */
  private arm(): void {
    const next = this.dueTimes[0];
    if (next === undefined || (this.timer !== undefined && this.armedFor === next)) return;
    this.disarm();
    this.armedFor = next;
    this.timer = setTimeout(this.fire, Math.max(0, next - this.now()));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = undefined;
  }
}

/** Where `value` goes in the ascending `values`, after any equal ones. */
function insertionIndex(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The clock every {@link StreamPacer} of the process shares unless given its own. */
export const sharedPacerClock = new PacerClock();
