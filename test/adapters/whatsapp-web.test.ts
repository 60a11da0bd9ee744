// The WhatsApp Web channel, driven through a fake whatsapp-web.js client (no browser, no network):
// the shared contract, what is ignored or politely refused, the login QR and its admin page,
// reconnects with a growing pause, paced sending that never drops a message, and send failures.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { CHROMIUM_ARGS, createRealClient, type WhatsAppMessageLike } from '../../adapters/whatsapp-web/client.js';
import {
  CONNECT_WAIT_MS,
  createWhatsAppWebChannel,
  RECONNECT_MAX_MS,
  RECONNECT_MIN_MS,
  reconnectDelay,
  type WhatsAppWebChannel,
  type WhatsAppWebDeps,
  type WhatsAppWebOptions,
} from '../../adapters/whatsapp-web/index.js';
import { createPacer, type Clock } from '../../adapters/whatsapp-web/pacing.js';
import { parseMessage, UNSUPPORTED_REPLY } from '../../adapters/whatsapp-web/parse.js';
import { MAX_MESSAGE_CHARS, renderReplies, splitText } from '../../adapters/whatsapp-web/render.js';
import type { Bot } from '../../src/bot.js';
import type { Inbound } from '../../src/model/message.js';
import { projectRoot } from '../../src/paths.js';
import { createServer } from '../../src/server/app.js';
import { catalog, testBot } from '../helpers/bot.js';
import { channelContract, type ChannelDriver, type Shown } from './contract.js';
import { FakeWhatsAppClient, waMessage, type SentMessage } from './fakes/whatsapp-client.js';

const TOKEN = 'admin-token-for-tests-0123';
const chat = (user: string) => `${user}@c.us`;
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

/** Virtual time: sleep() waits until the test moves the clock past it. */
class ManualClock implements Clock {
  private time = 0;
  private timers: { at: number; wake: () => void }[] = [];
  now = () => this.time;
  sleep = (ms: number) => new Promise<void>((wake) => void this.timers.push({ at: this.time + ms, wake }));
  /** Moves to the next sleeper's time and wakes it; false when nobody sleeps. */
  step(): boolean {
    this.timers.sort((a, b) => a.at - b.at);
    const timer = this.timers.shift();
    if (!timer) return false;
    this.time = Math.max(this.time, timer.at);
    timer.wake();
    return true;
  }
  async runUntil(done: Promise<unknown>): Promise<void> {
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 10_000; i++) {
      await settle();
      if (finished) return;
      if (!this.step()) throw new Error('nothing is sleeping, and the work is not done');
    }
    throw new Error('too many steps');
  }
}

/** A scheduler the test runs by hand, recording each delay. */
function manualSchedule() {
  const calls: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const schedule = (run: () => void, ms: number) => {
    const call = { ms, run, cancelled: false };
    calls.push(call);
    return () => void (call.cancelled = true);
  };
  return { calls, schedule };
}

function expectPaced(sent: SentMessage[], chatMs: number, globalMs: number): void {
  for (let i = 1; i < sent.length; i++) expect(sent[i]!.at - sent[i - 1]!.at).toBeGreaterThanOrEqual(globalMs);
  const last = new Map<string, number>();
  for (const { chatId, at } of sent) {
    const before = last.get(chatId);
    if (before !== undefined) expect(at - before).toBeGreaterThanOrEqual(chatMs);
    last.set(chatId, at);
  }
}

interface Running {
  channel: WhatsAppWebChannel;
  clients: FakeWhatsAppClient[];
  client(): FakeWhatsAppClient;
  logs: string[];
  printed: string[];
}

async function startChannel(options: Partial<WhatsAppWebOptions> = {}, deps: Partial<WhatsAppWebDeps> = {}): Promise<Running> {
  const logs: string[] = [];
  const printed: string[] = [];
  const clients: FakeWhatsAppClient[] = [];
  const clock = deps.clock;
  const channel = createWhatsAppWebChannel(
    { chromiumPath: '/usr/bin/chromium', dataDir: join(tmpdir(), 'puente-wweb-never-used'), chatIntervalMs: 2, globalIntervalMs: 1, ...options },
    {
      bot: testBot().bot,
      log: pino({ level: 'debug', base: undefined }, { write: (line: string) => void logs.push(line) }),
      createClient: () => {
        const client = new FakeWhatsAppClient(clock ? () => clock.now() : undefined);
        clients.push(client);
        return client;
      },
      printQr: (qr) => void printed.push(qr),
      retryDelayMs: 1,
      ...deps,
    },
  );
  await channel.start();
  return { channel, clients, client: () => clients.at(-1)!, logs, printed };
}

