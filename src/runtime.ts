// Builds the parts every entry point needs (server, chat, simulate): catalog, session store, bot.
import { createBot, type Bot } from './bot.js';
import type { Config } from './config.js';
import type { Catalog } from './content/catalog.js';
import { loadCatalog } from './content/load.js';
import { LiveCatalog } from './content/live-catalog.js';
import { ContentError } from './content/problems.js';
import type { Logger } from './log.js';
import { MemoryStore } from './store/memory-store.js';
import { createRateLimits } from './store/rate-limits.js';
import { RedisStore } from './store/redis-store.js';
import type { SessionStore } from './store/session-store.js';

export interface Runtime {
  bot: Bot;
  store: SessionStore;
  content: LiveCatalog;
  catalog: () => Catalog;
  close(): Promise<void>;
}

export function loadCatalogOrThrow(root: string): Catalog {
  const { catalog, problems } = loadCatalog(root);
  if (!catalog) throw new ContentError(problems.filter((p) => p.severity === 'error'));
  return catalog;
}

export async function createRuntime(config: Config, log: Logger, options: { now?: () => Date; limits?: false } = {}): Promise<Runtime> {
  const content = new LiveCatalog(config.CONTENT_DIR, log, loadCatalogOrThrow(config.CONTENT_DIR));
  const catalog = () => content.current;
  const ttlSeconds = Math.round(config.SESSION_TTL_DAYS * 24 * 60 * 60);
  const redis = config.REDIS_URL
    ? await RedisStore.connect(config.REDIS_URL, config.REDIS_PREFIX, ttlSeconds, (error) =>
        log.warn({ err: { message: error.message } }, 'redis connection problem'),
      )
    : undefined;
  const store: SessionStore = redis ?? new MemoryStore(ttlSeconds);
  const limits = createRateLimits({
    perPersonPerMinute: config.RATE_LIMIT_PER_MINUTE,
    globalPerSecond: config.RATE_LIMIT_GLOBAL_PER_SECOND,
    redis: redis && { client: redis.client, prefix: config.REDIS_PREFIX },
  });
  const bot = createBot({
    store,
    catalog,
    log,
    userIdSecret: config.USER_ID_SECRET,
    sessionDays: config.SESSION_TTL_DAYS,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    limits: options.limits === false ? undefined : limits,
    now: options.now,
  });
  return {
    bot,
    store,
    content,
    catalog,
    close: async () => {
      content.close();
      await store.close();
    },
  };
}
