// Message limits: a flood gets one friendly "slow down", then quiet; danger always gets through;
// counters are shared through Redis and forgotten with delete-my-data.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { inject } from 'vitest';
import { createBot } from '../../src/bot.js';
import { createLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createRateLimits } from '../../src/store/rate-limits.js';
import { RedisStore } from '../../src/store/redis-store.js';
import type { SessionStore } from '../../src/store/session-store.js';
import { catalog, TEST_SECRET } from '../helpers/bot.js';

let n = 0;
const msg = (user: string, text: string) => ({ channel: 'web', user, messageId: `r${++n}`, text, timestamp: 0 });
const botWith = (limits: ReturnType<typeof createRateLimits>, store: SessionStore = new MemoryStore(3600)) =>
  createBot({ store, catalog: () => catalog, log: createLogger('silent'), userIdSecret: TEST_SECRET, sessionDays: 30, defaultLanguage: 'es', limits });

test('past the limit: one slow-down reply, then quiet; others are still served', async () => {
  const bot = botWith(createRateLimits({ perPersonPerMinute: 3, globalPerSecond: 1000 }));
  for (let i = 0; i < 3; i++) expect((await bot.handle(msg('flood', 'hola'))).length).toBeGreaterThan(0);
  expect(await bot.handle(msg('flood', 'hola'))).toEqual([{ text: expect.stringMatching(/Vas muy rápido/) }]);
  expect(await bot.handle(msg('flood', 'hola'))).toEqual([]);
  expect((await bot.handle(msg('calm', 'hola'))).length).toBeGreaterThan(0);
});

test('a cry for help is answered even past the limit', async () => {
  const bot = botWith(createRateLimits({ perPersonPerMinute: 1, globalPerSecond: 1000 }));
  await bot.handle(msg('sos', 'hola'));
  await bot.handle(msg('sos', 'hola'));
  const help = await bot.handle(msg('sos', 'me quieren matar'));
  expect(help.map((r) => r.text).join('\n')).toContain('911');
});

test('the global limit protects the process', async () => {
  const bot = botWith(createRateLimits({ perPersonPerMinute: 100, globalPerSecond: 2 }));
  const answers = await Promise.all(['a', 'b', 'c', 'd'].map((u) => bot.handle(msg(u, 'hola'))));
  expect(answers.filter((a) => a[0]?.text.match(/Vas muy rápido/)).length).toBeGreaterThan(0);
});

test('with Redis, processes count together, and delete-my-data forgets the counters', async () => {
  const url = inject('redisUrl');
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const storeA = await RedisStore.connect(url, prefix, 3600, () => undefined);
  const storeB = await RedisStore.connect(url, prefix, 3600, () => undefined);
  const a = botWith(createRateLimits({ perPersonPerMinute: 3, globalPerSecond: 1000, redis: { client: storeA.client, prefix } }), storeA);
  const b = botWith(createRateLimits({ perPersonPerMinute: 3, globalPerSecond: 1000, redis: { client: storeB.client, prefix } }), storeB);
  await a.handle(msg('gus', 'hola'));
  await b.handle(msg('gus', '3'));
  await a.handle(msg('gus', 'borrar mis datos'));
  const admin = createClient({ url });
  await admin.connect();
  const keys: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*` })) keys.push(...batch);
  expect(keys).toEqual([]);
  await a.handle(msg('gus', 'hola'));
  await b.handle(msg('gus', 'hola'));
  await a.handle(msg('gus', 'hola'));
  expect(await b.handle(msg('gus', 'hola'))).toEqual([{ text: expect.stringMatching(/Vas muy rápido/) }]);
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*` })) if (batch.length) await admin.del(batch);
  await admin.close();
  await storeA.close();
  await storeB.close();
});
