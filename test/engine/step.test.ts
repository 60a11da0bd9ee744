// The step function on its own: pure, recovering from stale sessions, and every node kind.
import { HISTORY_LIMIT, type Session } from '../../src/engine/session.js';
import { step } from '../../src/engine/step.js';
import type { Inbound } from '../../src/model/message.js';
import { catalog } from '../helpers/bot.js';

const now = new Date('2026-03-02T10:00:00-06:00');
const say = (text: string): Inbound => ({ channel: 'web', user: 'u', text, timestamp: 0 });
const choose = (choice: string): Inbound => ({ channel: 'web', user: 'u', choice, timestamp: 0 });
const atMenu: Session = { v: 1, node: 'main.menu', lang: 'es', profile: {}, history: [], updatedAt: 0 };

test('never changes the session it is given', () => {
  const before = structuredClone(atMenu);
  const result = step(atMenu, choose('about'), catalog, now);
  expect(atMenu).toEqual(before);
  expect(result.session?.node).toBe('main.about');
  expect(result.session?.updatedAt).toBe(now.getTime());
});

test('the same input gives the same output', () => {
  expect(step(atMenu, say('5'), catalog, now)).toEqual(step(atMenu, say('5'), catalog, now));
});

test('a session left at a node that no longer exists continues at the main menu', () => {
  const stale: Session = { ...atMenu, node: 'old_flow.gone', history: ['old_flow.gone', 'main.about'] };
  const result = step(stale, say('2'), catalog, now);
  expect(result.replies[0]!.text).toContain('derechos');
  expect(result.session?.history).toEqual([]);
});

test('"back" returns step by step, remembers at most a few steps, and ends at the main menu', () => {
  const full: Session = { ...atMenu, node: 'main.about', history: Array.from({ length: HISTORY_LIMIT }, () => 'main.language') };
  const deeper = step(full, choose('profile'), catalog, now).session!;
  expect(deeper.node).toBe('start.profile_group');
  expect(deeper.history).toHaveLength(HISTORY_LIMIT);
  expect(deeper.history.at(-1)).toBe('main.about');

  let session = step(deeper, say('atrás'), catalog, now).session!;
  expect(session.node).toBe('main.about');
  for (let i = 0; i < HISTORY_LIMIT; i++) session = step(session, say('back'), catalog, now).session!;
  expect(session.node).toBe('main.menu');
  expect(step(session, say('back'), catalog, now).session?.node).toBe('main.menu');
});

test('a global command sent as a button id works from any menu', () => {
  const atAge: Session = { ...atMenu, node: 'start.profile_age' };
  expect(step(atAge, choose('language'), catalog, now).session?.node).toBe('main.language');
  expect(step(atAge, choose('delete_data'), catalog, now).session).toBeNull();
});

test('skipping the profile keeps nothing', () => {
  const atGroup: Session = { ...atMenu, node: 'start.profile_group' };
  expect(step(atGroup, choose('skip'), catalog, now).session?.profile).toEqual({});
});

test('delete my data ends the conversation with one confirmation and an effect', () => {
  const result = step({ ...atMenu, profile: { group: 'returned' } }, say('Borrar mis datos'), catalog, now);
  expect(result.session).toBeNull();
  expect(result.effects).toEqual([{ type: 'delete_user' }]);
  expect(result.replies).toHaveLength(1);
});

test('the quick exit word forgets the person at once and answers one neutral line', () => {
  for (const word of ['salir', 'SAIR', 'soti', 'exit']) {
    const result = step({ ...atMenu, node: 'start.profile_age', profile: { group: 'transit' } }, say(word), catalog, now);
    expect(result.session).toBeNull();
    expect(result.effects).toEqual([{ type: 'delete_user' }]);
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]!.text).not.toMatch(/Puente|datos|data|migra/i);
  }
});

test('the privacy text states how long data is kept', () => {
  const result = step(atMenu, choose('about'), catalog, now, { sessionDays: 7 });
  expect(result.replies[0]!.text).toContain('7 días');
});

test('a text far longer than any message is read without trouble', () => {
  const result = step(atMenu, say('a'.repeat(1_000_000)), catalog, now);
  expect(result.replies[0]!.text).toMatch(/No te entendí/);
});

describe('a question that waits for a location or a place name', () => {
  const asked = () => step(step(atMenu, choose('find'), catalog, now).session!, choose('meals'), catalog, now);

  test('asks where, after the service is chosen', () => {
    const result = asked();
    expect(result.session?.node).toBe('main.find_where');
    expect(result.session?.finding).toEqual({ service: 'meals' });
    expect(result.replies.at(-1)?.text).toMatch(/Dónde estás/);
  });

  test('a shared location is used for the search and not kept', () => {
    const located = step(asked().session!, { channel: 'web', user: 'u', location: { lat: 15.5, lon: -88.03 }, timestamp: 0 }, catalog, now);
    expect(located.replies[0]!.text).toBe('Centros más cercanos con Comida:');
    expect(located.replies[1]!.link?.url).toContain('google.com/maps');
    expect(located.session?.node).toBe('main.menu');
    expect(JSON.stringify(located.session)).not.toMatch(/15\.5|88\.03/);
  });

  test('an unknown place asks again; global commands still work while it waits', () => {
    const waiting = asked().session!;
    const unknown = step(waiting, say('Xyzzyville'), catalog, now);
    expect(unknown.session?.node).toBe('main.find_where');
    expect(unknown.replies[0]!.text).toMatch(/No encontré ese lugar/);
    expect(step(waiting, say('menú'), catalog, now).session?.node).toBe('main.menu');
    expect(step(waiting, say('atrás'), catalog, now).session?.node).toBe('main.find_service');
    expect(step(waiting, say('me quieren matar'), catalog, now).replies[0]!.text).toContain('911');
  });

  test('a place several towns share is offered as choices, and picking one searches there', () => {
    const ambiguous = step(asked().session!, say('El Porvenir'), catalog, now);
    expect(ambiguous.session?.node).toBe('main.find_pick');
    const choices = ambiguous.replies.at(-1)?.choices ?? [];
    expect(choices.length).toBeGreaterThan(1);
    const picked = step(ambiguous.session!, choose(choices[1]!.id), catalog, now);
    expect(picked.session?.node).toBe('main.menu');
    expect(picked.session?.candidates).toBeUndefined();
  });
});

test('a flow that would never stop is cut off by the step limit', () => {
  // The content check refuses such flows; the limit is the engine's own guard.
  const looping = { ...catalog, nodes: new Map([...catalog.nodes, ['main.help', { type: 'goto', next: 'main.help' } as const]]) };
  expect(() => step(atMenu, say('ayuda'), looping, now, { maxSteps: 10 })).toThrow(/did not stop after 10 steps/);
});
