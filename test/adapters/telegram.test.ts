// The Telegram channel, driven through the real telegraf client against a local fake Bot API
// (test/adapters/fakes/telegram-api.ts): nothing here talks to the internet.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import type { Channel } from '../../adapters/channel.js';
import { createTelegramChannel, type TelegramOptions } from '../../adapters/telegram/index.js';
import { MAX_TELEGRAM_TEXT, parseUpdate } from '../../adapters/telegram/parse.js';
import { LOCATION_KEYBOARD, renderReplies, splitText, unbuttonable, type Outgoing } from '../../adapters/telegram/render.js';
import type { Bot } from '../../src/bot.js';
import { LANGUAGES, type Inbound, type Reply } from '../../src/model/message.js';
import { catalog, testBot } from '../helpers/bot.js';
import { channelContract, type ChannelDriver, type Shown } from './contract.js';
import { BLOCKED, SERVER_ERROR, TOO_MANY_REQUESTS, startFakeTelegramApi, type ApiCall, type FakeTelegramApi, type Params } from './fakes/telegram-api.js';

// ── Updates as Telegram sends them ────────────────────────────────────────────────────────────

const DATE = 1_772_470_800; // 2026-03-02, seconds

const privateChat = (chat: number) => ({ id: chat, type: 'private', first_name: 'Ana' });
const from = (chat: number) => ({ id: chat, is_bot: false, first_name: 'Ana', language_code: 'es' });

function textUpdate(chat: number, messageId: number, text: string): Params {
  return { message: { message_id: messageId, date: DATE, chat: privateChat(chat), from: from(chat), text } };
}

function locationUpdate(chat: number, messageId: number, location: { lat: number; lon: number }): Params {
  return { message: { message_id: messageId, date: DATE, chat: privateChat(chat), from: from(chat), location: { latitude: location.lat, longitude: location.lon } } };
}

function callbackUpdate(chat: number, queryId: string, data: unknown): Params {
  return {
    callback_query: {
      id: queryId,
      from: from(chat),
      chat_instance: '-5000',
      message: { message_id: 1, date: DATE, chat: privateChat(chat), text: 'menu' },
      ...(data === undefined ? {} : { data }),
    },
  };
}

// ── A channel against the fake, with the bot's turns and the logs recorded ───────────────────

interface Turn {
  inbound: Inbound;
  done: Promise<Reply[]>;
}

interface Harness {
  fake: FakeTelegramApi;
  channel: Channel;
  turns: Turn[];
  logs: string[];
  turnsOf(chat: number): Turn[];
  close(): Promise<void>;
}

