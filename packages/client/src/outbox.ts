import { BotwireClientError } from './client-error.js';

/** What every outbox entry has: the idempotency key the server acknowledges it by. */
export interface OutboxEntry {
  clientId: string;
}

/**
 * Messages sent but not yet acknowledged, in the order they were sent, keyed by `client_id`.
 *
 * A message stays here until a `user_message` with its `client_id` arrives, however many
 * connections that takes: after a reconnect every entry is sent again with the same
 * `client_id`, and the server stores each id once. The bound keeps a client that is offline
 * for long from piling up memory and a burst of sends at reconnect.
 */
export class Outbox<TEntry extends OutboxEntry> {
  private readonly entries = new Map<string, TEntry>();

  /** @param limit the most unacknowledged entries held at once. */
  constructor(private readonly limit: number) {}

  /** How many entries wait for an acknowledgement. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Adds an entry. Throws a {@link BotwireClientError} `OUTBOX_FULL` at the limit, and a
   * `TypeError` for a `client_id` already waiting (it would be acknowledged only once).
   */
  add(entry: TEntry): void {
    if (this.entries.has(entry.clientId)) {
      throw new TypeError(`client_id ${entry.clientId} is already waiting in the outbox.`);
    }
    if (this.entries.size >= this.limit) {
      throw new BotwireClientError({
        code: 'OUTBOX_FULL',
        message: `${this.entries.size} messages are waiting for an acknowledgement (outboxLimit); wait for them before sending more.`,
      });
    }
    this.entries.set(entry.clientId, entry);
  }

  /** Whether `clientId` waits for an acknowledgement. */
  has(clientId: string): boolean {
    return this.entries.has(clientId);
  }

  /** Removes and returns the entry the server acknowledged, if it was waiting. */
  take(clientId: string): TEntry | undefined {
    const entry = this.entries.get(clientId);
    if (entry !== undefined) this.entries.delete(clientId);
    return entry;
  }

  /** The first entry, in send order, that `predicate` picks. */
  find(predicate: (entry: TEntry) => boolean): TEntry | undefined {
    for (const entry of this.entries.values()) if (predicate(entry)) return entry;
    return undefined;
  }

  /** Every waiting entry, oldest first (the order to send them again). */
  pending(): TEntry[] {
    return [...this.entries.values()];
  }

  /** Removes and returns every entry. */
  drain(): TEntry[] {
    const all = this.pending();
    this.entries.clear();
    return all;
  }
}