/** What the same bot answers, rendered: the messages a person must receive. */
async function expectedTexts(inbound: Omit<Inbound, 'channel' | 'timestamp'>): Promise<string[]> {
  return renderReplies(await testBot().bot.handle({ channel: 'whatsapp-web', timestamp: 0, ...inbound }));
}

// ---------------------------------------------------------------------------------------------

channelContract('whatsapp-web', async (): Promise<ChannelDriver> => {
  const running = await startChannel();
  running.client().emit('ready');
  const deliver = async (user: string, message: WhatsAppMessageLike): Promise<Shown[]> => {
    const client = running.client();
    const before = client.sent.length;
    await client.deliver(message);
    await running.channel.idle();
    return client.sent
      .slice(before)
      .filter((s) => s.chatId === chat(user))
      .map((s) => ({ text: s.text }));
  };
  return {
    send: ({ user, id, text, location }) =>
      deliver(
        user,
        location
          ? waMessage({ from: chat(user), id, type: 'location', location: { latitude: location.lat, longitude: location.lon } })
          : waMessage({ from: chat(user), id, body: text ?? '' }),
      ),
    // WhatsApp Web shows no buttons (the contract types numbers); typing the label works too.
    press: ({ user, id, choice }) => deliver(user, waMessage({ from: chat(user), id, body: choice.label })),
    close: () => running.channel.stop(),
  };
});

describe('whatsapp-web: reading messages', () => {
  const from = chat('50499887766');

  test('text and locations become an Inbound with the chat id and the message id', () => {
    const text = parseMessage(waMessage({ from, id: 'A1', body: 'hola', timestamp: 1_772_467_200 }), 0);
    expect(text).toEqual({
      kind: 'inbound',
      chatId: from,
      inbound: { channel: 'whatsapp-web', user: from, messageId: `false_${from}_A1`, text: 'hola', timestamp: 1_772_467_200_000 },
    });
    // whatsapp-web.js types coordinates as strings and fills them with numbers: both work.
    for (const location of [{ latitude: 15.5, longitude: -88.03 }, { latitude: '15.5', longitude: '-88.03' }]) {
      const parsed = parseMessage(waMessage({ from, id: 'A2', type: 'location', location }), 0);
      expect(parsed.kind === 'inbound' && parsed.inbound.location).toEqual({ lat: 15.5, lon: -88.03 });
    }
  });

  test('groups, status updates, broadcasts, own messages and system notices are ignored', () => {
    const ignored = (m: WhatsAppMessageLike) => parseMessage(m, 0);
    expect(ignored(waMessage({ from: '120363000000000000@g.us', id: 'g', body: 'hola' }))).toEqual({ kind: 'ignore', reason: 'group' });
    expect(ignored(waMessage({ from: 'status@broadcast', id: 's', body: 'hola' }))).toEqual({ kind: 'ignore', reason: 'status' });
    expect(ignored(waMessage({ from, id: 's2', body: 'hola', isStatus: true }))).toEqual({ kind: 'ignore', reason: 'status' });
    expect(ignored(waMessage({ from, id: 'o', body: 'hola', fromMe: true }))).toEqual({ kind: 'ignore', reason: 'own' });
    expect(ignored(waMessage({ from, id: 'e', body: '   ' }))).toEqual({ kind: 'ignore', reason: 'empty' });
    expect(ignored(waMessage({ from, id: 'r', type: 'revoked' }))).toEqual({ kind: 'ignore', reason: 'system' });
    expect(ignored(waMessage({ from, id: 'n', type: 'e2e_notification' }))).toEqual({ kind: 'ignore', reason: 'system' });
  });

  test('voice notes, pictures, stickers, videos and documents are not read', () => {
    for (const type of ['ptt', 'audio', 'image', 'sticker', 'video', 'document']) {
      expect(parseMessage(waMessage({ from, id: type, type }), 0)).toMatchObject({ kind: 'unsupported', chatId: from, type });
    }
    expect(parseMessage(waMessage({ from, id: 'bad', type: 'location', location: { latitude: 'x', longitude: 'y' } }), 0).kind).toBe('unsupported');
  });

  test('the polite answer is short, Spanish first, then Portuguese, Kreyòl and English', () => {
    const lines = UNSUPPORTED_REPLY.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^Perdón, solo puedo leer/);
    expect(lines[1]).toMatch(/^Desculpe/);
    expect(lines[2]).toMatch(/^Padon/);
    expect(lines[3]).toMatch(/^Sorry/);
    expect(UNSUPPORTED_REPLY.length).toBeLessThan(400);
  });
});

