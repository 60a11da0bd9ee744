// Property-based tests of the pure step function: whatever a person sends, in whatever order and
// from whatever saved session, step() never throws, every reply is a valid Reply, the session it
// keeps is valid, small and waiting at a real menu or question, and danger always gets the 911 answer.
import fc from 'fast-check';
import { GROUPS, AGE_GROUPS, type FlowNode } from '../../src/content/schema.js';
import { SERVICE_IDS } from '../../src/content/service-ids.js';
import { step, type StepResult } from '../../src/engine/step.js';
import { HISTORY_LIMIT, Session } from '../../src/engine/session.js';
import { Inbound, LANGUAGES, Reply, type Location } from '../../src/model/message.js';
import { catalog } from '../helpers/bot.js';

const SEED = 20260302;
const T0 = new Date('2026-03-02T10:00:00-06:00').getTime();

// ── What the catalog offers ──────────────────────────────────────────────────────────────────

const isWaiting = (node: FlowNode | undefined): boolean => node?.type === 'menu' || node?.type === 'ask';
const allNodeIds = [...catalog.nodes.keys()];
const choiceIds = [
  ...new Set([
    ...[...catalog.nodes.values()].flatMap((node) => (node.type === 'menu' ? node.choices.map((c) => c.id) : [])),
    ...catalog.commands.map((c) => c.name),
    ...LANGUAGES,
  ]),
];
const placeIds = [...catalog.places.places.slice(0, 20).map((p) => p.id), ...catalog.places.departments.slice(0, 5).map((d) => d.id)];

// ── Arbitraries ──────────────────────────────────────────────────────────────────────────────

const WORDS = [
  // Spanish
  'hola', 'menu', 'menú', 'atrás', 'volver', 'idioma', 'ayuda', 'borrar mis datos', 'salir', 'sí', 'no',
  'tengo hambre', 'necesito comida', 'dónde dormir', 'albergue', 'médico', 'estoy embarazada', 'abogado',
  'Tegus', 'Tegucigalpa', 'San Pedro Sula', 'El Porvenir', 'Choluteca', 'Danlí', 'Trojes', 'Ocotepeque',
  'centros', 'derechos', 'riesgos', 'hablar con una persona',
  // Portuguese
  'olá', 'oi', 'voltar', 'língua', 'apagar meus dados', 'sair', 'estou com fome', 'preciso de abrigo',
  // Haitian Creole
  'bonjou', 'meni', 'retounen', 'lang', 'efase done mwen', 'soti', 'mwen grangou', 'kote pou m dòmi',
  // English
  'hello', 'hi', 'english', 'back', 'language', 'delete my data', 'exit', 'i am hungry', 'shelter please', 'doctor',
  // Numbers and shapes people type
  ...Array.from({ length: 12 }, (_, i) => String(i + 1)),
  '0', '-1', '99', '1.', '2)', ' 3 ', '/start', '/help', '/salir', '',
];
const EMOJI = ['😀', '🔥', '🙏🏽', '👍', '❤️', '🇭🇳', '👨‍👩‍👧‍👦', '🆘', '😭', '🏳️‍🌈', '\u200d', '\ufe0f'];
const DANGER = ['me quieren matar', 'me violaron', 'anmwe', 'help me please'];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const text: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), loneSurrogate) }),
  fc.array(fc.constantFrom(...EMOJI), { maxLength: 40 }).map((e) => e.join('')),
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(' ', '!!', '?', '...', ' 😀', '\n'), fc.string({ maxLength: 20 })).map((p) => p.join('')),
  fc.mixedCase(fc.constantFrom(...WORDS)),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);
const choice: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...choiceIds) },
  fc.string({ minLength: 1, maxLength: 256 }),
  fc.constantFrom(...allNodeIds),
);
const coordinate = (max: number) =>
  fc.oneof(fc.double({ min: -max, max, noNaN: true }), fc.constantFrom(-max, max, 0, -0, Number.MIN_VALUE, -Number.MIN_VALUE));
const location: fc.Arbitrary<Location> = fc.oneof(
  fc.record({ lat: coordinate(90), lon: coordinate(180) }),
  // Inside and around Honduras, where the finder really has answers.
  fc.record({ lat: fc.double({ min: 12.5, max: 16.5, noNaN: true }), lon: fc.double({ min: -89.5, max: -83, noNaN: true }) }),
);

type Content = { text: string } | { choice: string } | { location: Location };
const content: fc.Arbitrary<Content> = fc.oneof(
  { weight: 5, arbitrary: text.map((t) => ({ text: t })) },
  { weight: 3, arbitrary: choice.map((c) => ({ choice: c })) },
  { weight: 2, arbitrary: location.map((l) => ({ location: l })) },
);

const inbound = (c: Content, i: number): Inbound => ({ channel: 'property', user: 'someone', messageId: `m${i}`, timestamp: T0 + i, ...c });