async function harness(options: { bot?: Bot; channel?: Partial<TelegramOptions>; start?: boolean } = {}): Promise<Harness> {
  const fake = await startFakeTelegramApi();
  const inner = options.bot ?? testBot().bot;
  const turns: Turn[] = [];
  const bot: Bot = {
    handle(inbound) {
      const done = inner.handle(inbound);
      turns.push({ inbound, done });
      return done;
    },
  };
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString('utf8'));
      callback();
    },
  });
  const log = pino({ level: 'debug', base: undefined }, sink);
  const channel = createTelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, ...options.channel }, { bot, log });
  if (options.start !== false) await channel.start();
  return {
    fake,
    channel,
    turns,
    logs,
    turnsOf: (chat) => turns.filter((t) => t.inbound.user === String(chat)),
    async close() {
      await channel.stop();
      await fake.close();
    },
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const isSend = (call: ApiCall) => call.method === 'sendMessage' || call.method === 'sendLocation';

/**
 * Delivers one update and resolves with what reached that chat: waits for the bot's turn, then
 * for exactly as many accepted sends as its replies render to (so nothing is cut short, and no
 * waiting on the clock).
 */
async function exchange(h: Harness, chat: number, deliver: () => unknown): Promise<ApiCall[]> {
  const turnsBefore = h.turnsOf(chat).length;
  const callsBefore = h.fake.calls.length;
  await deliver();
  await until(() => h.turnsOf(chat).length > turnsBefore, `the bot's turn for chat ${chat}`);
  const replies = await h.turnsOf(chat)[turnsBefore]!.done;
  const expected = renderReplies(replies).length;
  const sent = () => h.fake.calls.slice(callsBefore).filter((c) => isSend(c) && c.status === 200 && c.params.chat_id === chat);
  await h.fake.waitFor(() => sent().length >= expected);
  return sent();
}

type InlineKeyboard = { inline_keyboard: { text: string; callback_data: string }[][] };

function shown(calls: ApiCall[]): Shown[] {
  return calls
    .filter((c) => c.method === 'sendMessage')
    .map((c) => {
      const markup = c.params.reply_markup as Partial<InlineKeyboard> | undefined;
      const buttons = markup?.inline_keyboard?.flat();
      const text = String(c.params.text);
      return buttons ? { text, choices: buttons.map((b) => ({ id: b.callback_data, label: b.text })) } : { text };
    });
}

// ── The shared contract ──────────────────────────────────────────────────────────────────────

async function makeDriver(): Promise<ChannelDriver> {
  const h = await harness();
  const chats = new Map<string, number>();
  const messageIds = new Map<string, number>();
  const chatOf = (user: string) => chats.get(user) ?? (chats.set(user, 1000 + chats.size), chats.get(user)!);
  // The same (person, id) is the same Telegram message: a redelivery.
  const messageIdOf = (user: string, id: string) => messageIds.get(`${user}\n${id}`) ?? (messageIds.set(`${user}\n${id}`, messageIds.size + 1), messageIds.get(`${user}\n${id}`)!);
  return {
    async send({ user, id, text, location }) {
      const chat = chatOf(user);
      const update = text !== undefined ? textUpdate(chat, messageIdOf(user, id), text) : locationUpdate(chat, messageIdOf(user, id), location!);
      return shown(await exchange(h, chat, () => h.fake.push(update)));
    },
    async press({ user, id, choice }) {
      const chat = chatOf(user);
      return shown(await exchange(h, chat, () => h.fake.push(callbackUpdate(chat, `q-${chat}-${messageIdOf(user, id)}`, choice.id))));
    },
    close: () => h.close(),
  };
}

channelContract('telegram', makeDriver);

// ── parse ────────────────────────────────────────────────────────────────────────────────────

describe('telegram: parse', () => {
  test('a text message becomes a text inbound from the chat, with a stable message id', () => {
    const update = { update_id: 9, ...textUpdate(42, 7, 'hola') };
    const parsed = parseUpdate(update);
    expect(parsed).toEqual({ chatId: 42, inbound: { channel: 'telegram', user: '42', messageId: '42:7', text: 'hola', timestamp: DATE * 1000 } });
    // Telegram redelivering the same update (webhook retry, restart) gives the same message id.
    expect(parseUpdate({ update_id: 10, ...textUpdate(42, 7, 'hola') }).inbound?.messageId).toBe('42:7');
  });

  test('a shared location becomes a location inbound; an impossible one is ignored', () => {
    expect(parseUpdate({ update_id: 1, ...locationUpdate(42, 8, { lat: 15.5, lon: -88.03 }) }).inbound).toMatchObject({ location: { lat: 15.5, lon: -88.03 }, messageId: '42:8' });
    const wrong = parseUpdate({ update_id: 2, ...locationUpdate(42, 9, { lat: 200, lon: 0 }) });
    expect(wrong.inbound).toBeUndefined();
  });

  test('a tapped button becomes a choice, and the query is to be answered', () => {
    const parsed = parseUpdate({ update_id: 3, ...callbackUpdate(42, '987654321', 'find') }, 5_000);
    expect(parsed).toEqual({
      chatId: 42,
      callbackQueryId: '987654321',
      inbound: { channel: 'telegram', user: '42', messageId: 'cb:987654321', choice: 'find', timestamp: 5_000 },
    });
    expect(parseUpdate({ update_id: 4, ...callbackUpdate(42, 'q', 'a'.repeat(64)) }).inbound?.choice).toBe('a'.repeat(64));
  });

  test.each([
    ['too long', 'a'.repeat(65)],
    ['over 64 bytes in UTF-8', 'ñ'.repeat(33)],
    ['a number', 42],
    ['an object', { id: 'find' }],
    ['empty', ''],
    ['not a plain id', 'find\nmenu'],
    ['missing', undefined],
  ])('callback data that is %s is refused, but the query is still answered', (_what, data) => {
    const parsed = parseUpdate({ update_id: 5, ...callbackUpdate(42, 'q-1', data) });
    expect(parsed.inbound).toBeUndefined();
    expect(parsed.callbackQueryId).toBe('q-1');
  });

  test.each([
    ['photo', { photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }] }],
    ['sticker', { sticker: { file_id: 'f' } }],
    ['voice', { voice: { file_id: 'f', duration: 3 } }],
  ])('a %s is ignored, and the reason names only its kind', (kind, content) => {
    const parsed = parseUpdate({ update_id: 6, message: { message_id: 1, date: DATE, chat: privateChat(42), ...content } });
    expect(parsed.inbound).toBeUndefined();
    expect(parsed.ignored).toBe(`${kind} message`);
  });

  test('groups, edits, other updates and non-updates are ignored', () => {
    const group = { update_id: 7, message: { message_id: 1, date: DATE, chat: { id: -100, type: 'group', title: 'x' }, text: 'hola' } };
    expect(parseUpdate(group).inbound).toBeUndefined();
    expect(parseUpdate({ update_id: 8, edited_message: textUpdate(42, 1, 'hola').message }).inbound).toBeUndefined();
    for (const junk of [null, 'hola', [], {}, { update_id: -1 }, { update_id: 'x', ...textUpdate(42, 1, 'hola') }]) {
      expect(parseUpdate(junk).inbound).toBeUndefined();
    }
  });

  test('a text over 4096 characters is cut, never inside an emoji', () => {
    const long = 'a'.repeat(MAX_TELEGRAM_TEXT - 1) + '😀' + 'b'.repeat(10);
    const text = parseUpdate({ update_id: 9, ...textUpdate(42, 1, long) }).inbound?.text;
    expect(text).toBe('a'.repeat(MAX_TELEGRAM_TEXT - 1));
    expect(parseUpdate({ update_id: 10, ...textUpdate(42, 2, 'x'.repeat(5000)) }).inbound?.text).toHaveLength(MAX_TELEGRAM_TEXT);
  });
});

