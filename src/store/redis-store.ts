// Sessions in Redis, shared by every bot process. Keys are built by one function and carry a
// {hash tag} so all of one person's keys sit in the same Redis Cluster slot.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import type { Session } from '../engine/session.js';
import { decodeSession, SEEN_TTL_SECONDS, type SessionStore } from './session-store.js';

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
const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class RedisStore implements SessionStore {
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

  async get(user: string): Promise<Session | undefined> {
    return decodeSession(await this.client.get(redisKey(this.prefix, user, 'session')));
  }

  async set(user: string, session: Session): Promise<void> {
    await this.client.set(redisKey(this.prefix, user, 'session'), JSON.stringify(session), { EX: this.ttlSeconds });
  }

  async delete(user: string): Promise<void> {
    await this.client.del([redisKey(this.prefix, user, 'session'), redisKey(this.prefix, user, 'seen')]);
  }

  async markSeen(user: string, messageId: string): Promise<boolean> {
    // One sorted set per person, scored by time: old ids are trimmed, and the whole set expires.
    const key = redisKey(this.prefix, user, 'seen');
    const now = Date.now();
    const [, added] = await this.client
      .multi()
      .zRemRangeByScore(key, '-inf', now - SEEN_TTL_SECONDS * 1000)
      .zAdd(key, { score: now, value: messageId }, { NX: true })
      .expire(key, SEEN_TTL_SECONDS)
      .exec();
    return Number(added) === 1;
  }

  /**
   * A lock per person shared by every bot process: SET NX with an expiry (so a crashed process
   * cannot hold it for ever) and a token, so only its owner releases it.
   */
  async withLock<T>(user: string, task: () => Promise<T>): Promise<T> {
    const key = redisKey(this.prefix, user, 'lock');
    const token = randomUUID();
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      if ((await this.client.set(key, token, { NX: true, PX: LOCK_TTL_MS })) === 'OK') break;
      if (Date.now() > deadline) throw new Error('timed out waiting for the person lock');
      await sleep(Math.min(5 * 2 ** attempt, 50));
    }
    try {
      return await task();
    } finally {
      await this.client.eval(RELEASE_IF_OWNER, { keys: [key], arguments: [token] }).catch(() => undefined);
    }
  }

  ready(): boolean {
    return this.client.isReady;
  }

  async close(): Promise<void> {
    if (this.client.isOpen) await this.client.close();
  }
}
