// Where sessions live between messages. Keys are already-hashed user keys (see src/privacy.ts).
import { Session } from '../engine/session.js';

/** What a turn decided: the session to keep (null: forget the person), and what the caller wants back. */
export interface Decision<T> {
  next: Session | null;
  value: T;
}

export interface SessionStore {
  /**
   * One turn of one person, never two at once for the same person, in this process or any other:
   * remembers the message id, reads the session, lets `decide` compute the next one and keeps it
   * (or forgets everything about the person when it is null). A message id seen before is a
   * channel's retry: nothing runs and the answer is undefined. Saving is retried through a short
   * outage, so a turn already computed is not lost to a passing hiccup.
   */
  turn<T>(user: string, messageId: string | undefined, decide: (session: Session | undefined) => Decision<T>): Promise<{ value: T } | undefined>;
  /** A person's session, for tools and checks; turns go through turn(). */
  get(user: string): Promise<Session | undefined>;
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
