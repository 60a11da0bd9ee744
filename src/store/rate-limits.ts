// Per-person and global message limits (rate-limiter-flexible): someone who floods the bot gets
// one friendly "slow down" a minute instead of silence, and the bot keeps serving everyone else.
// Per-person counters live in Redis when there is one, so every bot process counts together.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from './redis-store.js';

export type Verdict = 'ok' | 'slow_down' | 'quiet';

export interface RateLimits {
  check(user: string): Promise<Verdict>;
  /** Delete my data: the counters go too. */
  forget(user: string): Promise<void>;
}

export interface RateLimitSettings {
  perPersonPerMinute: number;
  globalPerSecond: number;
  redis?: { client: RedisClient; prefix: string };
}

export function createRateLimits(settings: RateLimitSettings): RateLimits {
  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract =>
    settings.redis
      ? new RateLimiterRedis({ storeClient: settings.redis.client, useRedisPackage: true, keyPrefix: `${settings.redis.prefix}:${keyPrefix}`, points, duration })
      : new RateLimiterMemory({ keyPrefix, points, duration });
  const perPerson = make('rate', settings.perPersonPerMinute, 60);
  const notices = make('rate-notice', 1, 60);
  // The global limit protects this process, so it is counted here.
  const global = new RateLimiterMemory({ keyPrefix: 'global', points: settings.globalPerSecond, duration: 1 });

  const allowed = async (limiter: RateLimiterAbstract, key: string) => {
    try {
      await limiter.consume(key);
      return true;
    } catch (rejection) {
      // A rejection is a RateLimiterRes; a store failure (Redis down) must not silence anyone.
      return !(rejection && typeof rejection === 'object' && 'msBeforeNext' in rejection);
    }
  };

  return {
    async check(user) {
      if ((await allowed(global, 'all')) && (await allowed(perPerson, user))) return 'ok';
      return (await allowed(notices, user)) ? 'slow_down' : 'quiet';
    },
    async forget(user) {
      await Promise.allSettled([perPerson.delete(user), notices.delete(user)]);
    },
  };
}
