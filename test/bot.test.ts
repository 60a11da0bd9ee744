// bot.handle: the per-message path every channel shares.
import { createBot } from '../src/bot.js';
import { createLogger } from '../src/log.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { SessionStore } from '../src/store/session-store.js';
import { catalog, testBot } from './helpers/bot.js';

const msg = (user: string, text: string, messageId?: string) => ({ channel: 'telegram', user, text, messageId, timestamp: 0 });

test('messages from one person arriving at once are handled one after the other', async () => {
  const { bot, store, keyOf } = testBot();
  await bot.handle(msg('ana', 'hola'));
  // Without ordering, both would read the same session and one answer would be lost.
  const [first, second] = await Promise.all([bot.handle(msg('ana', '2')), bot.handle(msg('ana', '1'))]);
  expect(first.at(-1)?.text).toMatch(/Qué edad tienes/);
  expect(second.at(-1)?.text).toMatch(/En qué te puedo ayudar/);
  expect((await store.get(keyOf('telegram', 'ana')))?.profile).toEqual({ group: 'returned', age: 'under_18' });
});

test('a channel retry with the same message id gets no second answer', async () => {
  const { bot } = testBot();
  expect((await bot.handle(msg('ben', 'hola', 'tg-1'))).length).toBeGreaterThan(0);
  expect(await bot.handle(msg('ben', 'hola', 'tg-1'))).toEqual([]);
  expect((await bot.handle(msg('ben', '3', 'tg-2'))).length).toBeGreaterThan(0);
});

test('the same id on two channels is two different people', async () => {
  const { bot, store, keyOf } = testBot();
  await bot.handle(msg('42', 'hello'));
  await bot.handle({ ...msg('42', 'hola'), channel: 'whatsapp' });
  expect((await store.get(keyOf('telegram', '42')))?.lang).toBe('en');
  expect((await store.get(keyOf('whatsapp', '42')))?.lang).toBe('es');
});

test('delete my data leaves nothing for that person in the store', async () => {
  const store = new MemoryStore(3600);
  const { bot, keyOf } = testBot({ store });
  await bot.handle(msg('cai', 'hola', 'a'));
  await bot.handle(msg('cai', 'borrar mis datos', 'b'));
  expect(await store.get(keyOf('telegram', 'cai'))).toBeUndefined();
  store.sweep();
  expect((store as unknown as { people: Map<string, unknown> }).people.size).toBe(0);
});

test('when the store fails, the person still gets emergency help and the menu, and is told why', async () => {
  const broken: SessionStore = {
    turn: async () => {
      throw new Error('connection refused');
    },
    get: async () => {
      throw new Error('connection refused');
    },
    ready: () => false,
    close: async () => undefined,
  };
  const lines: string[] = [];
  const log = createLogger('silent');
  log.error = ((obj: unknown, message: string) => void lines.push(JSON.stringify(obj) + message)) as typeof log.error;
  const bot = createBot({ store: broken, catalog: () => catalog, log, userIdSecret: 'x'.repeat(16), sessionDays: 30, defaultLanguage: 'es' });
  const replies = await bot.handle(msg('+50499998888', 'me quieren matar'));
  expect(replies[0]!.text).toMatch(/no puedo recordar/);
  expect(replies[1]!.text).toContain('911');
  const menu = await bot.handle(msg('+50499998888', 'hola'));
  expect(menu.at(-1)?.choices?.map((c) => c.id)).toContain('find');
  const deletion = await bot.handle(msg('+50499998888', 'borrar mis datos'));
  expect(deletion).toEqual([{ text: expect.stringMatching(/no puedo borrar tus datos/) }]);
  expect(lines.join('\n')).not.toContain('+50499998888');
  expect(lines.join('\n')).not.toContain('matar');
});

test('logs carry neither the message text nor the clear user id', async () => {
  const { Writable } = await import('node:stream');
  const pino = (await import('pino')).default;
  let written = '';
  const sink = new Writable({ write: (chunk, _enc, done) => void ((written += chunk.toString()), done()) });
  const log = pino({ level: 'debug' }, sink);
  const bot = createBot({ store: new MemoryStore(60), catalog: () => catalog, log, userIdSecret: 'x'.repeat(16), sessionDays: 30, defaultLanguage: 'es' });
  await bot.handle(msg('+50499998888', 'hola soy Maria de San Pedro Sula', 'm1'));
  await bot.handle(msg('+50499998888', 'hola soy Maria de San Pedro Sula', 'm1'));
  await bot.handle(msg('+50499998888', 'borrar mis datos', 'm2'));
  expect(written).toContain('"user"');
  expect(written).not.toContain('50499998888');
  expect(written).not.toContain('Maria');
  expect(written).not.toContain('borrar');
});
