// Where sessions live between messages. Keys are already-hashed user keys (see src/privacy.ts).
// Both stores keep one value per person, the same record, and decide a turn the same way
// (planTurn): only where the record lives and how a write is made safe differ.
import { hash, randomUUID } from 'node:crypto';
import { Session } from '../engine/session.js';

/** What a turn decided: the session to keep (null: forget the person), and what the caller wants back. */
export interface Decision<T> {
  next: Session | null;
  value: T;
}

export interface SessionStore {
  /**
   * One turn of one person. One person's turns take effect one after the other, in this process or
   * any other, and none is lost: it reads the session, lets `decide` compute the next one and keeps
   * it (or forgets everything about the person when it is null). A message id among the person's
   * last SEEN_KEPT is a channel's retry: nothing is kept and the answer is undefined. `decide` must
   * be pure: when another process's turn of the same person lands first, it is asked again with
   * that turn's session. Saving is retried through a short outage, so a turn already computed is
   * not lost to a passing hiccup.
   */
  turn<T>(user: string, messageId: string | undefined, decide: (session: Session | undefined) => Decision<T>): Promise<{ value: T } | undefined>;
  /** A person's session, for tools and checks; turns go through turn(). */
  get(user: string): Promise<Session | undefined>;
  ready(): boolean;
  close(): Promise<void>;
}

/**
 * How many of a person's latest message ids are remembered to drop a channel's retry. Channels
 * retry a message within minutes, long before a person has sent this many newer ones.
 */
export const SEEN_KEPT = 16;

const DIGEST_CHARS = 12;
const TAG_CHARS = 8;

/**
 * What is kept of one person, stored as one string: a tag of the write that made it (so that a
 * write can tell itself from another process's write of the very same session), the digests of
 * the person's latest message ids (fixed width, oldest first, no separator), a newline, and the
 * session as JSON. Cheaper to read and write on every turn than one JSON document holding all.
 */
interface PersonRecord {
  session: Session;
  seen: string;
}

/**
 * A message id's digest: short, and never the id itself, which on some channels carries the
 * phone number (a WhatsApp message id is the number and a counter, base64-encoded).
 */
function seenDigest(messageId: string): string {
  return hash('sha256', messageId, 'base64url').slice(0, DIGEST_CHARS);
}

function hasSeen(seen: string, digest: string): boolean {
  for (let at = seen.indexOf(digest); at !== -1; at = seen.indexOf(digest, at + 1)) if (at % DIGEST_CHARS === 0) return true;
  return false;
}

/** A record that no longer fits the schema (say, after an upgrade) is treated as a new person. */
function decodeRecord(raw: string | null | undefined): PersonRecord | undefined {
  if (!raw) return undefined;
  const newline = raw.indexOf('\n');
  if (newline < TAG_CHARS || (newline - TAG_CHARS) % DIGEST_CHARS !== 0) return undefined;
  try {
    const session = Session.safeParse(JSON.parse(raw.slice(newline + 1)));
    return session.success ? { session: session.data, seen: raw.slice(TAG_CHARS, newline) } : undefined;
  } catch {
    return undefined;
  }
}

export function decodeSession(raw: string | null | undefined): Session | undefined {
  return decodeRecord(raw)?.session;
}

/** What one turn does to a person's stored record: nothing (a retry), or what to write instead. */
export type PlannedTurn<T> = { duplicate: true } | { duplicate: false; value: T; write: string | null };

/** Decides a turn on the record as read ('' or null: nobody); `write` null forgets the person. */
export function planTurn<T>(raw: string | null | undefined, messageId: string | undefined, decide: (session: Session | undefined) => Decision<T>): PlannedTurn<T> {
  const record = decodeRecord(raw);
  const digest = messageId === undefined ? undefined : seenDigest(messageId);
  if (digest !== undefined && record && hasSeen(record.seen, digest)) return { duplicate: true };
  const { next, value } = decide(record?.session);
  if (!next) return { duplicate: false, value, write: null };
  let seen = record?.seen ?? '';
  if (digest !== undefined) seen = seen.slice(-(SEEN_KEPT - 1) * DIGEST_CHARS) + digest;
  return { duplicate: false, value, write: `${randomUUID().slice(0, TAG_CHARS)}${seen}\n${JSON.stringify(next)}` };
}
