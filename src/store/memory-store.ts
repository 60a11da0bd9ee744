// The embedded default: sessions in this process's memory, with the same expiry rules as Redis.
// Good for one process and for trying Puente out; everything is lost on restart.
import type { Session } from '../engine/session.js';
import { KeyedLock } from './keyed-lock.js';
import { decodeSession, SEEN_TTL_SECONDS, type SessionStore } from './session-store.js';

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

  async get(user: string): Promise<Session | undefined> {
    const entry = this.sessions.get(user);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.sessions.delete(user);
      return undefined;
    }
    return decodeSession(entry.json);
  }

  async set(user: string, session: Session): Promise<void> {
    // Stored as JSON, like in Redis, so both stores hand back copies and never shared objects.
    this.sessions.set(user, { json: JSON.stringify(session), expiresAt: this.now() + this.ttlSeconds * 1000 });
  }

  async delete(user: string): Promise<void> {
    this.sessions.delete(user);
    this.seen.delete(user);
  }

  async markSeen(user: string, messageId: string): Promise<boolean> {
    const now = this.now();
    let ids = this.seen.get(user);
    if (!ids) this.seen.set(user, (ids = new Map()));
    const expiresAt = ids.get(messageId);
    if (expiresAt !== undefined && expiresAt > now) return false;
    ids.set(messageId, now + SEEN_TTL_SECONDS * 1000);
    return true;
  }

  withLock<T>(user: string, task: () => Promise<T>): Promise<T> {
    return this.locks.run(user, task);
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
}