describe('whatsapp-web: rendering', () => {
  test('choices become a numbered list; links and places become text lines, the map link once', () => {
    const [menu, card, place] = renderReplies([
      { text: '¿Qué necesitas?', choices: [{ id: 'food', label: 'Comida' }, { id: 'health', label: 'Salud' }] },
      { text: 'Centro A', location: { lat: 15.5, lon: -88.03, name: 'Centro A' }, link: { url: 'https://www.google.com/maps/search/?api=1&query=15.5,-88.03', label: 'Ver en el mapa' } },
      { text: 'Centro B', location: { lat: 14.1, lon: -87.2, name: 'Centro B' } },
    ]);
    expect(menu).toBe('¿Qué necesitas?\n\n1. Comida\n2. Salud');
    expect(card).toBe('Centro A\nVer en el mapa: https://www.google.com/maps/search/?api=1&query=15.5,-88.03');
    expect(place).toBe('Centro B\n📍 Centro B: https://www.google.com/maps/search/?api=1&query=14.1,-87.2');
  });

  test('very long texts are split at line breaks, nothing lost', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Línea ${i}: ${'x'.repeat(30)}`);
    const parts = splitText(lines.join('\n'));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(parts.join('\n')).toBe(lines.join('\n'));
    const oneLine = 'palabra '.repeat(1200).trim();
    const cut = splitText(oneLine);
    for (const part of cut) expect(part.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(cut.join(' ')).toBe(oneLine);
    expect(splitText('corto')).toEqual(['corto']);
  });
});

describe('whatsapp-web: pacing', () => {
  test('keeps the per-chat and the global spacing, keeps order within a chat, drops nothing', async () => {
    const clock = new ManualClock();
    const sent: SentMessage[] = [];
    const pacer = createPacer({ chatIntervalMs: 3000, globalIntervalMs: 500, clock, send: async (chatId, text) => void sent.push({ chatId, text, at: clock.now() }) });
    const chats = ['a', 'b', 'c', 'd', 'e'];
    const all = chats.map((c) => pacer.enqueue(c, Array.from({ length: 8 }, (_, i) => `${c}${i}`)));
    await clock.runUntil(Promise.all(all));

    expect(sent).toHaveLength(40);
    for (const c of chats) expect(sent.filter((s) => s.chatId === c).map((s) => s.text)).toEqual(Array.from({ length: 8 }, (_, i) => `${c}${i}`));
    expectPaced(sent, 3000, 500);
    // Chats take turns: the second chat's first message does not wait for the first chat's interval.
    expect(sent.slice(0, 5).map((s) => [s.chatId, s.at])).toEqual([['a', 0], ['b', 500], ['c', 1000], ['d', 1500], ['e', 2000]]);
    expect(pacer.pending()).toBe(0);
  });

  test('a message for another chat, queued while one chat waits, goes at the global spacing', async () => {
    const clock = new ManualClock();
    const sent: SentMessage[] = [];
    const pacer = createPacer({ chatIntervalMs: 3000, globalIntervalMs: 500, clock, send: async (chatId, text) => void sent.push({ chatId, text, at: clock.now() }) });
    const first = pacer.enqueue('a', ['a1', 'a2']);
    await settle(); // a1 is out, a2 waits until 3000
    const second = pacer.enqueue('b', ['b1']);
    await clock.runUntil(Promise.all([first, second]));
    expect(sent.map((s) => [s.text, s.at])).toEqual([['a1', 0], ['b1', 500], ['a2', 3000]]);
  });

  test('a failed send is retried after a pause and, past the tries, given up and reported', async () => {
    const clock = new ManualClock();
    const sent: SentMessage[] = [];
    const failures: { attempt: number; final: boolean }[] = [];
    let failing = 2;
    const pacer = createPacer({
      chatIntervalMs: 0,
      globalIntervalMs: 0,
      clock,
      retryDelayMs: 1000,
      send: async (chatId, text) => {
        if (text === 'never' || failing-- > 0) throw new Error('send failed');
        sent.push({ chatId, text, at: clock.now() });
      },
      onFailure: ({ attempt, final }) => void failures.push({ attempt, final }),
    });
    await clock.runUntil(pacer.enqueue('a', ['m1', 'never', 'm2']));
    expect(sent.map((s) => [s.text, s.at])).toEqual([['m1', 3000], ['m2', 6000]]);
    expect(failures).toEqual([
      { attempt: 1, final: false },
      { attempt: 2, final: false },
      { attempt: 1, final: false },
      { attempt: 2, final: false },
      { attempt: 3, final: true },
    ]);
  });
});

describe('whatsapp-web: the channel', () => {
  let running: Running;
  beforeEach(async () => {
    running = await startChannel();
    running.client().emit('ready');
  });
  afterEach(() => running.channel.stop());

  test('group chats, status updates and its own messages get no answer and never reach the bot', async () => {
    const handled: Inbound[] = [];
    const bot: Bot = {
      handle: async (inbound) => {
        handled.push(inbound);
        return [{ text: 'hola' }];
      },
    };
    const spy = await startChannel({}, { bot });
    spy.client().emit('ready');
    await spy.client().deliver(waMessage({ from: '120363000000000000@g.us', id: 'g1', body: 'hola' }));
    await spy.client().deliver(waMessage({ from: 'status@broadcast', id: 's1', body: 'hola' }));
    await spy.client().deliver(waMessage({ from: chat('504111'), id: 'o1', body: 'hola', fromMe: true }));
    await spy.channel.idle();
    expect(handled).toEqual([]);
    expect(spy.client().sent).toEqual([]);
    await spy.client().deliver(waMessage({ from: chat('504111'), id: 'p1', body: 'hola' }));
    await spy.channel.idle();
    expect(handled.map((h) => h.text)).toEqual(['hola']);
    expect(spy.client().sentTo(chat('504111'))).toEqual(['hola']);
    await spy.channel.stop();
  });

  test('a voice note and a picture get the polite answer (once per message), not the bot', async () => {
    const from = chat('50422223333');
    await running.client().deliver(waMessage({ from, id: 'v1', type: 'ptt' }));
    await running.client().deliver(waMessage({ from, id: 'i1', type: 'image', body: '/9j/4AAQSkZJRgABAQ' }));
    await running.client().deliver(waMessage({ from, id: 'i1', type: 'image', body: '/9j/4AAQSkZJRgABAQ' }));
    await running.channel.idle();
    expect(running.client().sentTo(from)).toEqual([UNSUPPORTED_REPLY, UNSUPPORTED_REPLY]);
  });

  test('logs carry neither phone numbers nor message text', async () => {
    const from = chat('50499887766');
    await running.client().deliver(waMessage({ from, id: 'x1', body: 'mi secreto' }));
    await running.client().deliver(waMessage({ from, id: 'x2', type: 'image' }));
    await running.channel.idle();
    expect(running.client().sentTo(from).length).toBeGreaterThan(1);
    const logs = running.logs.join('\n');
    expect(logs).toContain('whatsapp-web');
    expect(logs).not.toContain('50499887766');
    expect(logs).not.toContain('secreto');
  });

  test('replies to several people at once are paced per chat and globally, none dropped', async () => {
    const clock = new ManualClock();
    const paced = await startChannel({ chatIntervalMs: 3000, globalIntervalMs: 500 }, { clock });
    paced.client().emit('ready');
    const people = ['504001', '504002', '504003'];
    const done = Promise.all(people.map((p, i) => paced.client().deliver(waMessage({ from: chat(p), id: `st${i}`, body: '/start' }))));
    await clock.runUntil(done);
    const expected = await expectedTexts({ user: 'someone', text: '/start' });
    expect(expected.length).toBeGreaterThan(0);
    for (const p of people) expect(paced.client().sentTo(chat(p))).toEqual(expected);
    expectPaced(paced.client().sent, 3000, 500);
    await paced.channel.stop();
  });

  test('a failed send is logged and retried, and the replies still arrive', async () => {
    const from = chat('504555');
    const expected = await expectedTexts({ user: 'someone', text: 'hola' });
    running.client().failSends = 2;
    await running.client().deliver(waMessage({ from, id: 'h1', body: 'hola' }));
    await running.channel.idle();
    expect(running.client().sentTo(from)).toEqual(expected);
    expect(running.client().sendAttempts).toBe(expected.length + 2);
    expect(running.logs.filter((l) => l.includes('will retry'))).toHaveLength(2);
  });

  test('a send that keeps failing is given up, logged, and nothing crashes', async () => {
    const from = chat('504666');
    const expected = await expectedTexts({ user: 'someone', text: 'hola' });
    running.client().failSends = 1000;
    await running.client().deliver(waMessage({ from, id: 'f1', body: 'hola' }));
    await running.channel.idle();
    expect(running.client().sent).toEqual([]);
    expect(running.client().sendAttempts).toBe(3 * expected.length);
    expect(running.logs.filter((l) => l.includes('given up'))).toHaveLength(expected.length);
    running.client().failSends = 0;
    await running.client().deliver(waMessage({ from, id: 'f2', body: 'ayuda' }));
    await running.channel.idle();
    expect(running.client().sentTo(from).length).toBeGreaterThan(0);
  });

  test('a bot that fails is logged, not thrown', async () => {
    const broken = await startChannel({}, { bot: { handle: () => Promise.reject(new Error('boom')) } });
    broken.client().emit('ready');
    await expect(broken.client().deliver(waMessage({ from: chat('504777'), id: 'b1', body: 'hola' }))).resolves.toBeUndefined();
    expect(broken.logs.some((l) => l.includes('message not handled'))).toBe(true);
    await broken.channel.stop();
  });

  test('stop() sends what is queued, destroys the client, and later messages are ignored', async () => {
    const client = running.client();
    await client.deliver(waMessage({ from: chat('504888'), id: 's1', body: 'hola' }));
    await running.channel.stop();
    expect(client.destroyCalls).toBe(1);
    expect(running.channel.status().state).toBe('stopped');
    const before = client.sent.length;
    await client.deliver(waMessage({ from: chat('504888'), id: 's2', body: 'hola' }));
    expect(client.sent.length).toBe(before);
  });
});

describe('whatsapp-web: login QR and the admin page', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  async function serve(channel: WhatsAppWebChannel): Promise<string> {
    const app = createServer({ bot: testBot().bot, catalog: () => catalog, log: pino({ level: 'silent' }), ready: () => true, webhooks: [channel.router!] });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/admin/whatsapp-web`;
  }

  test('the QR is printed and shown on the page, with the admin token only', async () => {
    const running = await startChannel({ adminToken: TOKEN });
    const url = await serve(running.channel);
    running.client().emit('qr', '2@QR-CODE-DATA,abc,def');
    await settle();
    expect(running.printed).toEqual(['2@QR-CODE-DATA,abc,def']);
    expect(running.channel.status()).toMatchObject({ state: 'waiting_for_qr', qr: '2@QR-CODE-DATA,abc,def' });
    expect(running.logs.join('\n')).not.toContain('QR-CODE-DATA');

    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await fetch(`${url}?token=${TOKEN}x`)).status).toBe(401);

    const page = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('<svg');
    expect(html).toContain('Linked devices');
    expect((await fetch(`${url}?token=${TOKEN}`)).status).toBe(200);

    running.client().emit('authenticated');
    running.client().emit('ready');
    const connected = await (await fetch(`${url}?token=${TOKEN}`)).text();
    expect(connected).toContain('connected');
    expect(connected).not.toContain('<svg');
    await running.channel.stop();
  });

  test('without an admin token configured the page does not exist', async () => {
    const running = await startChannel();
    const url = await serve(running.channel);
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    await running.channel.stop();
  });
});

