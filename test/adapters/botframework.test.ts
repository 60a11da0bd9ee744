// The Bot Framework channel, end to end through botbuilder's CloudAdapter: real Activity JSON is
// posted to /api/messages as a channel (Emulator, Web Chat) would, and the replies are read back
// from a fake connector service standing at the activities' serviceUrl. Nothing leaves 127.0.0.1.
import express from 'express';
import https from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { z } from 'zod';
import type { Channel } from '../../adapters/channel.js';
import { createBotFrameworkChannel, type BotFrameworkOptions } from '../../adapters/botframework/index.js';
import { parseActivity } from '../../adapters/botframework/parse.js';
import { HERO_CARD, renderReply } from '../../adapters/botframework/render.js';
import type { Bot } from '../../src/bot.js';
import { testBot } from '../helpers/bot.js';
import { channelContract, type ChannelDriver, type Shown } from './contract.js';
import { startFakeConnector, type FakeConnector } from './fakes/connector.js';

const BOT_ID = 'puente-bot';

interface Running {
  url: string;
  channel: Channel;
  logs: string[];
  close(): Promise<void>;
}

async function startChannel(options: BotFrameworkOptions = {}, bot: Bot = testBot().bot): Promise<Running> {
  const logs: string[] = [];
  const log = pino({ level: 'debug', base: undefined }, { write: (line: string) => void logs.push(line) });
  const channel = createBotFrameworkChannel(options, { bot, log });
  await channel.start();
  const app = express();
  app.use(channel.router!);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    channel,
    logs,
    close: async () => {
      await channel.stop();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

interface ActivityFields {
  type?: string;
  user: string;
  id: string;
  conversation?: string;
  channelId?: string;
  text?: string;
  value?: unknown;
  entities?: unknown[];
  attachments?: unknown[];
  membersAdded?: { id: string; name?: string }[];
}

function activity(connector: FakeConnector, fields: ActivityFields): Record<string, unknown> {
  const { type = 'message', user, id, conversation = `conv-${user}`, channelId = 'webchat', ...rest } = fields;
  return {
    type,
    id,
    channelId,
    serviceUrl: connector.url,
    timestamp: '2026-03-02T16:00:00.000Z',
    conversation: { id: conversation },
    from: { id: user, name: 'Persona', role: 'user' },
    recipient: { id: BOT_ID, name: 'Puente', role: 'bot' },
    locale: 'es-HN',
    ...rest,
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

const Action = z.object({ type: z.string(), title: z.string(), value: z.unknown() });
const Sent = z.object({
  type: z.string(),
  text: z.string().optional(),
  suggestedActions: z.object({ actions: z.array(Action) }).optional(),
  attachments: z.array(z.object({ contentType: z.string(), content: z.unknown() })).optional(),
});
const HeroContent = z.object({ title: z.string().optional(), buttons: z.array(Action) });

/** What the person sees of one activity the bot sent: its text and its suggested actions. */
function shown(sent: Record<string, unknown>): Shown {
  const parsed = Sent.parse(sent);
  const result: Shown = { text: parsed.text ?? '' };
  const actions = parsed.suggestedActions?.actions ?? [];
  if (actions.length) {
    result.choices = actions.map((a) => ({ id: z.object({ choice: z.string() }).parse(a.value).choice, label: a.title }));
  }
  return result;
}

const all = (list: Shown[]) => list.map((s) => [s.text, ...(s.choices ?? []).map((c) => c.label)].join('\n')).join('\n');

async function makeDriver(): Promise<ChannelDriver> {
  const connector = await startFakeConnector();
  const running = await startChannel();
  const deliver = async (fields: ActivityFields): Promise<Shown[]> => {
    const before = connector.sent.length;
    const status = await post(running.url, activity(connector, fields));
    if (status !== 200) throw new Error(`POST /api/messages answered ${status}`);
    return connector.sent
      .slice(before)
      .filter((s) => s.conversationId === `conv-${fields.user}`)
      .map((s) => shown(s.activity));
  };
  return {
    send: ({ user, id, text, location }) =>
      deliver({
        user,
        id,
        ...(text !== undefined ? { text } : {}),
        ...(location ? { entities: [{ type: 'Place', geo: { type: 'GeoCoordinates', latitude: location.lat, longitude: location.lon } }] } : {}),
      }),
    // Pressing a messageBack suggested action posts its text and its value.
    press: ({ user, id, choice }) => deliver({ user, id, text: choice.label, value: { choice: choice.id } }),
    close: async () => {
      await running.close();
      await connector.close();
    },
  };
}

channelContract('botframework', makeDriver);

describe('botframework: over HTTP', () => {
  let connector: FakeConnector;
  let running: Running;
  beforeAll(async () => {
    connector = await startFakeConnector();
    running = await startChannel();
  });
  afterAll(async () => {
    await running.close();
    await connector.close();
  });

  test('replies go back to the conversation, as replies to the message, from the bot to the person', async () => {
    const status = await post(running.url, activity(connector, { user: 'u-route', id: 'r1', text: 'hola', channelId: 'emulator' }));
    expect(status).toBe(200);
    const sent = connector.sent.filter((s) => s.conversationId === 'conv-u-route');
    expect(sent.length).toBeGreaterThan(0);
    for (const s of sent) {
      expect(s.replyToId).toBe('r1');
      expect(s.activity).toMatchObject({ type: 'message', textFormat: 'plain', from: { id: BOT_ID }, recipient: { id: 'u-route' } });
    }
    expect(connector.unexpected).toEqual([]);
  });

  test('choices are messageBack suggested actions: title = label, value = {choice: id}', async () => {
    await post(running.url, activity(connector, { user: 'u-actions', id: 'a1', text: '/start' }));
    const withActions = connector.activitiesFor('conv-u-actions').map((a) => Sent.parse(a)).find((a) => a.suggestedActions);
    expect(withActions?.suggestedActions?.actions).toContainEqual(expect.objectContaining({ type: 'messageBack', title: 'Português', value: { choice: 'pt' } }));
  });

  test('on SMS and Teams the choices come as a numbered list, and the number works', async () => {
    for (const channelId of ['sms', 'msteams']) {
      const user = `u-num-${channelId}`;
      await post(running.url, activity(connector, { user, id: 'n1', channelId, text: '/start' }));
      const offered = connector.activitiesFor(`conv-${user}`).map((a) => Sent.parse(a));
      expect(offered.some((a) => a.suggestedActions)).toBe(false);
      expect(offered.map((a) => a.text).join('\n')).toContain('2. Português');
      await post(running.url, activity(connector, { user, id: 'n2', channelId, text: '2' }));
      expect(connector.activitiesFor(`conv-${user}`).map((a) => Sent.parse(a).text).join('\n')).toContain('qual é a sua situação');
    }
  });

  test('a new member is greeted once, in every language, and the bot joining greets nobody', async () => {
    const update = (id: string, members: { id: string }[]) =>
      activity(connector, { type: 'conversationUpdate', user: 'u-join', id, conversation: 'conv-join', channelId: 'emulator', membersAdded: members });

    expect(await post(running.url, update('cu-bot', [{ id: BOT_ID }]))).toBe(200);
    expect(connector.activitiesFor('conv-join')).toEqual([]);

    expect(await post(running.url, update('cu-both', [{ id: BOT_ID }, { id: 'u-join' }]))).toBe(200);
    const greeted = connector.activitiesFor('conv-join').map(shown);
    expect(greeted.filter((s) => s.text.includes('Soy Puente'))).toHaveLength(1);
    expect(all(greeted)).toContain('I am Puente');
    expect(all(greeted)).toContain('Kreyòl ayisyen');

    const count = connector.activitiesFor('conv-join').length;
    expect(await post(running.url, update('cu-both', [{ id: BOT_ID }, { id: 'u-join' }]))).toBe(200); // redelivered
    expect(connector.activitiesFor('conv-join')).toHaveLength(count);
  });

  test('a location entity or a location attachment finds centers, each as a card with a map link', async () => {
    const ask = async (user: string, channelId = 'webchat') => {
      await post(running.url, activity(connector, { user, id: `${user}-1`, channelId, text: 'hola' }));
      await post(running.url, activity(connector, { user, id: `${user}-2`, channelId, text: 'tengo hambre' }));
    };

    await ask('u-geo');
    const geo = { type: 'GeoCoordinates', latitude: 15.5, longitude: -88.03 };
    expect(await post(running.url, activity(connector, { user: 'u-geo', id: 'u-geo-3', entities: [geo] }))).toBe(200);
    const found = connector.activitiesFor('conv-u-geo').map((a) => Sent.parse(a));
    expect(found.map((a) => a.text).join('\n')).toContain('Centros más cercanos con Comida');

    const cards = found.flatMap((a) => a.attachments ?? []).filter((a) => a.contentType === HERO_CARD);
    expect(cards.length).toBeGreaterThan(0);
    const card = HeroContent.parse(cards[0]!.content);
    expect(card.title).toBe('CAMR Belén');
    expect(card.buttons[0]).toMatchObject({ type: 'openUrl', title: 'Ver en el mapa' });
    expect(String(card.buttons[0]!.value)).toMatch(/^https:\/\/www\.google\.com\/maps\/search\/\?api=1&query=15\.5059,-88\.0259$/);

    await ask('u-att', 'facebook');
    const messenger = { contentType: 'location', content: { coordinates: { lat: 15.5, long: -88.03 } } };
    expect(await post(running.url, activity(connector, { user: 'u-att', id: 'u-att-3', channelId: 'facebook', attachments: [messenger] }))).toBe(200);
    expect(connector.activitiesFor('conv-u-att').map((a) => Sent.parse(a).text).join('\n')).toContain('Centros más cercanos con Comida');
  });

  test('other activity types are answered 200 and ignored', async () => {
    const before = connector.sent.length;
    expect(await post(running.url, activity(connector, { type: 'typing', user: 'u-typing', id: 't1' }))).toBe(200);
    expect(await post(running.url, activity(connector, { type: 'event', user: 'u-typing', id: 't2', value: { choice: 'pt' } }))).toBe(200);
    expect(connector.sent.length).toBe(before);
  });

  test('malformed JSON gets 400, and so does JSON that is not an activity; nothing is sent', async () => {
    const before = connector.sent.length;
    expect(await post(running.url, '{"type": "message", "text": ')).toBe(400);
    expect(await post(running.url, { hello: 'world' })).toBe(400);
    expect(await post(running.url, [1, 2, 3])).toBe(400);
    expect(await post(running.url, { ...activity(connector, { user: 'u-bad', id: 'b1', text: 'hola' }), serviceUrl: 'file:///etc/passwd' })).toBe(400);
    expect(connector.sent.length).toBe(before);
  });

  test('without credentials, a serviceUrl that is not local is refused before anything is sent', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const body = { ...activity(connector, { user: 'u-far', id: 'f1', text: 'hola' }), serviceUrl: 'https://connector.example.invalid/' };
    const before = connector.sent.length;
    expect(await post(running.url, body)).toBe(403);
    expect(fetchSpy.mock.calls.filter(([input]) => !String(input).startsWith(running.url))).toEqual([]);
    fetchSpy.mockRestore();
    expect(connector.sent.length).toBe(before);
  });

  test('a connector failure is logged without text or clear ids, and the next message works', async () => {
    connector.failWith = 403;
    expect(await post(running.url, activity(connector, { user: 'u-down-7781', id: 'd1', text: 'hola' }))).toBe(200);
    connector.failWith = undefined;
    const failure = running.logs.find((line) => line.includes('sending replies failed'));
    expect(failure).toBeDefined();
    expect(failure).toContain('"status":403');
    for (const line of running.logs) {
      expect(line).not.toContain('u-down-7781');
      expect(line).not.toContain('Soy Puente');
      expect(line).not.toContain('hola');
    }
    expect(await post(running.url, activity(connector, { user: 'u-down-7781', id: 'd2', text: 'menú' }))).toBe(200);
    expect(connector.activitiesFor('conv-u-down-7781').length).toBeGreaterThan(0);
  });
});

test('botframework: a turn that throws is logged without detail and swallowed (onTurnError)', async () => {
  const connector = await startFakeConnector();
  const broken = await startChannel({}, { handle: () => Promise.reject(new TypeError('secret words from u-boom')) });
  try {
    expect(await post(broken.url, activity(connector, { user: 'u-boom', id: 'e1', text: 'hola' }))).toBe(200);
    const line = broken.logs.find((l) => l.includes('turn failed'));
    expect(line).toContain('"name":"TypeError"');
    expect(broken.logs.join('')).not.toContain('u-boom');
    expect(connector.sent).toEqual([]);
  } finally {
    await broken.close();
    await connector.close();
  }
});

describe('botframework: with an app id and password', () => {
  let connector: FakeConnector;
  let running: Running;
  beforeAll(async () => {
    connector = await startFakeConnector();
    running = await startChannel({ appId: '11111111-2222-3333-4444-555555555555', appPassword: 'not-a-real-secret' });
  });
  afterAll(async () => {
    await running.close();
    await connector.close();
  });

  test('a request without an Authorization header, or with a forged one, gets 401; nothing is processed and nothing leaves the machine', async () => {
    const httpsSpy = vi.spyOn(https, 'request');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const consoleSpy = vi.spyOn(console, 'error').mockImplementation(() => undefined); // botbuilder prints auth failures
    try {
      const body = activity(connector, { user: 'u-auth', id: 'x1', text: 'hola', channelId: 'webchat' });
      expect(await post(running.url, body)).toBe(401);
      expect(await post(running.url, { ...body, id: 'x2' }, { authorization: 'Bearer not.a.token' })).toBe(401);
      expect(await post(running.url, { ...body, id: 'x3' }, { authorization: 'Basic dXNlcjpwYXNz' })).toBe(401);
      expect(connector.sent).toEqual([]);
      expect(httpsSpy).not.toHaveBeenCalled();
      expect(fetchSpy.mock.calls.filter(([input]) => !String(input).startsWith(running.url))).toEqual([]);
    } finally {
      httpsSpy.mockRestore();
      fetchSpy.mockRestore();
      consoleSpy.mockRestore();
    }
  });

  test('nothing reaches the bot without a valid token', async () => {
    const handle = vi.fn(async () => []);
    const guarded = await startChannel({ appId: '11111111-2222-3333-4444-555555555555', appPassword: 'not-a-real-secret' }, { handle });
    try {
      expect(await post(guarded.url, activity(connector, { user: 'u-auth2', id: 'y1', text: 'hola' }))).toBe(401);
      expect(handle).not.toHaveBeenCalled();
    } finally {
      await guarded.close();
    }
  });

  test('half-configured credentials are refused at start-up', () => {
    const deps = { bot: testBot().bot, log: pino({ level: 'silent' }) };
    expect(() => createBotFrameworkChannel({ appPassword: 'secret' }, deps)).toThrow(/MicrosoftAppId/);
    expect(() => createBotFrameworkChannel({ appId: 'id' }, deps)).toThrow(/MicrosoftAppPassword/);
    expect(() => createBotFrameworkChannel({ appId: 'id', appPassword: 'p', appType: 'SingleTenant' }, deps)).toThrow(/MicrosoftAppTenantId/);
    expect(() => createBotFrameworkChannel({ appId: 'id', appPassword: 'p', tenantId: 't', appType: 'UserAssignedMSI' }, deps)).toThrow(/must not be set/);
    expect(createBotFrameworkChannel({ appId: 'id', tenantId: 't', appType: 'UserAssignedMSI' }, deps).name).toBe('botframework');
  });
});

describe('botframework: parse and render', () => {
  const base = { type: 'message', id: 'm1', channelId: 'msteams', from: { id: '29:abc' }, recipient: { id: BOT_ID }, conversation: { id: 'c' }, serviceUrl: 'https://x/' };

  test('text, a pressed choice and a Place location become one Inbound each, for channelId:from.id', () => {
    expect(parseActivity({ ...base, text: 'hola' }, 5)).toEqual([{ channel: 'botframework', user: 'msteams:29:abc', messageId: 'm1', text: 'hola', timestamp: 5 }]);
    expect(parseActivity({ ...base, text: 'Português', value: { choice: 'pt' } }, 5)).toEqual([expect.objectContaining({ choice: 'pt' })]);
    expect(parseActivity({ ...base, text: 'Português', value: { choice: 'pt' } }, 5)[0]).not.toHaveProperty('text');
    const place = { type: 'Place', geo: { type: 'GeoCoordinates', latitude: 14.08, longitude: -87.2 } };
    expect(parseActivity({ ...base, entities: [{ type: 'clientInfo', locale: 'es' }, place] }, 5)).toEqual([expect.objectContaining({ location: { lat: 14.08, lon: -87.2 } })]);
    expect(parseActivity({ ...base, timestamp: '2026-03-02T16:00:00.000Z', text: 'x' }, 5)[0]?.timestamp).toBe(Date.parse('2026-03-02T16:00:00.000Z'));
  });

  test('what carries nothing usable yields nothing', () => {
    expect(parseActivity({ ...base, text: '   ' }, 5)).toEqual([]);
    expect(parseActivity({ ...base, entities: [{ type: 'Place', geo: { latitude: 123, longitude: 0 } }] }, 5)).toEqual([]);
    expect(parseActivity({ ...base, type: 'messageReaction' }, 5)).toEqual([]);
    expect(parseActivity({ ...base, from: undefined, text: 'hola' }, 5)).toEqual([]);
    expect(parseActivity('not an activity', 5)).toEqual([]);
  });

  test('a reply becomes plain text, messageBack suggested actions and a map card', () => {
    const rendered = renderReply({
      text: 'CAMR Belén\nOfrece: Comida.',
      choices: [{ id: 'menu', label: 'Menú' }],
      location: { lat: 15.5, lon: -88, name: 'CAMR Belén' },
      link: { url: 'https://www.google.com/maps/search/?api=1&query=15.5,-88', label: 'Ver en el mapa' },
    });
    expect(rendered).toMatchObject({ type: 'message', text: 'CAMR Belén\nOfrece: Comida.', textFormat: 'plain' });
    expect(rendered.suggestedActions?.actions).toEqual([{ type: 'messageBack', title: 'Menú', displayText: 'Menú', text: 'Menú', value: { choice: 'menu' } }]);
    expect(rendered.attachments).toEqual([
      {
        contentType: HERO_CARD,
        content: { title: 'CAMR Belén', buttons: [{ type: 'openUrl', title: 'Ver en el mapa', value: 'https://www.google.com/maps/search/?api=1&query=15.5,-88' }] },
      },
    ]);
    expect(renderReply({ text: 'Elige:', choices: [{ id: 'menu', label: 'Menú' }] }, 'msteams')).toMatchObject({ text: 'Elige:\n\n1. Menú' });
    expect(renderReply({ text: 'Elige:', choices: [{ id: 'menu', label: 'Menú' }] }, 'sms')).not.toHaveProperty('suggestedActions');
    const long = 'x'.repeat(10_000);
    expect(renderReply({ text: long }).text).toBe(long);
    expect(renderReply({ text: 'hola' })).not.toHaveProperty('attachments');
  });
});
