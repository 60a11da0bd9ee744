// The WhatsApp Cloud API channel over real HTTP: its router in a small express app on an ephemeral
// port, Meta's webhooks built and signed as Meta sends them, and a fake Graph API recording sends.
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import {
  UNSUPPORTED_TEXT,
  WEBHOOK_PATH,
  createWhatsAppCloudChannel,
  type WhatsAppCloudChannel,
} from '../../adapters/whatsapp-cloud/index.js';
import { parseWebhook } from '../../adapters/whatsapp-cloud/parse.js';
import { LIST_BUTTON, SHORT_BODY, renderReplies, splitText } from '../../adapters/whatsapp-cloud/render.js';
import { ServiceWindow } from '../../adapters/whatsapp-cloud/window.js';
import type { Bot } from '../../src/bot.js';
import { createLogger, type Logger } from '../../src/log.js';
import type { Choice, Inbound, Reply } from '../../src/model/message.js';
import { testBot } from '../helpers/bot.js';
import { channelContract, type ChannelDriver, type Shown } from './contract.js';
import { startFakeGraphApi, type FakeGraphApi, type GraphMessage } from './fakes/graph-api.js';

const TOKEN = 'EAAG-test-token';
const PHONE_NUMBER_ID = '106540352242922';
const VERIFY_TOKEN = 'verify-me-please';
const APP_SECRET = 'app-secret-for-tests';
const T0 = Date.parse('2026-03-02T16:00:00Z');
const HOUR = 3600 * 1000;

// ---------------------------------------------------------------------------------------------
// Harness: fake Graph API + the channel's router in an express app.

interface Harness {
  base: string;
  graph: FakeGraphApi;
  channel: WhatsAppCloudChannel;
  close(): Promise<void>;
}

async function startHarness(options: { bot?: Bot; now?: () => number; log?: Logger } = {}): Promise<Harness> {
  const graph = await startFakeGraphApi({ token: TOKEN });
  const channel = createWhatsAppCloudChannel(
    {
      token: TOKEN,
      phoneNumberId: PHONE_NUMBER_ID,
      verifyToken: VERIFY_TOKEN,
      appSecret: APP_SECRET,
      graphUrl: graph.url,
      now: options.now ?? (() => T0),
      retryBaseMs: 1,
    },
    { bot: options.bot ?? testBot().bot, log: options.log ?? createLogger('silent') },
  );
  const app = express();
  app.use(channel.router);
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  await channel.start();
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    graph,
    channel,
    async close() {
      await channel.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await graph.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Webhook payloads as Meta sends them.

type MessageContent = Record<string, unknown> & { type: string };

function webhookBody(from: string, messages: MessageContent[], options: { statuses?: unknown[]; phoneNumberId?: string } = {}): string {
  const value: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '50499990000', phone_number_id: options.phoneNumberId ?? PHONE_NUMBER_ID },
  };
  if (messages.length) {
    value.contacts = [{ profile: { name: 'Persona' }, wa_id: from }];
    value.messages = messages;
  }
  if (options.statuses) value.statuses = options.statuses;
  return JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value }] }] });
}

const message = (from: string, id: string, content: MessageContent, at = T0): MessageContent => ({
  from,
  id: `wamid.${id}`,
  timestamp: String(Math.floor(at / 1000)),
  ...content,
});

const text = (body: string): MessageContent => ({ type: 'text', text: { body } });
const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function postWebhook(h: Harness, body: string, signature: string | null = sign(body)): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return fetch(`${h.base}${WEBHOOK_PATH}`, { method: 'POST', headers, body });
}

/** Posts one signed webhook, waits until the channel has handled it, returns what went to `user`. */
async function deliver(h: Harness, user: string, messages: MessageContent[]): Promise<GraphMessage[]> {
  const before = h.graph.sentTo(user).length;
  const res = await postWebhook(h, webhookBody(user, messages));
  expect(res.status).toBe(200);
  await h.channel.idle();
  return h.graph.sentTo(user).slice(before);
}

