// The embedded default: sessions in this process's memory, with the same expiry rules as Redis.
// Good for one process and for trying Puente out; everything is lost on restart.
import type { Session } from '../engine/session.js';
import { KeyedLock } from './keyed-lock.js';
import { decodeSession, planTurn, type Decision, type SessionStore } from './session-store.js';

interface Entry {
  /** The person's record as Redis would keep it, so every read hands back a copy and never a shared object. */
  raw: string;
  expiresAt: number;
}

export class MemoryStore implements SessionStore {
  private readonly people = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly locks = new KeyedLock();

  constructor(
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    // Expired entries are also dropped when read; the sweep bounds memory for people who never return.
    this.sweeper = setInterval(() => this.sweep(), 60_000).unref();
  }

  turn<T>(user: string, messageId: string | undefined, decide: (session: Session | undefined) => Decision<T>): Promise<{ value: T } | undefined> {
    return this.locks.run(user, async () => {
      const planned = planTurn(this.read(user), messageId, decide);
      if (planned.duplicate) return undefined;
      if (planned.write === null) this.people.delete(user);
      else this.people.set(user, { raw: planned.write, expiresAt: this.now() + this.ttlSeconds * 1000 });
      return { value: planned.value };
    });
  }

  async get(user: string): Promise<Session | undefined> {
    return decodeSession(this.read(user));
  }

  ready(): boolean {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  sweep(): void {
    const now = this.now();
    for (const [user, entry] of this.people) if (entry.expiresAt <= now) this.people.delete(user);
  }

  private read(user: string): string | undefined {
    const entry = this.people.get(user);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.people.delete(user);
      return undefined;
    }
    return entry.raw;
  }
}
