// Sessions in Redis, shared by every bot process. Keys are built by one function and carry a
// {hash tag} so all of one person's keys sit in the same Redis Cluster slot, where one script
// may touch them all. A turn costs two round trips: one script to begin it (lock, message id,
// session) and one to end it (save or forget, unlock) — the same as a bare GET and SET.
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import type { Session } from '../engine/session.js';
import { KeyedLock } from './keyed-lock.js';
import { decodeSession, SEEN_TTL_SECONDS, type Decision, type SessionStore } from './session-store.js';

/** A client whose commands fail at once while Redis is down, instead of queueing without end. */
export function createRedisClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000), connectTimeout: 5_000 },
  });
}
export type RedisClient = ReturnType<typeof createRedisClient>;

export function redisKey(prefix: string, user: string, kind: 'session' | 'seen' | 'lock'): string {
  return `${prefix}:{${user}}:${kind}`;
}

/** A turn takes milliseconds; these bound a stuck one, and a lock left by a crash or a Redis restart. */
const LOCK_TTL_MS = 3_000;
const LOCK_WAIT_MS = 3_000;

/** A Lua script run by its SHA1, sent in full only the first time a server has not seen it. */
class Script {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await client.evalSha(this.sha, { keys, arguments: args });
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, { keys, arguments: args });
    }
  }
}

/**
 * KEYS lock, seen, session; ARGV token, lock ms, message id ('' for none), now ms, seen seconds.
 * Takes the person's lock (SET NX with an expiry, so a crashed process cannot hold it for ever,
 * and a token, so only its owner releases it), remembers the message id in a sorted set scored by
 * time (old ids trimmed, the whole set expiring), and reads the session.
 */
const BEGIN = new Script(`
if not redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {'busy'} end
if ARGV[3] ~= '' then
  redis.call('zremrangebyscore', KEYS[2], '-inf', tonumber(ARGV[4]) - tonumber(ARGV[5]) * 1000)
  local added = redis.call('zadd', KEYS[2], 'NX', ARGV[4], ARGV[3])
  redis.call('expire', KEYS[2], ARGV[5])
  if added == 0 then
    redis.call('del', KEYS[1])
    return {'duplicate'}
  end
end
return {'ok', redis.call('get', KEYS[3])}
`);

const UNLOCK_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end`;

/** KEYS lock, session; ARGV token, session JSON, time to live in seconds. */
const SAVE = new Script(`
redis.call('set', KEYS[2], ARGV[2], 'EX', ARGV[3])
${UNLOCK_IF_OWNER}
return 1
`);

/** KEYS lock, session, seen; ARGV token. Delete my data: every key of the person goes. */
const FORGET = new Script(`
redis.call('del', KEYS[2], KEYS[3])
${UNLOCK_IF_OWNER}
return 1
`);

const UNLOCK = new Script(`${UNLOCK_IF_OWNER}\nreturn 1`);

/** Pauses between retries of a write: they cover a Redis restart (about a second). */
const RETRY_PAUSES_MS = [250, 500, 1000, 1500];

async function persistently(write: () => Promise<unknown>): Promise<void> {
  for (const pause of RETRY_PAUSES_MS) {
    try {
      await write();
      return;
    } catch {
      await sleep(pause);
    }
  }
  await write();
}

export class RedisStore implements SessionStore {
  // In-process first, so turns of one person in this process queue here instead of polling Redis.
  private readonly locks = new KeyedLock();

  constructor(
    readonly client: RedisClient,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {}

  static async connect(url: string, prefix: string, ttlSeconds: number, onError: (error: Error) => void): Promise<RedisStore> {
    const client = createRedisClient(url);
    client.on('error', onError);
    await client.connect();
    return new RedisStore(client, prefix, ttlSeconds);
  }

  turn<T>(user: string, messageId: string | undefined, decide: (session: Session | undefined) => Decision<T>): Promise<{ value: T } | undefined> {
    return this.locks.run(user, () => this.lockedTurn(user, messageId, decide));
  }

  async get(user: string): Promise<Session | undefined> {
    return decodeSession(await this.client.get(redisKey(this.prefix, user, 'session')));
  }

  ready(): boolean {
    return this.client.isReady;
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }

  private async lockedTurn<T>(user: string, messageId: string | undefined, decide: (session: Session | undefined) => Decision<T>): Promise<{ value: T } | undefined> {
    const [lock, seen, sessionKey] = (['lock', 'seen', 'session'] as const).map((kind) => redisKey(this.prefix, user, kind)) as [string, string, string];
    const token = randomUUID();
    const begin = [token, String(LOCK_TTL_MS), messageId ?? '', String(Date.now()), String(SEEN_TTL_SECONDS)];
    const deadline = Date.now() + LOCK_WAIT_MS;
    let begun = (await BEGIN.run(this.client, [lock, seen, sessionKey], begin)) as [string, string | null];
    for (let attempt = 0; begun[0] === 'busy'; attempt++) {
      // Another process is in a turn of this person: wait for it, briefly.
      if (Date.now() > deadline) throw new Error('timed out waiting for the person lock');
      await sleep(Math.min(5 * 2 ** attempt, 50));
      begin[3] = String(Date.now());
      begun = (await BEGIN.run(this.client, [lock, seen, sessionKey], begin)) as [string, string | null];
    }
    if (begun[0] === 'duplicate') return undefined;

    let decision: Decision<T>;
    try {
      decision = decide(decodeSession(begun[1]));
    } catch (error) {
      await UNLOCK.run(this.client, [lock], [token]).catch(() => undefined);
      throw error;
    }
    // Once the turn is computed, keeping it must not fail on a passing Redis hiccup: a write that
    // landed but whose answer was lost would make the person's repeated message count twice.
    // A write that lands while every retry fails can still do that: a narrow window, accepted.
    const { next } = decision;
    await persistently(() =>
      next
        ? SAVE.run(this.client, [lock, sessionKey], [token, JSON.stringify(next), String(this.ttlSeconds)])
        : FORGET.run(this.client, [lock, sessionKey, seen], [token]),
    );
    return { value: decision.value };
  }
}