function shown(m: GraphMessage): Shown {
  switch (m.type) {
    case 'text':
      return { text: m.text.body };
    case 'location':
      return { text: m.location.name ?? '' };
    case 'interactive': {
      const i = m.interactive;
      if (i.type === 'button') return { text: i.body.text, choices: i.action.buttons.map((b) => ({ id: b.reply.id, label: b.reply.title })) };
      if (i.type === 'list') return { text: i.body.text, choices: i.action.sections.flatMap((s) => s.rows.map((r) => ({ id: r.id, label: r.title }))) };
      return { text: i.body.text };
    }
  }
}

const kindOf = (m: GraphMessage) => (m.type === 'interactive' ? m.interactive.type : m.type);

// ---------------------------------------------------------------------------------------------
// The shared contract.

async function makeDriver(): Promise<ChannelDriver> {
  const h = await startHarness();
  // Which kind of interactive message each shown choice came in, to answer as WhatsApp does.
  const pressKinds = new Map<string, Map<string, 'button_reply' | 'list_reply'>>();
  const run = async (user: string, content: MessageContent, id: string) => {
    const sent = await deliver(h, user, [message(user, id, content)]);
    const kinds = new Map<string, 'button_reply' | 'list_reply'>();
    for (const m of sent) {
      if (m.type !== 'interactive') continue;
      if (m.interactive.type === 'button') for (const b of m.interactive.action.buttons) kinds.set(b.reply.id, 'button_reply');
      if (m.interactive.type === 'list') for (const s of m.interactive.action.sections) for (const r of s.rows) kinds.set(r.id, 'list_reply');
    }
    if (kinds.size) pressKinds.set(user, kinds);
    return sent.map(shown);
  };
  return {
    send: ({ user, id, text: body, location }) =>
      run(user, location ? { type: 'location', location: { latitude: location.lat, longitude: location.lon } } : text(body ?? ''), id),
    press: ({ user, id, choice }) => {
      const kind = pressKinds.get(user)?.get(choice.id) ?? 'button_reply';
      return run(user, { type: 'interactive', context: { from: '50499990000', id: 'wamid.previous' }, interactive: { type: kind, [kind]: { id: choice.id, title: choice.label } } }, id);
    },
    close: () => h.close(),
  };
}

channelContract('whatsapp-cloud', makeDriver);

// ---------------------------------------------------------------------------------------------
// Webhook security and parsing.

