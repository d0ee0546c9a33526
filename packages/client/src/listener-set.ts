/** Removes the listener it was returned for. Calling it again does nothing. */
export type Unsubscribe = () => void;

/** The listeners of one event. */
export class ListenerSet<TEvent> {
  /** Entries, not the functions: the same function added twice is called twice. */
  private readonly listeners = new Set<{ listener: (event: TEvent) => void }>();

  /** Adds `listener`; the returned function removes it. */
  add(listener: (event: TEvent) => void): Unsubscribe {
    const entry = { listener };
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Removes one registration of `listener` (the oldest), if it has one. */
  remove(listener: (event: TEvent) => void): void {
    for (const entry of this.listeners) {
      if (entry.listener === listener) {
        this.listeners.delete(entry);
        return;
      }
    }
  }

  /**
   * Calls every listener with `event`. A listener that throws must not leave the client's state
   * half-updated or starve the other listeners, so its error is rethrown on a fresh task, where
   * it shows up as an uncaught error as it would from a DOM event listener (RxJS does the same).
   */
  emit(event: TEvent): void {
    for (const { listener } of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        setTimeout(() => {
          throw error;
        }, 0);
      }
    }
  }
}