// ── render ───────────────────────────────────────────────────────────────────────────────────

describe('telegram: render', () => {
  test('choices become an inline keyboard, one button per row, the choice id as callback data', () => {
    const out = renderReplies([{ text: 'Menú', choices: [{ id: 'find', label: 'Buscar' }, { id: 'rights', label: 'Derechos' }] }]);
    expect(out).toEqual([
      { method: 'sendMessage', text: 'Menú', reply_markup: { inline_keyboard: [[{ text: 'Buscar', callback_data: 'find' }], [{ text: 'Derechos', callback_data: 'rights' }]] } },
    ]);
  });

  test('a choice id that cannot be callback data is left out, and reported', () => {
    const replies: Reply[] = [{ text: 'Elige', choices: [{ id: 'x'.repeat(65), label: 'Largo' }, { id: 'ok', label: 'Bien' }] }];
    const [message] = renderReplies(replies);
    expect(message).toMatchObject({ reply_markup: { inline_keyboard: [[{ text: 'Bien', callback_data: 'ok' }]] } });
    expect(unbuttonable(replies)).toEqual(['x'.repeat(65)]);
  });

  test.each(LANGUAGES)('the location question (%s) offers a one-time button that shares the location', (lang) => {
    const question = catalog.text(lang, 'find.where');
    expect(question.startsWith('📍')).toBe(true);
    const [message] = renderReplies([{ text: question }]);
    expect(message).toEqual({ method: 'sendMessage', text: question, reply_markup: LOCATION_KEYBOARD });
    expect(LOCATION_KEYBOARD).toMatchObject({ keyboard: [[{ text: '📍', request_location: true }]], one_time_keyboard: true });
  });

  test('other plain texts take the location button away', () => {
    expect(renderReplies([{ text: 'Gracias' }])).toEqual([{ method: 'sendMessage', text: 'Gracias', reply_markup: { remove_keyboard: true } }]);
  });

  test('a link is a line with its URL; a place is a map pin after its text', () => {
    const out = renderReplies([
      { text: 'CAMR Belén', link: { url: 'https://maps.example/?q=1', label: 'Ver en el mapa' }, location: { lat: 15.5, lon: -88, name: 'CAMR Belén' } },
    ]);
    expect(out).toEqual<Outgoing[]>([
      { method: 'sendMessage', text: 'CAMR Belén\n\nVer en el mapa: https://maps.example/?q=1', reply_markup: { remove_keyboard: true } },
      { method: 'sendLocation', latitude: 15.5, longitude: -88 },
    ]);
  });

  test('a long text is split at line breaks, each part within 4096, the buttons under the last', () => {
    const lines = Array.from({ length: 150 }, (_, i) => `${i}: ${'palabra '.repeat(10)}`.trim());
    const text = lines.join('\n');
    const out = renderReplies([{ text, choices: [{ id: 'menu', label: 'Menú' }] }]);
    expect(out.length).toBeGreaterThan(1);
    const texts = out.map((o) => (o.method === 'sendMessage' ? o.text : ''));
    for (const part of texts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(texts.join('\n')).toBe(text);
    expect(out.slice(0, -1).every((o) => o.method === 'sendMessage' && o.reply_markup === undefined)).toBe(true);
    expect(out.at(-1)).toMatchObject({ reply_markup: { inline_keyboard: [[{ callback_data: 'menu' }]] } });
  });

  test('a long text with no line breaks is cut hard, never inside an emoji', () => {
    const text = 'a' + '😀'.repeat(3000);
    const parts = splitText(text);
    expect(parts.join('')).toBe(text);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });
});

// ── long polling, failures, privacy ──────────────────────────────────────────────────────────

describe('telegram: long polling', () => {
  test('start() clears any webhook and polls; stop() ends polling and resolves', async () => {
    const h = await harness();
    try {
      expect(h.fake.calls.map((c) => c.method)).toContain('getMe');
      await h.fake.waitFor((calls) => calls.some((c) => c.method === 'deleteWebhook') && calls.some((c) => c.method === 'getUpdates'));
      const [reply] = shown(await exchange(h, 7, () => h.fake.push(textUpdate(7, 1, 'hola'))));
      expect(reply?.text).toContain('Soy Puente');
    } finally {
      await h.close();
    }
  });

  test('polling refused by Telegram (409: another poller, a webhook) restarts by itself', async () => {
    const h = await harness({ start: false });
    try {
      h.fake.failNext('getUpdates', { status: 409, body: { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request' } });
      await h.channel.start();
      const sent = await exchange(h, 14, () => h.fake.push(textUpdate(14, 1, 'hola')));
      expect(shown(sent)[0]?.text).toContain('Soy Puente');
      expect(h.fake.calls.filter((c) => c.method === 'getUpdates' && c.status === 409)).toHaveLength(1);
      expect(h.logs.join('')).toContain('restarting');
    } finally {
      await h.close();
    }
  });

  test('a rejected token fails start() with a clear message', async () => {
    const fake = await startFakeTelegramApi();
    try {
      const channel = createTelegramChannel({ token: '999:wrong', apiRoot: fake.apiRoot }, { bot: testBot().bot, log: pino({ level: 'silent' }) });
      await expect(channel.start()).rejects.toThrow(/TELEGRAM_BOT_TOKEN/);
      await channel.stop();
    } finally {
      await fake.close();
    }
  });

  test('a 429 with retry_after is waited out and the message still arrives, once', async () => {
    const h = await harness();
    try {
      h.fake.failNext('sendMessage', TOO_MANY_REQUESTS);
      const sent = await exchange(h, 8, () => h.fake.push(textUpdate(8, 1, 'hola')));
      const attempts = h.fake.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === 8);
      expect(attempts[0]?.status).toBe(429);
      expect(attempts[1]).toMatchObject({ status: 200, params: { text: attempts[0]?.params.text } });
      expect(shown(sent).map((s) => s.text)).toEqual(renderReplies(await h.turnsOf(8)[0]!.done).map((o) => (o.method === 'sendMessage' ? o.text : '')));
      expect(h.logs.join('')).toContain('retrying');
    } finally {
      await h.close();
    }
  });

  test('a server error is retried; a refusal (blocked bot) is not, and the chat keeps working', async () => {
    const h = await harness();
    try {
      h.fake.failNext('sendMessage', SERVER_ERROR);
      const first = await exchange(h, 9, () => h.fake.push(textUpdate(9, 1, 'hola')));
      expect(shown(first)[0]?.text).toContain('Soy Puente');
      expect(h.fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 500)).toHaveLength(1);

      h.fake.failNext('sendMessage', BLOCKED);
      const before = h.fake.calls.length;
      h.fake.push(textUpdate(9, 2, 'menú'));
      await until(() => h.turnsOf(9).length === 2, 'the second turn');
      expect((await h.turnsOf(9)[1]!.done).length).toBeGreaterThan(0);
      // The next message in the chat is handled only after the refused delivery has given up.
      const third = await exchange(h, 9, () => h.fake.push(textUpdate(9, 3, 'ayuda')));
      expect(third.length).toBeGreaterThan(0);
      expect(h.fake.calls.slice(before).filter((c) => c.status === 403)).toHaveLength(1);
      // Given up after the refusal: none of the second turn's replies went out, all of the third's did.
      expect(h.fake.calls.slice(before).filter((c) => isSend(c) && c.status === 200)).toHaveLength(third.length);
    } finally {
      await h.close();
    }
  });

  test('a failing bot turn sends nothing and does not stop the channel', async () => {
    const { bot } = testBot();
    let fail = true;
    const flaky: Bot = {
      handle(inbound) {
        if (fail) {
          fail = false;
          return Promise.reject(new Error('store down'));
        }
        return bot.handle(inbound);
      },
    };
    const h = await harness({ bot: flaky });
    try {
      const nothing = await exchange(h, 10, () => h.fake.push(textUpdate(10, 1, 'hola'))).catch(() => 'rejected');
      expect(nothing).toBe('rejected'); // the turn itself failed: exchange cannot read its replies
      const after = await exchange(h, 10, () => h.fake.push(textUpdate(10, 2, 'hola')));
      expect(shown(after)[0]?.text).toContain('Soy Puente');
      expect(h.fake.calls.filter((c) => isSend(c) && c.params.chat_id === 10)).toHaveLength(after.length);
    } finally {
      await h.close();
    }
  });

  test('every tapped button is answered; one with bad data goes no further', async () => {
    const h = await harness();
    try {
      h.fake.push(callbackUpdate(11, 'q-bad', 'x'.repeat(65)));
      h.fake.push(callbackUpdate(11, 'q-num', 42));
      await h.fake.waitFor((calls) => ['q-bad', 'q-num'].every((id) => calls.some((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id)));
      h.fake.push({ message: { message_id: 5, date: DATE, chat: privateChat(11), sticker: { file_id: 'f' } } });
      // Later updates of the chat are handled in order: by the time this is answered, the others were dropped.
      await exchange(h, 11, () => h.fake.push(textUpdate(11, 6, 'hola')));
      expect(h.turnsOf(11).map((t) => t.inbound.text)).toEqual(['hola']);

      const pressed = await exchange(h, 11, () => h.fake.push(callbackUpdate(11, 'q-ok', 'skip')));
      expect(h.fake.calls.some((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === 'q-ok')).toBe(true);
      expect(shown(pressed).flatMap((s) => s.choices ?? []).length).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });

  test('the location question comes with the location button; the shared location is answered', async () => {
    const h = await harness();
    try {
      await exchange(h, 12, () => h.fake.push(textUpdate(12, 1, 'hola')));
      const asked = await exchange(h, 12, () => h.fake.push(textUpdate(12, 2, 'tengo hambre')));
      const question = asked.find((c) => String(c.params.text).startsWith('📍'));
      expect(question?.params.reply_markup).toEqual(LOCATION_KEYBOARD);
      const found = await exchange(h, 12, () => h.fake.push(locationUpdate(12, 3, { lat: 15.5, lon: -88.03 })));
      expect(shown(found).map((s) => s.text).join('\n')).toContain('Centros más cercanos');
      expect(found.some((c) => c.method === 'sendLocation')).toBe(true);
    } finally {
      await h.close();
    }
  });

  test('a reply longer than 4096 characters arrives in parts Telegram accepts', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `Línea ${i} del texto largo.`).join('\n');
    const h = await harness({ bot: { handle: () => Promise.resolve([{ text: long, choices: [{ id: 'menu', label: 'Menú' }] }]) } });
    try {
      const sent = await exchange(h, 13, () => h.fake.push(textUpdate(13, 1, 'hola')));
      expect(sent.length).toBeGreaterThan(2);
      expect(h.fake.calls.filter((c) => c.status !== 200 && c.method !== 'getUpdates')).toEqual([]);
      expect(sent.map((c) => c.params.text).join('\n')).toBe(long);
      expect(shown(sent).at(-1)?.choices).toEqual([{ id: 'menu', label: 'Menú' }]);
    } finally {
      await h.close();
    }
  });

  test('the logs hold neither the chat id, nor the text, nor the token', async () => {
    const h = await harness();
    const chat = 987_654_321;
    try {
      h.fake.failNext('sendMessage', SERVER_ERROR);
      h.fake.push({ message: { message_id: 1, date: DATE, chat: privateChat(chat), photo: [] } });
      await exchange(h, chat, () => h.fake.push(textUpdate(chat, 2, 'me llamo Rosa Elvira')));
    } finally {
      await h.close();
    }
    const logs = h.logs.join('\n');
    expect(logs).toContain('retrying');
    expect(logs).toContain('photo message');
    expect(logs).not.toContain(String(chat));
    expect(logs).not.toContain('Rosa');
    expect(logs).not.toContain('Soy Puente');
    expect(logs).not.toContain(h.fake.token.split(':')[1]);
  });
});

// ── webhook mode ─────────────────────────────────────────────────────────────────────────────

describe('telegram: webhook', () => {
  const SECRET = 'webhook_secret-0123456789abcdef';
  let h: Harness;
  let server: Server;
  let base: string;

  const post = (body: string, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': SECRET }) =>
    fetch(`${base}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  beforeAll(async () => {
    h = await harness({ channel: { publicUrl: 'https://puente.example.org/', webhookSecret: SECRET } });
    const app = express();
    app.use(h.channel.router!);
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => server.close(resolve));
  });

  test('webhook mode needs a secret, in Telegram\'s alphabet', async () => {
    const fake = { token: '1:x', apiRoot: 'http://127.0.0.1:9' };
    const deps = { bot: testBot().bot, log: pino({ level: 'silent' }) };
    expect(() => createTelegramChannel({ ...fake, publicUrl: 'https://puente.example.org' }, deps)).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => createTelegramChannel({ ...fake, publicUrl: 'https://puente.example.org', webhookSecret: 'not ok!' }, deps)).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(createTelegramChannel(fake, deps).router).toBeUndefined();
  });

  test('start() sets the webhook with the secret, and does not poll', () => {
    expect(h.fake.webhook).toEqual({ url: 'https://puente.example.org/webhooks/telegram', secretToken: SECRET });
    expect(h.fake.calls.some((c) => c.method === 'getUpdates')).toBe(false);
  });

  test('an update with the right secret is answered', async () => {
    let response: Response | undefined;
    const sent = await exchange(h, 21, async () => (response = await post(JSON.stringify({ update_id: 1, ...textUpdate(21, 1, 'hola') }))));
    expect(response?.status).toBe(200);
    expect(shown(sent)[0]?.text).toContain('Soy Puente');
  });

  test('a missing or wrong secret is refused and nothing is processed', async () => {
    const body = JSON.stringify({ update_id: 2, ...textUpdate(22, 1, 'hola') });
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(403);
    expect((await post(body, { 'x-telegram-bot-api-secret-token': SECRET.replace(/.$/, 'X') })).status).toBe(403);
    expect(h.turnsOf(22)).toEqual([]);
    // Another chat's update goes through; still nothing was sent to the refused one.
    await exchange(h, 23, () => post(JSON.stringify({ update_id: 3, ...textUpdate(23, 1, 'hola') })));
    expect(h.turnsOf(22)).toEqual([]);
    expect(h.fake.calls.filter((c) => c.params.chat_id === 22)).toEqual([]);
  });

  test('a malformed body is refused with 400', async () => {
    expect((await post('{"update_id": 4, "message": ')).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post('{"message": {}}')).status).toBe(400);
    expect((await post('"hola"')).status).toBe(400);
    expect(h.turns.filter((t) => t.inbound.user === '24')).toEqual([]);
  });

  test('the same update delivered twice is answered once', async () => {
    const body = JSON.stringify({ update_id: 5, ...textUpdate(25, 1, 'hola') });
    const first = await exchange(h, 25, () => post(body));
    const again = await exchange(h, 25, () => post(body));
    expect(first.length).toBeGreaterThan(0);
    expect(again).toEqual([]);
    expect(h.fake.calls.filter((c) => isSend(c) && c.params.chat_id === 25)).toHaveLength(first.length);
  });

  test('once stopping, updates are turned away for Telegram to deliver again later', async () => {
    const other = await harness({ channel: { publicUrl: 'https://puente.example.org', webhookSecret: SECRET } });
    await other.channel.stop();
    const app = express();
    app.use(other.channel.router!);
    const stopped = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    try {
      const url = `http://127.0.0.1:${(stopped.address() as AddressInfo).port}/webhooks/telegram`;
      const body = JSON.stringify({ update_id: 1, ...textUpdate(27, 1, 'hola') });
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }, body });
      expect(response.status).toBe(503);
      expect(other.turns).toEqual([]);
    } finally {
      await new Promise((resolve) => stopped.close(resolve));
      await other.close();
    }
  });

  test('a tapped button is answered over the webhook too', async () => {
    await exchange(h, 26, () => post(JSON.stringify({ update_id: 6, ...textUpdate(26, 1, 'hello') })));
    const skipped = await exchange(h, 26, () => post(JSON.stringify({ update_id: 7, ...callbackUpdate(26, 'q-w1', 'skip') })));
    expect(shown(skipped).map((s) => s.text).join('\n')).toContain('How can I help');
    expect(h.fake.calls.some((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === 'q-w1')).toBe(true);
  });
});
