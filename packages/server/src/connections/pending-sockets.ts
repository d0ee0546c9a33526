/** Options for {@link PendingSockets}. */
export interface PendingSocketsOptions {
  maxTotal: number;
  maxPerAddress: number;
  /** Called with the new total after each change (the metrics gauge). */
  onChange?: (total: number) => void;
}

/**
 * Counts the sockets that have been upgraded but are not yet authenticated and joined, in total
 * and per remote address. They are not connections yet (`maxConnections` does not see them), and
 * each costs memory while it waits for its credentials, so they are capped separately.
 */
export class PendingSockets {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(private readonly options: PendingSocketsOptions) {}

  get size(): number {
    return this.total;
  }

  /** Why a socket from `address` cannot be taken now, or undefined when it can. */
  refusal(address: string): 'total' | 'address' | undefined {
    if (this.total >= this.options.maxTotal) return 'total';
    if ((this.byAddress.get(address) ?? 0) >= this.options.maxPerAddress) return 'address';
    return undefined;
  }

  /** Counts a socket from `address`; the function returned releases it (once, however often called). */
  acquire(address: string): () => void {
    this.total += 1;
    this.byAddress.set(address, (this.byAddress.get(address) ?? 0) + 1);
    this.options.onChange?.(this.total);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left === 0) this.byAddress.delete(address);
      else this.byAddress.set(address, left);
      this.options.onChange?.(this.total);
    };
  }
}
