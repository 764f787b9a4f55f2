/** At most this many exports stream at once. Each holds a database connection for as long as
 * its client reads (the pool has 20), so a burst of exports must not starve the API. */
export const MAX_CONCURRENT_EXPORTS = 4;

/** Counts running exports; a taken slot is given back exactly once. */
export class ExportSlots {
  private running = 0;

  constructor(private readonly capacity = MAX_CONCURRENT_EXPORTS) {}

  /** A release function, or null when every slot is taken. */
  take(): (() => void) | null {
    if (this.running >= this.capacity) return null;
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
    };
  }

  get inUse(): number {
    return this.running;
  }
}
