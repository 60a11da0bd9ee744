// The 24-hour customer-service window: WhatsApp only allows free-form messages to someone whose
// last message is less than 24 h old. Remembered in memory per person, keyed by a hash.
export const WINDOW_MS = 24 * 3600 * 1000;

export class ServiceWindow {
  private readonly lastSeen = new Map<string, number>();
  private recorded = 0;

  constructor(private readonly now: () => number) {}

  /** Notes an inbound message sent at `at` (ms). A clock ahead of ours counts as now. */
  record(userHash: string, at: number): void {
    const when = Math.min(at, this.now());
    const previous = this.lastSeen.get(userHash);
    if (previous === undefined || when > previous) this.lastSeen.set(userHash, when);
    if (++this.recorded % 1000 === 0) this.prune();
  }

  /** True when a free-form message may still be sent to this person. */
  isOpen(userHash: string): boolean {
    const last = this.lastSeen.get(userHash);
    return last !== undefined && this.now() - last < WINDOW_MS;
  }

  /** Forgets everyone whose window has closed. */
  prune(): void {
    const now = this.now();
    for (const [user, last] of this.lastSeen) if (now - last >= WINDOW_MS) this.lastSeen.delete(user);
  }

  get size(): number {
    return this.lastSeen.size;
  }
}
