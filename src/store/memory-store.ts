// The embedded default: sessions in this process's memory, with the same expiry rules as Redis.
// Good for one process and for trying Puente out; everything is lost on restart.
import type { Session } from '../engine/session.js';
import { KeyedLock } from './keyed-lock.js';
import { decodeSession, SEEN_TTL_SECONDS, type Decision, type SessionStore } from './session-store.js';

interface Entry {
  json: string;
  expiresAt: number;
}

export class MemoryStore implements SessionStore {
  private readonly sessions = new Map<string, Entry>();
  private readonly seen = new Map<string, Map<string, number>>();
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
      if (messageId !== undefined && !this.markSeen(user, messageId)) return undefined;
      const { next, value } = decide(this.read(user));
      if (next) this.sessions.set(user, { json: JSON.stringify(next), expiresAt: this.now() + this.ttlSeconds * 1000 });
      else this.forget(user);
      return { value };
    });
  }

  async get(user: string): Promise<Session | undefined> {
    return this.read(user);
  }

  ready(): boolean {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  sweep(): void {
    const now = this.now();
    for (const [user, entry] of this.sessions) if (entry.expiresAt <= now) this.sessions.delete(user);
    for (const [user, ids] of this.seen) {
      for (const [id, expiresAt] of ids) if (expiresAt <= now) ids.delete(id);
      if (!ids.size) this.seen.delete(user);
    }
  }

  /** Kept as JSON, like in Redis, so every read hands back a copy and never a shared object. */
  private read(user: string): Session | undefined {
    const entry = this.sessions.get(user);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.sessions.delete(user);
      return undefined;
    }
    return decodeSession(entry.json);
  }

  private forget(user: string): void {
    this.sessions.delete(user);
    this.seen.delete(user);
  }

  private markSeen(user: string, messageId: string): boolean {
    const now = this.now();
    let ids = this.seen.get(user);
    if (!ids) this.seen.set(user, (ids = new Map()));
    const expiresAt = ids.get(messageId);
    if (expiresAt !== undefined && expiresAt > now) return false;
    ids.set(messageId, now + SEEN_TTL_SECONDS * 1000);
    return true;
  }
}
