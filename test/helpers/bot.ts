// A bot on the real content with an in-memory store and a fixed clock, for tests.
import { createBot, type Bot } from '../../src/bot.js';
import { createLogger } from '../../src/log.js';
import { userKey } from '../../src/privacy.js';
import { loadCatalogOrThrow } from '../../src/runtime.js';
import { projectRoot } from '../../src/paths.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { SessionStore } from '../../src/store/session-store.js';

export const TEST_SECRET = 'test-secret-0123456789';
export const catalog = loadCatalogOrThrow(projectRoot);

export function testBot(options: { store?: SessionStore; now?: Date } = {}): { bot: Bot; store: SessionStore; keyOf: (channel: string, user: string) => string } {
  const store = options.store ?? new MemoryStore(30 * 24 * 3600);
  const now = options.now ?? new Date('2026-03-02T10:00:00-06:00');
  const bot = createBot({
    store,
    catalog: () => catalog,
    log: createLogger('silent'),
    userIdSecret: TEST_SECRET,
    sessionDays: 30,
    defaultLanguage: 'es',
    now: () => now,
  });
  return { bot, store, keyOf: (channel, user) => userKey(TEST_SECRET, channel, user) };
}
