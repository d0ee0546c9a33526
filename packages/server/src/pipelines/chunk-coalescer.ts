/** Options for {@link ChunkCoalescer}. */
export interface ChunkCoalescerOptions {
  /** Deltas arriving within this window after a sent chunk are sent together; 0 sends each. */
  windowMs: number;
  emit: (text: string) => void;
}

/**
 * Joins a model's token deltas into fewer chunks. The first delta goes out at once (the user
 * sees the reply start without delay); later ones wait at most `windowMs` and leave together, so
 * a fast model does not cost one frame per token.
 */
export class ChunkCoalescer {
  private pending = '';
  private timer: NodeJS.Timeout | undefined;
  private sentAny = false;

  constructor(private readonly options: ChunkCoalescerOptions) {}

  push(text: string): void {
    if (text.length === 0) return;
    if (this.options.windowMs === 0 || !this.sentAny) {
      this.sentAny = true;
      this.options.emit(text);
      return;
    }
    this.pending += text;
    this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
  }

  /** Sends whatever waits, now. */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    this.options.emit(text);
  }
}