describe('whatsapp-cloud webhook', () => {
  let h: Harness;
  beforeAll(async () => void (h = await startHarness()));
  afterAll(() => h.close());

  const verify = (query: Record<string, string>) => fetch(`${h.base}${WEBHOOK_PATH}?${new URLSearchParams(query).toString()}`);

  test("Meta's verification with the right token gets the challenge back as text", async () => {
    const res = await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  test.each([
    ['a wrong token', { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '42' }],
    ['no token', { 'hub.mode': 'subscribe', 'hub.challenge': '42' }],
    ['another mode', { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '42' }],
    ['no challenge', { 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN }],
  ])('verification with %s is refused with 403', async (_name, query) => {
    const res = await verify(query);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('42');
  });

  test.each([
    ['missing', null],
    ['forged with another secret', 'other-secret'],
    ['not hex', 'sha256=zz'],
    ['for another body', 'another body'],
  ])('a POST whose signature is %s gets 401 and nothing is sent', async (_name, kind) => {
    const body = webhookBody('sig-user', [message('sig-user', 'sig1', text('hola'))]);
    const signature =
      kind === null ? null : kind === 'other-secret' ? sign(body, 'not-the-app-secret') : kind === 'another body' ? sign(`${body} `) : kind;
    const requests = h.graph.requests;
    const res = await postWebhook(h, body, signature);
    expect(res.status).toBe(401);
    await h.channel.idle();
    expect(h.graph.requests).toBe(requests);
    expect(h.graph.sentTo('sig-user')).toEqual([]);
  });

  test.each([
    ['malformed JSON', '{"object": "whatsapp_business_account", "entry": ['],
    ['JSON that is not a webhook', '[1, 2, 3]'],
    ['a message without a sender', JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: { messages: [{ id: 'x', timestamp: '1', type: 'text' }] } }] }] })],
  ])('%s with a valid signature gets 400', async (_name, body) => {
    const res = await postWebhook(h, body);
    expect(res.status).toBe(400);
  });

  test('a body over 1 MB is refused with 413', async () => {
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [], padding: 'x'.repeat(1_100_000) });
    const res = await postWebhook(h, body);
    expect(res.status).toBe(413);
  });

  test('status callbacks are not messages: nothing is sent', async () => {
    const requests = h.graph.requests;
    const statuses = [
      { id: 'wamid.out1', status: 'delivered', timestamp: String(T0 / 1000), recipient_id: 'status-user' },
      { id: 'wamid.out1', status: 'read', timestamp: String(T0 / 1000), recipient_id: 'status-user' },
    ];
    const res = await postWebhook(h, webhookBody('status-user', [], { statuses }));
    expect(res.status).toBe(200);
    await h.channel.idle();
    expect(h.graph.requests).toBe(requests);
  });

  test('messages for another phone number of the account are left alone', async () => {
    const res = await postWebhook(h, webhookBody('other-number', [message('other-number', 'on1', text('hola'))], { phoneNumberId: '999' }));
    expect(res.status).toBe(200);
    await h.channel.idle();
    expect(h.graph.sentTo('other-number')).toEqual([]);
  });

  test('an image gets the polite answer once, even when delivered twice; a reaction gets none', async () => {
    const image = message('img-user', 'img1', { type: 'image', image: { mime_type: 'image/jpeg', sha256: 'abc', id: '1234' } });
    const first = await deliver(h, 'img-user', [image]);
    expect(first).toEqual([expect.objectContaining({ type: 'text', text: { body: UNSUPPORTED_TEXT } })]);
    expect(UNSUPPORTED_TEXT).toMatch(/solo puedo leer/);
    expect(UNSUPPORTED_TEXT).toMatch(/I can only read/);
    expect(await deliver(h, 'img-user', [image])).toEqual([]);
    const audio = await deliver(h, 'img-user', [message('img-user', 'aud1', { type: 'audio', audio: { mime_type: 'audio/ogg', id: '5678', voice: true } })]);
    expect(audio.map(shown)).toEqual([{ text: UNSUPPORTED_TEXT }]);
    const reaction = message('img-user', 'rea1', { type: 'reaction', reaction: { message_id: 'wamid.out', emoji: '👍' } });
    expect(await deliver(h, 'img-user', [reaction])).toEqual([]);
  });

  test('a location question is sent as a location request, and a shared location is read', async () => {
    await deliver(h, 'loc-user', [message('loc-user', 'lq1', text('hola'))]);
    const asked = await deliver(h, 'loc-user', [message('loc-user', 'lq2', text('tengo hambre'))]);
    expect(asked.map(kindOf)).toEqual(['location_request_message']);
    expect(shown(asked[0]!).text).toMatch(/^📍/);
    const found = await deliver(h, 'loc-user', [message('loc-user', 'lq3', { type: 'location', location: { latitude: 15.5, longitude: -88.03, name: 'Parque' } })]);
    expect(found.map(shown)[0]!.text).toContain('Centros más cercanos');
    expect(found.map(kindOf)).toContain('location');
  });

  test('several messages in one webhook are answered in order', async () => {
    const sent = await deliver(h, 'multi-user', [message('multi-user', 'mu1', text('hola')), message('multi-user', 'mu2', text('me quieren matar'))]);
    const texts = sent.map((m) => shown(m).text).join('\n');
    expect(texts.indexOf('Soy Puente')).toBeGreaterThanOrEqual(0);
    expect(texts.indexOf('911')).toBeGreaterThan(texts.indexOf('Soy Puente'));
  });
});

