/** At most this many exports stream at once. Each holds a database connection for as long as
 * its client reads (the pool has 20), so a burst of exports must not starve the API. */
export const MAX_CONCURRENT_EXPORTS = 4;
/** At most this many of them for one caller (a token's account, or an address without a token):
 * one slow reader must not hold every slot, so another caller always finds one. */
export const MAX_EXPORTS_PER_CALLER = 3;

/** Counts running exports, in all and per caller; a taken slot is given back exactly once. */
export class ExportSlots {
  private running = 0;
  private readonly byCaller = new Map<string, number>();

  constructor(
    private readonly capacity = MAX_CONCURRENT_EXPORTS,
    private readonly perCaller = MAX_EXPORTS_PER_CALLER,
  ) {}

  /** A release function, or null when every slot, or every slot of `caller`, is taken. */
  take(caller: string): (() => void) | null {
    const mine = this.byCaller.get(caller) ?? 0;
    if (this.running >= this.capacity || mine >= this.perCaller) return null;
    this.running += 1;
    this.byCaller.set(caller, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      const left = (this.byCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.byCaller.set(caller, left);
      else this.byCaller.delete(caller);
    };
  }

  get inUse(): number {
    return this.running;
  }
}