describe('whatsapp-web: reconnecting', () => {
  test('a disconnection reconnects with a growing, capped pause, reset once ready', async () => {
    const { calls, schedule } = manualSchedule();
    const running = await startChannel({}, { schedule });
    expect(running.clients).toHaveLength(1);
    expect(running.client().initializeCalls).toBe(1);

    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      running.client().emit('disconnected', 'NAVIGATION');
      running.client().emit('disconnected', 'NAVIGATION'); // a second notice does not add a reconnect
      const pending = calls.filter((c) => !c.cancelled && c.ms !== CONNECT_WAIT_MS);
      expect(pending).toHaveLength(1);
      delays.push(pending[0]!.ms);
      pending[0]!.cancelled = true;
      pending[0]!.run();
      await settle();
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(RECONNECT_MIN_MS).toBe(5_000);
    expect(reconnectDelay(100)).toBe(RECONNECT_MAX_MS);
    expect(running.clients).toHaveLength(9);
    for (const old of running.clients.slice(0, -1)) expect(old.destroyCalls).toBe(1);
    expect(running.client().initializeCalls).toBe(1);
    expect(running.logs.join('\n')).toContain('"state":"disconnected"');

    // Events from a replaced client are not listened to any more.
    running.clients[0]!.emit('qr', 'stale');
    expect(running.channel.status().qr).toBeUndefined();

    running.client().emit('ready');
    expect(running.channel.status()).toMatchObject({ state: 'connected', reconnects: 0 });
    running.client().emit('disconnected', 'CONFLICT');
    expect(calls.at(-1)!.ms).toBe(5_000);

    await running.channel.stop();
    expect(calls.at(-2)!.cancelled).toBe(true); // the pending reconnect (the last call is stop's deadline)
    expect(running.client().destroyCalls).toBe(1);
  });

  test('a browser that fails to start is retried later, not thrown', async () => {
    const { calls, schedule } = manualSchedule();
    let made = 0;
    const running = await startChannel(
      {},
      {
        schedule,
        createClient: () => {
          made += 1;
          const client = new FakeWhatsAppClient();
          if (made === 1) client.initializeError = new Error('Failed to launch the browser process!');
          return client;
        },
      },
    );
    await settle();
    expect(calls.map((c) => c.ms)).toEqual([5_000]);
    expect(running.logs.some((l) => l.includes('browser session failed') && l.includes('/usr/bin/chromium'))).toBe(true);
    calls[0]!.run();
    await settle();
    expect(made).toBe(2);
    await running.channel.stop();
  });

  test('replies queued during a disconnection go out once it is back', async () => {
    const clock = new ManualClock();
    const { calls, schedule } = manualSchedule();
    const running = await startChannel({ chatIntervalMs: 3000, globalIntervalMs: 500 }, { clock, schedule });
    const first = running.client();
    first.emit('ready');
    const expected = await expectedTexts({ user: 'someone', text: '/start' });
    expect(expected.length).toBeGreaterThan(1);

    const done = first.deliver(waMessage({ from: chat('504999'), id: 'q1', body: '/start' }));
    await settle();
    expect(first.sent).toHaveLength(1);
    first.emit('disconnected', 'NAVIGATION');
    clock.step(); // the next reply's turn comes: it waits for the connection
    await settle();
    expect(calls.map((c) => c.ms)).toEqual([5_000, CONNECT_WAIT_MS]);
    calls[0]!.run(); // reconnect
    await settle();
    running.client().emit('ready');
    await clock.runUntil(done);
    expect([...first.sent, ...running.client().sent].map((s) => s.text)).toEqual(expected);
    expect(running.client()).not.toBe(first);
    await running.channel.stop();
  });
});

