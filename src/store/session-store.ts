// Where sessions live between messages. Keys are already-hashed user keys (see src/privacy.ts).
import { Session } from '../engine/session.js';

export interface SessionStore {
  get(user: string): Promise<Session | undefined>;
  set(user: string, session: Session): Promise<void>;
  /** Removes everything kept for this person: the session and the ids of their messages. */
  delete(user: string): Promise<void>;
  /** Remembers a channel message id; false when it was seen before (a channel's retry). */
  markSeen(user: string, messageId: string): Promise<boolean>;
  /** Runs a person's turn while no other turn of theirs runs, in this process or any other. */
  withLock<T>(user: string, task: () => Promise<T>): Promise<T>;
  ready(): boolean;
  close(): Promise<void>;
}

/** Channels retry for minutes, sometimes hours: a day of memory covers every retry we know of. */
export const SEEN_TTL_SECONDS = 24 * 60 * 60;

/** A session that no longer fits the schema (say, after an upgrade) is treated as a new person. */
export function decodeSession(raw: string | null | undefined): Session | undefined {
  if (!raw) return undefined;
  try {
    const parsed = Session.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
