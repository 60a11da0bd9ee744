// Property-based tests of everything that reads bytes from outside: POST /api/chat on the real app,
// and each channel adapter's pure parser. Whatever arrives, nothing throws, nothing answers 5xx, and
// whatever is handed on to the bot is a valid Inbound.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { parseActivity } from '../../adapters/botframework/parse.js';
import { parseUpdate } from '../../adapters/telegram/parse.js';
import { parseWebhook } from '../../adapters/whatsapp-cloud/parse.js';
import type { WhatsAppMessageLike } from '../../adapters/whatsapp-web/client.js';
import { parseMessage } from '../../adapters/whatsapp-web/parse.js';
import { createLogger } from '../../src/log.js';
import { Inbound, LANGUAGES, Reply } from '../../src/model/message.js';
import { createServer } from '../../src/server/app.js';
import { catalog, testBot } from '../helpers/bot.js';

const SEED = 20260302;
const RUNS = 200;
const NOW = Date.parse('2026-03-02T16:00:00Z');

const expectInbound = (value: unknown): void => expect(Inbound.safeParse(value).error).toBeUndefined();

// ── Mutating realistic payloads ──────────────────────────────────────────────────────────────

type Path = (string | number)[];
/** Remove the field, put any value there, or put another value of the same JSON type (which keeps more payloads readable). */
type Edit = { delete: true } | { value: unknown } | { sameType: { string: string; number: number; boolean: boolean } };

/** Every place in a JSON-like value, the root included. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const here: Path[] = [prefix];
  if (Array.isArray(value)) return here.concat(value.flatMap((item, i) => pathsOf(item, [...prefix, i])));
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return here.concat(Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key])));
  }
  return here;
}

function container(value: unknown): Record<string | number, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>) : undefined;
}

/** A copy of `root` with the value at `path` replaced (or removed). */
function edited(root: unknown, path: Path, edit: Edit): unknown {
  if (path.length === 0) return 'delete' in edit ? undefined : replacement(root, edit);
  const copy = structuredClone(root);
  let parent = container(copy);
  for (const key of path.slice(0, -1)) parent = container(parent?.[key]);
  const last = path[path.length - 1]!;
  if (!parent) return copy;
  if (!('delete' in edit)) parent[last] = replacement(parent[last], edit);
  else if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else delete parent[last];
  return copy;
}

function replacement(current: unknown, edit: Exclude<Edit, { delete: true }>): unknown {
  if ('value' in edit) return edit.value;
  if (typeof current === 'string') return edit.sameType.string;
  if (typeof current === 'number') return edit.sameType.number;
  if (typeof current === 'boolean') return edit.sameType.boolean;
  return current;
}

/** Applies each (index, edit): the index picks one of the paths of the value as it is by then. */
function mutate(payload: unknown, edits: readonly [number, Edit][]): unknown {
  return edits.reduce((value, [index, edit]) => {
    const paths = pathsOf(value);
    return edited(value, paths[index % paths.length]!, edit);
  }, payload);
}

const edgeValue = fc.constantFrom<unknown>('', ' ', 0, -0, -1, 1.5, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, null, true, false, [], {}, 'x'.repeat(300), '\u0000', '\ud800', 'private', 'message', 'text', 'interactive', 'location', 'conversationUpdate');
const jsonReplacement: fc.Arbitrary<unknown> = fc.oneof(edgeValue, fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: 'binary' }), fc.integer());
/** Parsers that take a parsed object (not bytes) may also meet NaN, Infinity, undefined, a Date… */
const anyReplacement: fc.Arbitrary<unknown> = fc.oneof(jsonReplacement, fc.double(), fc.constant(undefined), fc.date({ noInvalidDate: false }));
const sameType = fc.record({
  string: fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', ' ', 'x'.repeat(300), 'private', 'group', 'text', 'location', 'interactive', 'message', 'conversationUpdate')),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, -1, 2 ** 53, 1e308, 90.0001, -180.5)),
  boolean: fc.boolean(),
});
const edits = (replacement: fc.Arbitrary<unknown>) => {
  const edit = fc.oneof(
    { weight: 1, arbitrary: fc.constant<Edit>({ delete: true }) },
    { weight: 3, arbitrary: replacement.map((value): Edit => ({ value })) },
    { weight: 4, arbitrary: sameType.map((values): Edit => ({ sameType: values })) },
  );
  return fc.array(fc.tuple(fc.nat(), edit), { minLength: 1, maxLength: 4 });
};
const mutated = (payloads: readonly unknown[], replacement: fc.Arbitrary<unknown>) =>
  fc.tuple(fc.constantFrom(...payloads), edits(replacement)).map(([payload, list]) => mutate(payload, list));

