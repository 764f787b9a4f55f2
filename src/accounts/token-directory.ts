/** The hashes of every live token (not revoked, not expired), kept in memory to tell, without a
 * database lookup per request, whether a token might be valid. Consulted only for an address that
 * has used up its failed authentications: a valid token from it is still served, while a flood of
 * invented tokens from it costs at most one reload of this list per RELOAD_INTERVAL_MS per
 * process, however many requests it sends. It never authenticates anyone: a token it lets through
 * is looked up as usual, so a revocation takes effect at once. */
export class TokenDirectory {
  private hashes: Set<string> | null = null;
  /** The reload that requests arriving now wait for: one that starts after they arrived. */
  private next: Promise<Set<string>> | null = null;
  private lastStarted = 0;

  constructor(
    private readonly load: () => Promise<string[]>,
    private readonly reloadIntervalMs = RELOAD_INTERVAL_MS,
  ) {}

  /** Whether `hash` might be a live token's. Known hashes answer at once; an unknown one waits for
   * a reload that starts after it was asked about (so a token made a moment ago, on any instance,
   * is found), reloads being at least `reloadIntervalMs` apart. */
  async mayBeLive(hash: string): Promise<boolean> {
    if (this.hashes?.has(hash)) return true;
    return (await this.reload()).has(hash);
  }

  /** A hash whose lookup failed: forget it until the next reload. */
  forget(hash: string): void {
    this.hashes?.delete(hash);
  }

  private reload(): Promise<Set<string>> {
    if (!this.next) {
      const wait = Math.max(0, this.lastStarted + this.reloadIntervalMs - Date.now());
      this.next = new Promise<void>((resolve) => setTimeout(resolve, wait))
        .then(() => {
          // Requests arriving from now on wait for the reload after this one.
          this.next = null;
          this.lastStarted = Date.now();
          return this.load();
        })
        .then((hashes) => (this.hashes = new Set(hashes)));
      // A failed reload fails its waiters (the hook answers 503); the next one tries again.
      this.next.catch(() => undefined);
    }
    return this.next;
  }
}

export const RELOAD_INTERVAL_MS = 250;