const nodeString = fc.oneof(fc.constantFrom(...allNodeIds), fc.string(), fc.constantFrom('', 'main', 'main.', '.menu', '__proto__', 'constructor'));
const savedSession: fc.Arbitrary<Session> = fc.record(
  {
    v: fc.constant(1 as const),
    node: nodeString,
    lang: fc.constantFrom(...LANGUAGES),
    profile: fc.record({ group: fc.constantFrom(...GROUPS), age: fc.constantFrom(...AGE_GROUPS) }, { requiredKeys: [] }),
    history: fc.array(nodeString, { maxLength: HISTORY_LIMIT }),
    finding: fc.record({ service: fc.constantFrom(...SERVICE_IDS) }, { requiredKeys: [] }),
    candidates: fc.array(fc.oneof(fc.constantFrom(...placeIds), fc.string()), { maxLength: 5 }),
    updatedAt: fc.oneof(fc.integer({ min: 0, max: T0 + 1e10 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
  },
  { requiredKeys: ['v', 'node', 'profile', 'history', 'updatedAt'] },
);

// ── What every step must satisfy ─────────────────────────────────────────────────────────────

function checkStep(result: StepResult, sent: Content): void {
  expect(result.replies.length).toBeGreaterThan(0);
  for (const reply of result.replies) expect(Reply.safeParse(reply).error).toBeUndefined();
  if (result.session) {
    expect(Session.safeParse(result.session).error).toBeUndefined();
    expect(Buffer.byteLength(JSON.stringify(result.session), 'utf8')).toBeLessThan(1024);
    expect(isWaiting(catalog.nodes.get(result.session.node)), `session at "${result.session.node}"`).toBe(true);
    for (const id of result.session.history) expect(isWaiting(catalog.nodes.get(id)), `history has "${id}"`).toBe(true);
  }
  if ('text' in sent && DANGER.some((phrase) => sent.text.toLowerCase().includes(phrase))) {
    expect(result.replies.map((r) => r.text).join('\n')).toContain('911');
  }
}

function run(session: Session | undefined, contents: readonly Content[]): void {
  let current = session;
  contents.forEach((c, i) => {
    const message = inbound(c, i);
    expect(Inbound.safeParse(message).error).toBeUndefined();
    const result = step(current, message, catalog, new Date(T0 + i * 60_000), { defaultLanguage: 'es', sessionDays: 30 });
    checkStep(result, c);
    current = result.session ?? undefined;
  });
}

// ── Properties ───────────────────────────────────────────────────────────────────────────────

test('any sequence of messages from a new person: no throw, valid replies, a valid small session at a waiting node', () => {
  fc.assert(
    fc.property(fc.array(content, { maxLength: 30 }), (contents) => run(undefined, contents)),
    { numRuns: 300, seed: SEED },
  );
});

// The texts stay well under MAX_TEXT_CHARS: step() reads only the first 2000 UTF-16 units, so a
// danger phrase after them (say after 1000 emoji) is not seen.
test('a danger phrase anywhere in a message always gets the 911 answer, at any point of a conversation', () => {
  const separator = fc.constantFrom(' ', '\n', ', ', '... ', '! ', ' 😭 ', ' - ');
  const surrounding = fc.oneof(fc.constant(''), fc.string({ maxLength: 60 }), fc.constantFrom(...WORDS));
  const danger = fc
    .tuple(surrounding, separator, fc.mixedCase(fc.constantFrom(...DANGER)), separator, surrounding)
    .map((parts) => ({ text: parts.join('') }));
  fc.assert(
    fc.property(fc.array(content, { maxLength: 10 }), danger, (before, cry) => {
      run(undefined, [...before, cry]);
    }),
    { numRuns: 300, seed: SEED },
  );
});

test('any schema-valid saved session, even one pointing at nodes that do not exist or do not wait, is recovered', () => {
  fc.assert(
    fc.property(savedSession, fc.array(content, { minLength: 1, maxLength: 5 }), (saved, contents) => {
      expect(Session.safeParse(saved).error).toBeUndefined();
      const before = structuredClone(saved);
      run(saved, contents);
      expect(saved).toEqual(before); // step never changes the session it was given
    }),
    { numRuns: 300, seed: SEED },
  );
});

describe('huge messages get an answer', () => {
  const huge: [string, string][] = [
    ['1 MB of letters', 'a'.repeat(1024 * 1024)],
    ['1 MB of mixed text', 'hola tengo hambre en Tegus 😀 '.repeat(36_000)],
    ['10 000 emoji', '😀'.repeat(10_000)],
    ['10 000 family emoji', '👨‍👩‍👧‍👦'.repeat(10_000)],
    ['1 MB of lone surrogates', '\ud800'.repeat(1024 * 1024)],
  ];
  const saved: Session = { v: 1, node: catalog.home, lang: 'es', profile: {}, history: [], updatedAt: T0 };

  test.each(huge)('%s, from a new person and at the main menu', (_name, body) => {
    for (const session of [undefined, saved]) {
      const sent = { text: body };
      const result = step(session, inbound(sent, 0), catalog, new Date(T0));
      checkStep(result, sent);
    }
  });

  test('a huge message that starts with a danger phrase gets the 911 answer', () => {
    const sent = { text: `me quieren matar ${'😀'.repeat(10_000)}` };
    const result = step(saved, inbound(sent, 0), catalog, new Date(T0));
    checkStep(result, sent);
    expect(result.replies.map((r) => r.text).join('\n')).toContain('911');
  });
});