describe('whatsapp-web: the real client and installing', () => {
  test('the default client is whatsapp-web.js with LocalAuth in dataDir and the system Chromium (not started)', async () => {
    const dataDir = join(tmpdir(), 'puente-wweb-test');
    const client = (await createRealClient({ chromiumPath: '/usr/bin/chromium', dataDir })) as unknown as {
      options: { puppeteer: { executablePath: string; headless: boolean; args: string[] }; webVersionCache: { path: string } };
      authStrategy: { dataPath: string };
    };
    expect(client.options.puppeteer).toMatchObject({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    expect(client.authStrategy.dataPath).toBe(resolve(dataDir));
    expect(client.options.webVersionCache.path).toBe(join(dataDir, 'web-cache'));
  });

  test('loading the adapter does not load whatsapp-web.js', async () => {
    const code = [
      "import { createRequire } from 'node:module';",
      "const { createWhatsAppWebChannel } = await import('./adapters/whatsapp-web/index.ts');",
      "const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => /whatsapp-web\\.js|puppeteer/.test(k));",
      'console.log(typeof createWhatsAppWebChannel, loaded.length);',
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: projectRoot });
    expect(stdout.trim()).toBe('function 0');
  });

  test('installing never downloads a browser: puppeteer is puppeteer-core, which has no install script', () => {
    const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { overrides?: Record<string, string> };
    expect(pkg.overrides?.puppeteer).toMatch(/^npm:puppeteer-core@/);
    const lock = JSON.parse(readFileSync(join(projectRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { name?: string; hasInstallScript?: boolean }> };
    const puppeteers = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/puppeteer$/.test(path));
    expect(puppeteers.length).toBeGreaterThan(0);
    for (const [, entry] of puppeteers) expect(entry).toMatchObject({ name: 'puppeteer-core' });
    for (const [path, entry] of Object.entries(lock.packages)) if (/puppeteer|chrom/.test(path)) expect(entry.hasInstallScript).toBeUndefined();
    const required = createRequire(createRequire(import.meta.url).resolve('whatsapp-web.js'))('puppeteer/package.json') as { name: string };
    expect(required.name).toBe('puppeteer-core');
  });
});