// ---------------------------------------------------------------------------------------------
// Sending: errors and retries.

describe('whatsapp-cloud sending', () => {
  let h: Harness;
  beforeAll(async () => void (h = await startHarness()));
  afterAll(() => h.close());

  test.each([
    ['130429 throughput limit, HTTP 400 as Meta answers', { status: 400, code: 130429 }],
    ['130429 throughput limit, HTTP 429', { status: 429, code: 130429 }],
    ['131056 pair rate limit', { status: 400, code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' }],
    ['a 503 from the Graph API', { status: 503, code: 2, message: 'Service temporarily unavailable' }],
  ])('%s is retried and every message still arrives', async (name, error) => {
    const user = `retry-${error.code}-${error.status}`;
    h.graph.failNext(2, error);
    const requests = h.graph.requests;
    const sent = await deliver(h, user, [message(user, `r-${name}`, text('hola'))]);
    expect(sent.map((m) => shown(m).text).join('\n')).toContain('Soy Puente');
    expect(h.graph.requests - requests).toBe(sent.length + 2);
  });

  test('another 4xx error is given up without crashing, and the next message still works', async () => {
    h.graph.failNext(1, { status: 400, code: 131026, message: 'Message undeliverable' });
    const requests = h.graph.requests;
    const sent = await deliver(h, 'refused-user', [message('refused-user', 'rf1', text('hola'))]);
    // The refused message is not retried; the turn's other messages go on.
    expect(h.graph.requests - requests).toBe(sent.length + 1);
    const again = await deliver(h, 'refused-user', [message('refused-user', 'rf2', text('me quieren matar'))]);
    expect(again.map((m) => shown(m).text).join('\n')).toContain('911');
  });

  test('a send that keeps failing is given up after a few attempts', async () => {
    h.graph.failNext(5, { status: 500, code: 1, message: 'An unknown error occurred' });
    const requests = h.graph.requests;
    const sent = await deliver(h, 'down-user', [message('down-user', 'dn1', { type: 'sticker', sticker: { id: '1' } })]);
    expect(sent).toEqual([]);
    expect(h.graph.requests - requests).toBe(5);
  });

  test('an unreachable Graph API is retried, then given up, and nothing throws', async () => {
    const unreachable = createWhatsAppCloudChannel(
      { token: TOKEN, phoneNumberId: PHONE_NUMBER_ID, verifyToken: VERIFY_TOKEN, appSecret: APP_SECRET, graphUrl: 'http://127.0.0.1:1/v23.0', now: () => T0, retryBaseMs: 1 },
      { bot: testBot().bot, log: createLogger('silent') },
    );
    const app = express().use(unreachable.router);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const body = webhookBody('net-user', [message('net-user', 'net1', text('hola'))]);
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) },
      body,
    });
    expect(res.status).toBe(200);
    await expect(unreachable.stop()).resolves.toBeUndefined();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  });

  test('stop() finishes what is in flight, then refuses new webhooks', async () => {
    const other = await startHarness();
    const res = await postWebhook(other, webhookBody('stop-user', [message('stop-user', 'st1', text('hola'))]));
    expect(res.status).toBe(200);
    await other.channel.stop();
    expect(other.graph.sentTo('stop-user').length).toBeGreaterThan(0);
    const late = await postWebhook(other, webhookBody('stop-user', [message('stop-user', 'st2', text('hola'))]));
    expect(late.status).toBe(503);
    await other.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Menus, with a stub bot that answers a fixed Reply, through the whole channel.

const options = (n: number, label = (i: number) => `Option ${i}`): Choice[] => Array.from({ length: n }, (_, i) => ({ id: `opt-${i + 1}`, label: label(i + 1) }));

describe('whatsapp-cloud menus', () => {
  let h: Harness;
  let next: Reply[] = [];
  beforeAll(async () => void (h = await startHarness({ bot: { handle: async () => next } })));
  afterAll(() => h.close());

  const answer = async (user: string, replies: Reply[]) => {
    next = replies;
    return deliver(h, user, [message(user, `${user}-1`, text('x'))]);
  };

  test('a 2-choice menu becomes reply buttons', async () => {
    const sent = await answer('menu-2', [{ text: '¿Seguimos?', choices: [{ id: 'yes', label: 'Sí' }, { id: 'no', label: 'No' }] }]);
    expect(sent.map(kindOf)).toEqual(['button']);
    expect(shown(sent[0]!)).toEqual({ text: '¿Seguimos?', choices: [{ id: 'yes', label: 'Sí' }, { id: 'no', label: 'No' }] });
  });

  test('a 4-choice menu becomes a list message', async () => {
    const sent = await answer('menu-4', [{ text: '¿Cuál es tu situación?', choices: options(4) }]);
    expect(sent.map(kindOf)).toEqual(['list']);
    expect(shown(sent[0]!).choices).toEqual(options(4));
    const list = sent[0]!;
    if (list.type !== 'interactive' || list.interactive.type !== 'list') throw new Error('not a list');
    expect(list.interactive.action.button).toBe(LIST_BUTTON);
  });

  test('a 4-choice menu from the real bot becomes a list, and the row pressed is understood', async () => {
    const real = await startHarness();
    const sent = await deliver(real, 'menu-real', [message('menu-real', 'mr1', text('/start'))]);
    const menu = sent.at(-1)!;
    expect(kindOf(menu)).toBe('list');
    const rows = shown(menu).choices ?? [];
    expect(rows.map((c) => c.label)).toEqual(['Español', 'Português', 'Kreyòl ayisyen', 'English']);
    const pt = rows.find((c) => c.label === 'Português')!;
    const next = await deliver(real, 'menu-real', [
      message('menu-real', 'mr2', { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: pt.id, title: pt.label } } }),
    ]);
    expect(next.map((m) => shown(m).text).join('\n')).toContain('qual é a sua situação');
    await real.close();
  });

  test('an 11-choice menu becomes numbered text', async () => {
    const sent = await answer('menu-11', [{ text: 'Elige:', choices: options(11) }]);
    expect(sent.map(kindOf)).toEqual(['text']);
    expect(shown(sent[0]!)).toEqual({ text: `Elige:\n\n${options(11).map((c, i) => `${i + 1}. ${c.label}`).join('\n')}` });
  });

  test('labels too long for a list title are shortened there and shown whole in the row description', async () => {
    const sent = await answer('menu-long', [{ text: 'Elige:', choices: options(4, (i) => `A rather long option label ${i}`) }]);
    expect(sent.map(kindOf)).toEqual(['list']);
    const rows = (sent[0] as { interactive: { action: { sections: { rows: { title: string; description?: string }[] }[] } } }).interactive.action.sections[0]!.rows;
    expect(rows[3]).toEqual({ id: expect.any(String), title: 'A rather long option la…', description: 'A rather long option label 4' });
    for (const row of rows) expect(row.title.length).toBeLessThanOrEqual(24);
  });

  test('labels too long even for a row description become numbered text', async () => {
    const sent = await answer('menu-longer', [{ text: 'Elige:', choices: options(4, (i) => `${'An option label far too long to fit anywhere in a WhatsApp list row '.repeat(2)}${i}`) }]);
    expect(sent.map(kindOf)).toEqual(['text']);
    expect(shown(sent[0]!).text).toMatch(/\n4\. An option label far too long/);
  });

  test('a menu whose text is too long for a body goes as text first, then the list with a short body', async () => {
    const long = 'Línea larga de texto. '.repeat(60);
    const sent = await answer('menu-body', [{ text: long, choices: options(5) }]);
    expect(sent.map(kindOf)).toEqual(['text', 'list']);
    expect(shown(sent[0]!).text).toBe(long);
    expect(shown(sent[1]!)).toEqual({ text: SHORT_BODY, choices: options(5) });
  });

  test('a center card sends its text with the map link, then the location', async () => {
    const sent = await answer('menu-card', [
      { text: 'CAMR Belén', location: { lat: 15.5, lon: -88.03, name: 'CAMR Belén' }, link: { url: 'https://maps.example/?q=15.5,-88.03', label: 'Mapa' } },
    ]);
    expect(sent.map(kindOf)).toEqual(['text', 'location']);
    expect(sent[0]).toMatchObject({ text: { body: 'CAMR Belén\n\nMapa: https://maps.example/?q=15.5,-88.03', preview_url: true } });
    expect(sent[1]).toMatchObject({ location: { latitude: 15.5, longitude: -88.03, name: 'CAMR Belén' } });
  });

  test('a text over 4096 characters is split at line breaks', async () => {
    const line = 'x'.repeat(99);
    const long = Array.from({ length: 90 }, () => line).join('\n');
    const sent = await answer('menu-split', [{ text: long }]);
    expect(sent.length).toBe(3);
    expect(sent.map((m) => shown(m).text).join('\n')).toBe(long);
    expect(h.graph.refused).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The 24-hour customer-service window.

describe('whatsapp-cloud 24-hour window', () => {
  test('an answer to someone whose last message is 25 h old is not sent', async () => {
    let now = T0 + 25 * HOUR;
    const handled: Inbound[] = [];
    const h = await startHarness({
      now: () => now,
      bot: {
        handle: async (inbound) => {
          handled.push(inbound);
          return [{ text: 'respuesta' }];
        },
      },
    });
    // Meta redelivers for days when a webhook was down: this message was written 25 h ago.
    const late = await deliver(h, 'window-user', [message('window-user', 'w1', text('hola'), T0)]);
    expect(handled).toHaveLength(1);
    expect(late).toEqual([]);
    // A message written now opens the window again.
    const fresh = await deliver(h, 'window-user', [message('window-user', 'w2', text('hola'), now)]);
    expect(fresh.map(shown)).toEqual([{ text: 'respuesta' }]);
    // And the clock moving on past 24 h closes it.
    now += 24 * HOUR + 1;
    const again = await deliver(h, 'window-user', [message('window-user', 'w3', text('hola'), now - 24 * HOUR - 1)]);
    expect(again).toEqual([]);
    await h.close();
  });

  test('ServiceWindow: open within 24 h of the last message, closed after, forgotten on prune', () => {
    let now = T0;
    const window = new ServiceWindow(() => now);
    expect(window.isOpen('u')).toBe(false);
    window.record('u', T0 - 23 * HOUR);
    expect(window.isOpen('u')).toBe(true);
    window.record('u', T0 - 30 * HOUR); // an older redelivery does not move it back
    expect(window.isOpen('u')).toBe(true);
    now = T0 + HOUR;
    expect(window.isOpen('u')).toBe(false);
    window.prune();
    expect(window.size).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Pure functions.

describe('whatsapp-cloud parse and render', () => {
  test('parse: text, button and list replies, location, and the rest', () => {
    const body = webhookBody('p-user', [
      message('p-user', 'p1', text('hola')),
      message('p-user', 'p2', { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Sí' } } }),
      message('p-user', 'p3', { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'rights', title: 'Mis derechos' } } }),
      message('p-user', 'p4', { type: 'location', location: { latitude: 14.07, longitude: -87.19 } }),
      message('p-user', 'p5', { type: 'video', video: { id: '1' } }),
      message('p-user', 'p6', { type: 'location', location: { latitude: 200, longitude: 0 } }),
    ]);
    const parsed = parseWebhook(body, PHONE_NUMBER_ID);
    if (!parsed.ok) throw new Error(parsed.error);
    const base = { channel: 'whatsapp-cloud', user: 'p-user', timestamp: Math.floor(T0 / 1000) * 1000 };
    expect(parsed.webhook.events).toEqual([
      { kind: 'inbound', user: 'p-user', at: base.timestamp, inbound: { ...base, messageId: 'wamid.p1', text: 'hola' } },
      { kind: 'inbound', user: 'p-user', at: base.timestamp, inbound: { ...base, messageId: 'wamid.p2', choice: 'yes' } },
      { kind: 'inbound', user: 'p-user', at: base.timestamp, inbound: { ...base, messageId: 'wamid.p3', choice: 'rights' } },
      { kind: 'inbound', user: 'p-user', at: base.timestamp, inbound: { ...base, messageId: 'wamid.p4', location: { lat: 14.07, lon: -87.19 } } },
      { kind: 'unsupported', user: 'p-user', at: base.timestamp, messageId: 'wamid.p5', type: 'video' },
      { kind: 'unsupported', user: 'p-user', at: base.timestamp, messageId: 'wamid.p6', type: 'location' },
    ]);
  });

  test('render: buttons up to 3 short labels, a list up to 10, numbered text beyond', () => {
    const kinds = (replies: Reply[]) => renderReplies(replies).map((m) => (m.type === 'interactive' ? m.interactive.type : m.type));
    expect(kinds([{ text: 'a', choices: options(3) }])).toEqual(['button']);
    expect(kinds([{ text: 'a', choices: options(3, (i) => `Label number ${i} longer`) }])).toEqual(['list']);
    expect(kinds([{ text: 'a', choices: options(10) }])).toEqual(['list']);
    expect(kinds([{ text: 'a', choices: options(11) }])).toEqual(['text']);
    expect(kinds([{ text: 'a', choices: [{ id: 'x', label: 'Same' }, { id: 'y', label: 'Same' }] }])).toEqual(['text']);
    expect(kinds([{ text: '📍 ¿Dónde estás?' }])).toEqual(['location_request_message']);
    expect(kinds([{ text: '📍 ¿Dónde estás?', choices: options(2) }])).toEqual(['button']);
    expect(kinds([{ text: '' }])).toEqual([]);
  });

  test('splitText keeps pieces within the limit, at line breaks, and never halves an emoji', () => {
    expect(splitText('a\nb\nc', 3)).toEqual(['a\nb', 'c']);
    expect(splitText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(splitText('ab😀cd', 3)).toEqual(['ab', '😀c', 'd']);
    const long = Array.from({ length: 500 }, (_, i) => `line ${i} ${'·'.repeat(i % 40)}`).join('\n');
    const pieces = splitText(long);
    expect(pieces.every((p) => p.length <= 4096)).toBe(true);
    expect(pieces.join('\n')).toBe(long);
  });
});

// ---------------------------------------------------------------------------------------------
// Privacy of the logs.

test('whatsapp-cloud logs carry neither the phone number, the message id nor the text', async () => {
  const lines: string[] = [];
  const log = pino({ level: 'debug', base: undefined }, { write: (line: string) => void lines.push(line) });
  const phone = '50412345678';
  const h = await startHarness({ log });
  h.graph.failNext(1, { status: 400, code: 131026, message: 'Message undeliverable' });
  await deliver(h, phone, [message(phone, 'HBgLNTA0MTIzNDU2NzgVAgASGBQz', text('mi secreto personal'))]);
  h.graph.failNext(1, { status: 400, code: 130429 });
  await deliver(h, phone, [message(phone, 'HBgLNTA0MTIzNDU2NzgVAgASGBQ0', { type: 'image', image: { id: '1' } })]);
  await deliver(h, phone, [message(phone, 'HBgLNTA0MTIzNDU2NzgVAgASGBQ1', text('otro secreto'), T0 - 25 * HOUR)]);
  await postWebhook(h, webhookBody(phone, [message(phone, 'x', text('secreto'))]), 'sha256=00');
  await h.close();
  const all = lines.join('');
  expect(lines.length).toBeGreaterThan(3);
  expect(all).not.toContain(phone);
  expect(all).not.toContain('HBgLNTA0');
  expect(all).not.toContain('secreto');
  expect(all).not.toContain(TOKEN);
});
