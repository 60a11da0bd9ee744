// Sessions in Redis, shared by every bot process. A person is one key, built by one function,
// holding their session and the digests of their latest message ids. A turn costs two round trips,
// the same as a bare GET and SET: a GET, and one small script that writes only if the key still
// holds what was read (optimistic concurrency), so turns of one person in several processes never
// overwrite each other, and there is no lock to wait for or to leave behind after a crash.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import type { Session } from '../engine/session.js';
import { KeyedLock } from './keyed-lock.js';
import { decodeSession, planTurn, type Decision, type SessionStore } from './session-store.js';

/** A client whose commands fail at once while Redis is down, instead of queueing without end. */
export function createRedisClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000), connectTimeout: 5_000 },
  });
}
export type RedisClient = ReturnType<typeof createRedisClient>;

/** The {hash tag} puts everything of one person in one Redis Cluster slot, as a script requires of its keys. */
export function redisKey(prefix: string, user: string): string {
  return `${prefix}:{${user}}:session`;
}

/**
 * A Lua script run by its SHA1, sent in full only the first time a server has not seen it. Sent
 * as a raw command: the client's typed command layer costs as much again, on every turn.
 */
class Script {
  private readonly sha: string;
  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  run(client: RedisClient, keys: string[], args: string[]): Promise<unknown> {
    const rest = [String(keys.length), ...keys, ...args];
    return client.sendCommand(['EVALSHA', this.sha, ...rest]).catch((error: unknown) => {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.sendCommand(['EVAL', this.source, ...rest]);
    });
  }
}

/**
 * KEYS person; ARGV what the turn read ('' for nobody), what it keeps ('' to forget), seconds to live.
 * Writes only if the key still holds what was read, and answers 1; otherwise answers what the key
 * holds now, for the turn to be decided again on it. Finding what the turn keeps already there
 * means this very write landed before and its answer was lost (every write is tagged, so another
 * process's write of the same session never looks like it): that counts as written.
 */
const WRITE_IF_UNCHANGED = new Script(`
local now = redis.call('get', KEYS[1]) or ''
if now ~= ARGV[1] and now ~= ARGV[2] then return now end
if ARGV[2] == '' then redis.call('del', KEYS[1]) else redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3]) end
return 1
`);

/** Turns of one person that other processes may land between a read and a write; more is a fault. */
const MAX_CONFLICTS = 20;

/** Pauses between retries of a write: they cover a Redis restart (about a second). */
const RETRY_PAUSES_MS = [250, 500, 1000, 1500];

/** Writes, and through a short outage writes again after each pause; the last failure is the answer. */
function persistently<T>(write: () => Promise<T>, pauses: readonly number[] = RETRY_PAUSES_MS): Promise<T> {
  return write().catch(async (error: unknown) => {
    if (!pauses.length) throw error;
    await sleep(pauses[0]);
    return persistently(write, pauses.slice(1));
  });
}

export class RedisStore implements SessionStore {
  // In-process first, so turns of one person in this process never conflict with each other.
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
    return this.locks.run(user, () => this.turnInRedis(user, messageId, decide));
  }

  async get(user: string): Promise<Session | undefined> {
    return decodeSession(await this.client.get(redisKey(this.prefix, user)));
  }

  ready(): boolean {
    return this.client.isReady;
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }

  private async turnInRedis<T>(user: string, messageId: string | undefined, decide: (session: Session | undefined) => Decision<T>): Promise<{ value: T } | undefined> {
    const key = redisKey(this.prefix, user);
    const ttl = String(this.ttlSeconds);
    let read = ((await this.client.sendCommand(['GET', key])) as string | null) ?? '';
    for (let conflicts = 0; ; conflicts++) {
      const planned = planTurn(read, messageId, decide);
      if (planned.duplicate) return undefined;
      // Once the turn is computed, keeping it must not fail on a passing Redis hiccup; a retried
      // write that had landed is recognised by the script, so nothing counts twice.
      const kept = planned.write ?? '';
      const answer = await persistently(() => WRITE_IF_UNCHANGED.run(this.client, [key], [read, kept, ttl]));
      if (typeof answer !== 'string') return { value: planned.value };
      if (conflicts >= MAX_CONFLICTS) throw new Error('the session kept changing in other processes during this turn');
      read = answer;
    }
  }
}