// ── POST /api/chat on the real app ───────────────────────────────────────────────────────────

describe('POST /api/chat', () => {
  let server: Server;
  let base: string;
  const internalError = new Set(LANGUAGES.map((lang) => catalog.text(lang, 'errors.internal')));

  beforeAll(async () => {
    const { bot } = testBot();
    const app = createServer({ bot, catalog: () => catalog, log: createLogger('silent'), ready: () => true });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** 200 with valid replies (and not the "something went wrong" one), or a 4xx with an error: nothing else. */
  async function expectAnswered(body: string, contentType = 'application/json'): Promise<number> {
    const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const answer: unknown = await res.json();
    if (res.status === 200) {
      const parsed = Reply.array().safeParse(container(answer)?.messages);
      expect(parsed.error).toBeUndefined();
      for (const reply of parsed.data ?? []) expect(internalError.has(reply.text), 'the turn failed inside the bot').toBe(false);
    } else {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(typeof container(answer)?.error).toBe('string');
    }
    return res.status;
  }

  afterEach(async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('any JSON value as the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => void (await expectAnswered(JSON.stringify(value) ?? 'null'))),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('the right keys with any values, the wrong types included', async () => {
    const user = fc.oneof(fc.constantFrom('prop-a', 'prop-b', 'prop-c'), fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 1 }));
    const text = fc.oneof(fc.constantFrom('hola', '1', 'tengo hambre', 'Tegus', 'me quieren matar', 'salir'), fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 1 }));
    const choice = fc.oneof(fc.constantFrom('skip', 'find', 'meals', 'es', 'back', 'menu'), fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 1 }));
    const coordinate = fc.oneof(fc.double(), fc.integer(), fc.jsonValue({ maxDepth: 0 }));
    const location = fc.oneof(
      fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }),
      fc.record({ lat: coordinate, lon: coordinate }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 1 }),
    );
    const messageId = fc.oneof(fc.uuid(), fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 0 }));
    const validUser = fc.constantFrom('prop-a', 'prop-b', 'prop-c');
    const mostly = <T, U>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<U>) => fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: any });
    const validText = fc.constantFrom('hola', '1', 'tengo hambre', 'Tegus', 'me quieren matar', 'atrás', '');
    const validChoice = fc.constantFrom('skip', 'find', 'meals', 'es', 'back', 'menu');
    const validLocation = fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) });
    const request = fc.oneof(
      // Every key, each with any value.
      fc.record({ user, messageId, text, choice, location }, { requiredKeys: [] }),
      // One kind of message, each key valid most of the time.
      fc.record({ user: mostly(validUser, user), text: mostly(validText, text) }),
      fc.record({ user: mostly(validUser, user), choice: mostly(validChoice, choice) }),
      fc.record({ user: mostly(validUser, user), location: mostly(validLocation, location), messageId: mostly(fc.uuid(), messageId) }, { requiredKeys: ['user', 'location'] }),
    );
    await fc.assert(
      fc.asyncProperty(request, async (body) => void (await expectAnswered(JSON.stringify(body)))),
      { numRuns: RUNS, seed: SEED },
    );
  });

  test('well-formed conversations of several people are answered with 200', async () => {
    const message = fc.oneof(
      fc.oneof(fc.constantFrom('hola', 'menu', 'atrás', '1', '2', '3', 'tengo hambre', 'Tegus', 'El Porvenir', 'bonjou', 'english', 'salir', 'borrar mis datos'), fc.string({ unit: 'grapheme' })).map((text) => ({ text })),
      fc.oneof(fc.constantFrom('skip', 'transit', 'adult', 'find', 'meals', 'shelter', 'yes', 'no', 'back', 'es', 'pt', 'ht', 'en'), fc.string({ minLength: 1, maxLength: 128 })).map((choice) => ({ choice })),
      fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }).map((location) => ({ location })),
    );
    const turn = fc.tuple(fc.constantFrom('conv-1', 'conv-2', 'conv-3'), message).map(([user, m]) => ({ user, ...m }));
    await fc.assert(
      fc.asyncProperty(fc.array(turn, { minLength: 1, maxLength: 5 }), async (turns) => {
        for (const body of turns) expect(await expectAnswered(JSON.stringify(body))).toBe(200);
      }),
      { numRuns: RUNS / 2, seed: SEED },
    );
  });

  test('any string as the body, under any content type', async () => {
    const body = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), fc.json().map((j) => j.slice(0, -1)), fc.constantFrom('', '{', '[]', 'null', '"x"', '{"__proto__":{"user":"x","text":"hola"}}', '{"user":"x","text":"hola","text":7}'));
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/json; charset=nope', '*/*');
    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => void (await expectAnswered(text, type))),
      { numRuns: RUNS, seed: SEED },
    );
  });
});

// ── Telegram ─────────────────────────────────────────────────────────────────────────────────

describe('telegram parseUpdate', () => {
  const chat = { id: 123456789, type: 'private', first_name: 'Ana' };
  const from = { id: 123456789, is_bot: false, first_name: 'Ana', language_code: 'es' };
  const updates = [
    { update_id: 1, message: { message_id: 10, date: 1_772_470_800, chat, from, text: 'hola' } },
    { update_id: 2, message: { message_id: 11, date: 1_772_470_800, chat, from, location: { latitude: 14.07, longitude: -87.19 } } },
    { update_id: 3, callback_query: { id: '4382bfdwdsb323b2d9', from, chat_instance: '-5000', data: 'skip', message: { message_id: 1, date: 1_772_470_800, chat, text: 'menu' } } },
    { update_id: 4, message: { message_id: 12, date: 1_772_470_800, chat, from, photo: [{ file_id: 'x', width: 1, height: 1 }] } },
  ];

  function check(update: unknown, now: number = NOW): void {
    const parsed = parseUpdate(update, now);
    if (parsed.inbound) {
      expectInbound(parsed.inbound);
      expect(parsed.inbound.channel).toBe('telegram');
      expect(parsed.inbound.user).toBe(String(parsed.chatId));
      expect(parsed.ignored).toBeUndefined();
    } else {
      expect(typeof parsed.ignored).toBe('string');
    }
    if (parsed.callbackQueryId !== undefined) expect(typeof parsed.callbackQueryId).toBe('string');
  }

  test('the realistic updates are read', () => {
    for (const update of updates.slice(0, 3)) expect(parseUpdate(update, NOW).inbound).toBeDefined();
  });
  test('any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => check(value)), { numRuns: RUNS, seed: SEED });
  });
  test('realistic updates with random fields replaced or removed, at any clock', () => {
    const now = fc.oneof(fc.constant(NOW), fc.double());
    fc.assert(fc.property(mutated(updates, anyReplacement), now, (update, at) => check(update, at)), { numRuns: RUNS, seed: SEED });
  });
});

// ── WhatsApp Cloud API ───────────────────────────────────────────────────────────────────────

describe('whatsapp-cloud parseWebhook', () => {
  const PHONE_NUMBER_ID = '106540352242922';
  const message = (id: string, content: Record<string, unknown>) => ({ from: '50499990001', id: `wamid.${id}`, timestamp: '1772467200', ...content });
  const payload = (messages: unknown[], extra: Record<string, unknown> = {}) => ({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '50499990000', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: 'Persona' }, wa_id: '50499990001' }],
              messages,
              ...extra,
            },
          },
        ],
      },
    ],
  });
  const payloads = [
    payload([message('1', { type: 'text', text: { body: 'hola' } })]),
    payload([message('2', { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'skip', title: 'Omitir' } } })]),
    payload([message('3', { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'meals', title: 'Comida' } } })]),
    payload([message('4', { type: 'location', location: { latitude: 14.07, longitude: -87.19, name: 'Casa' } })]),
    payload([message('5', { type: 'button', button: { text: 'Sí', payload: 'yes' } }), message('6', { type: 'image', image: { id: 'img' } })]),
    payload([], { statuses: [{ id: 'wamid.9', status: 'delivered', timestamp: '1772467200', recipient_id: '50499990001' }] }),
  ];

  function check(raw: string): void {
    const parsed = parseWebhook(raw, PHONE_NUMBER_ID);
    if (!parsed.ok) {
      expect(['request body is not valid JSON', 'not a WhatsApp webhook payload']).toContain(parsed.error);
      return;
    }
    expect(Number.isInteger(parsed.webhook.statuses) && parsed.webhook.statuses >= 0).toBe(true);
    for (const event of parsed.webhook.events) {
      expect(typeof event.user).toBe('string');
      expect(Number.isFinite(event.at)).toBe(true);
      if (event.kind === 'inbound') {
        expectInbound(event.inbound);
        expect(event.inbound.user).toBe(event.user);
      }
    }
  }

  test('the realistic payloads are read', () => {
    for (const p of payloads.slice(0, 5)) {
      const parsed = parseWebhook(JSON.stringify(p), PHONE_NUMBER_ID);
      expect(parsed.ok && parsed.webhook.events.some((e) => e.kind === 'inbound')).toBe(true);
    }
  });
  test('any string, and any JSON value, as the raw body', () => {
    const raw = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v) ?? ''));
    fc.assert(fc.property(raw, check), { numRuns: RUNS, seed: SEED });
  });
  test('realistic payloads with random fields replaced or removed, or cut short', () => {
    const raw = fc.oneof(
      { weight: 4, arbitrary: mutated(payloads, jsonReplacement).map((v) => JSON.stringify(v) ?? '') },
      fc.tuple(fc.constantFrom(...payloads), fc.nat()).map(([p, n]) => {
        const text = JSON.stringify(p);
        return text.slice(0, n % text.length);
      }),
    );
    fc.assert(fc.property(raw, check), { numRuns: RUNS, seed: SEED });
  });
});

// ── Bot Framework ────────────────────────────────────────────────────────────────────────────

describe('botframework parseActivity', () => {
  const base = {
    type: 'message',
    id: 'm1',
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1:3978/',
    timestamp: '2026-03-02T16:00:00.000Z',
    conversation: { id: 'conv-1' },
    from: { id: 'u-1', name: 'Persona', role: 'user' },
    recipient: { id: 'puente-bot', name: 'Puente', role: 'bot' },
    locale: 'es-HN',
  };
  const activities = [
    { ...base, text: 'hola' },
    { ...base, text: 'Português', value: { choice: 'pt' } },
    { ...base, entities: [{ type: 'clientInfo', locale: 'es' }, { type: 'Place', geo: { type: 'GeoCoordinates', latitude: 14.08, longitude: -87.2 } }] },
    { ...base, channelId: 'facebook', attachments: [{ contentType: 'location', content: { coordinates: { lat: 15.5, long: -88.03 } } }] },
    { ...base, type: 'conversationUpdate', membersAdded: [{ id: 'u-1', name: 'Persona' }, { id: 'puente-bot', name: 'Puente' }] },
  ];

  function check(activity: unknown, now: number = NOW): void {
    const inbounds = parseActivity(activity, now);
    expect(Array.isArray(inbounds)).toBe(true);
    for (const inbound of inbounds) {
      expectInbound(inbound);
      expect(inbound.channel).toBe('botframework');
    }
  }

  test('the realistic activities are read', () => {
    for (const activity of activities) expect(parseActivity(activity, NOW)).toHaveLength(1);
  });
  test('any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => check(value)), { numRuns: RUNS, seed: SEED });
  });
  test('realistic activities with random fields replaced or removed (Dates, NaN and undefined included)', () => {
    fc.assert(fc.property(mutated(activities, anyReplacement), (activity) => check(activity)), { numRuns: RUNS, seed: SEED });
  });
});

// ── WhatsApp Web ─────────────────────────────────────────────────────────────────────────────
// parseMessage takes whatsapp-web.js Message objects (typed WhatsAppMessageLike), not JSON from the
// network: the properties keep every field within its declared type and vary the values freely,
// within what whatsapp-web.js produces: a non-empty chat id, an id and a timestamp in seconds.
// (Unlike the other parsers, parseMessage does not re-check its Inbound: from '' or an id over 256
// characters, or a timestamp of Infinity or 1e300, would come out as an Inbound that fails the schema.)

describe('whatsapp-web parseMessage', () => {
  const text: WhatsAppMessageLike = { from: '50499999999@c.us', fromMe: false, type: 'chat', body: 'hola', id: { _serialized: 'false_50499999999@c.us_3EB0A1' }, isStatus: false, timestamp: 1_772_467_200 };
  const messages: WhatsAppMessageLike[] = [
    text,
    { ...text, from: '12345678901234@lid', body: 'tengo hambre' },
    { ...text, type: 'location', body: '', location: { latitude: 14.07, longitude: -87.19 } },
    { ...text, type: 'location', body: '', location: { latitude: '15.5', longitude: '-88.03' } },
    { ...text, type: 'ptt', body: '' },
  ];

  const chatId = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('50499999999@c.us', '12345678901234@lid') },
    fc.constantFrom('50499999999@c.us', '12345678901234@lid', '120363000000000000@g.us', 'status@broadcast', '123@broadcast', '120363@newsletter'),
    fc.string({ minLength: 1, maxLength: 40 }).map((s) => `${s}@c.us`),
  );
  const coordinate = fc.oneof(fc.double(), fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -180, max: 180, noNaN: true }).map(String), fc.string(), fc.constantFrom('', ' ', '14.07', '1e3', '0x10', 'NaN', 'Infinity'));
  const fields = {
    from: chatId,
    fromMe: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('chat', 'location') }, fc.constantFrom('chat', 'location', 'ptt', 'audio', 'image', 'sticker', 'video', 'document', 'vcard', 'revoked', 'e2e_notification', 'reaction'), fc.string()),
    body: fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '   ', '\n', '\u200b')),
    location: fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ latitude: coordinate, longitude: coordinate })),
    id: fc.oneof(fc.constantFrom('', 'false_50499999999@c.us_3EB0A1'), fc.string({ maxLength: 120 })).map((s) => ({ _serialized: s })),
    isStatus: fc.option(fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), { nil: undefined }),
    timestamp: fc.option(fc.oneof(fc.integer({ min: 0, max: 4_102_444_800 }), fc.double({ min: -1e6, max: 1e10, noNaN: true }), fc.constant(Number.NaN)), { nil: undefined }),
  };

  function check(message: WhatsAppMessageLike, now: number = NOW): void {
    const parsed = parseMessage(message, now);
    if (parsed.kind === 'inbound') {
      expectInbound(parsed.inbound);
      expect(parsed.inbound.user).toBe(parsed.chatId);
      expect(parsed.chatId).toBe(message.from);
    } else if (parsed.kind === 'unsupported') {
      expect(parsed.chatId).toBe(message.from);
    }
  }

  test('the realistic messages are read', () => {
    for (const message of messages.slice(0, 4)) expect(parseMessage(message, NOW).kind).toBe('inbound');
  });
  test('any message whose fields have their declared types', () => {
    fc.assert(fc.property(fc.record(fields, { requiredKeys: ['from', 'fromMe', 'type', 'body', 'id'] }), (message) => check(message)), { numRuns: RUNS, seed: SEED });
  });
  test('realistic messages with some fields replaced by arbitrary values of their type', () => {
    const partial = fc.record(fields, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.constantFrom(...messages), partial, (message, replaced) => check({ ...message, ...replaced })),
      { numRuns: RUNS, seed: SEED },
    );
  });
});
