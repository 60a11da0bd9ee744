// The bot on a real Redis: retries answered once, several bot processes on one Redis, restarts of
// the bot and of Redis in the middle of a conversation, and delete-my-data leaving no key behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { inject } from 'vitest';
import { createBot, type Bot } from '../../src/bot.js';
import { createLogger } from '../../src/log.js';
import { userKey } from '../../src/privacy.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { catalog, TEST_SECRET } from '../helpers/bot.js';

const redisUrl = inject('redisUrl');
const log = createLogger('silent');
const open: RedisStore[] = [];

async function botOn(url: string, prefix: string): Promise<{ bot: Bot; store: RedisStore }> {
  const store = await RedisStore.connect(url, prefix, 3600, () => undefined);
  open.push(store);
  const bot = createBot({ store, catalog: () => catalog, log, userIdSecret: TEST_SECRET, sessionDays: 30, defaultLanguage: 'es' });
  return { bot, store };
}
afterAll(async () => {
  for (const store of open) await store.close().catch(() => undefined);
});

let ids = 0;
const text = (user: string, t: string, messageId = `m${++ids}`) => ({ channel: 'telegram', user, messageId, text: t, timestamp: 0 });

test('a channel retry of the same message is answered once', async () => {
  const { bot } = await botOn(redisUrl, `t-${randomUUID().slice(0, 8)}`);
  expect((await bot.handle(text('ana', 'hola', 'same'))).length).toBeGreaterThan(0);
  expect(await bot.handle(text('ana', 'hola', 'same'))).toEqual([]);
});

test('a restarted bot continues the conversation where it was', async () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const first = await botOn(redisUrl, prefix);
  await first.bot.handle(text('ben', 'hola'));
  await first.bot.handle(text('ben', '2'));
  await first.store.close();
  const second = await botOn(redisUrl, prefix);
  const replies = await second.bot.handle(text('ben', '1'));
  expect(replies.at(-1)?.text).toMatch(/En qué te puedo ayudar/);
  expect((await second.store.get(userKey(TEST_SECRET, 'telegram', 'ben')))?.profile).toEqual({ group: 'returned', age: 'under_18' });
});

test('two bot processes on one Redis take one person\'s messages one after the other', async () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const a = await botOn(redisUrl, prefix);
  const b = await botOn(redisUrl, prefix);
  for (let round = 0; round < 5; round++) {
    const user = `carla-${round}`;
    await a.bot.handle(text(user, 'hola'));
    // Both arrive at once, on different processes. Without a shared lock both would read the
    // profile question and the second answer (the age) would be lost.
    await Promise.all([a.bot.handle(text(user, '1')), b.bot.handle(text(user, '1'))]);
    const session = await a.store.get(userKey(TEST_SECRET, 'telegram', user));
    expect(session?.profile).toEqual({ group: 'transit', age: 'under_18' });
    expect(session?.node).toBe('main.menu');
  }
});

test('delete my data leaves no key for that person in Redis', async () => {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const { bot } = await botOn(redisUrl, prefix);
  await bot.handle(text('dora', 'hola'));
  await bot.handle(text('dora', '2'));
  await bot.handle(text('eva', 'hola'));
  await bot.handle(text('dora', 'borrar mis datos'));
  const admin = createClient({ url: redisUrl });
  await admin.connect();
  const keys: string[] = [];
  for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*` })) keys.push(...batch);
  await admin.close();
  const dora = userKey(TEST_SECRET, 'telegram', 'dora');
  expect(keys.filter((k) => k.includes(dora))).toEqual([]);
  expect(keys.some((k) => k.includes(userKey(TEST_SECRET, 'telegram', 'eva')))).toBe(true);
});

describe('Redis stopped and started again mid-conversation', () => {
  let redis: ChildProcess | undefined;
  let port = 0;
  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      const probe = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('redis-server did not start');
  };
  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    await startRedis();
  });
  afterAll(() => void redis?.kill('SIGKILL'));

  test('the bot keeps answering without memory, reports not ready, and resumes by itself', async () => {
    const { bot, store } = await botOn(`redis://127.0.0.1:${port}`, 'outage');
    await bot.handle(text('fran', 'hola'));
    expect(store.ready()).toBe(true);

    redis!.kill('SIGKILL');
    for (let i = 0; i < 50 && store.ready(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(store.ready()).toBe(false);
    const during = await bot.handle(text('fran', 'me quieren matar'));
    expect(during[0]!.text).toMatch(/no puedo recordar/);
    expect(during.map((r) => r.text).join('\n')).toContain('911');
    const menu = await bot.handle(text('fran', '2'));
    expect(menu.map((r) => r.text).join('\n')).toContain('Tus derechos');

    await startRedis();
    for (let i = 0; i < 100 && !store.ready(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(store.ready()).toBe(true);
    const after = await bot.handle(text('fran', 'hola'));
    expect(after[0]!.text).not.toMatch(/no puedo recordar/);
    expect(await store.get(userKey(TEST_SECRET, 'telegram', 'fran'))).toBeDefined();
  });
});
