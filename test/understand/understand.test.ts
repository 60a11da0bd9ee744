import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { pickChoice } from '../../src/understand/choice.js';
import { understand } from '../../src/understand/intent.js';
import { matchCommand } from '../../src/understand/commands.js';
import { detectLanguage } from '../../src/understand/language.js';
import { containsPhrase, normalize } from '../../src/understand/normalize.js';
import type { Command } from '../../src/content/catalog.js';
import { catalog } from '../helpers/bot.js';

test.each([
  ['Menú', 'menu'],
  ['  HOLAAAA!!!  ', 'hola'],
  ['¿Dónde está el CAMR?', 'donde esta el camr'],
  ['Kreyòl   ayisyen 🇭🇹', 'kreyol ayisyen'],
  ['llamar', 'llamar'],
  ['/start', '/start'],
  ['😀🔥🙏🏽', ''],
  ['holaaa', 'hola'],
  ['hola  2', 'hola 2'],
  ['2', '2'],
  ['111', '111'],
])('normalize(%j) = %j', (text, expected) => {
  expect(normalize(text)).toBe(expected);
});

test('normal form is stable: normalizing twice changes nothing, whatever is typed', () => {
  const typed = fc.string({ unit: fc.constantFrom(...'aábcñ 12 AÉ!?/\u0301😀ooo'.split('')), maxLength: 30 });
  fc.assert(fc.property(typed, (text) => normalize(normalize(text)) === normalize(text)), { numRuns: 2000, seed: 7 });
});

test('phrases match whole words, and a trailing * matches word starts', () => {
  expect(containsPhrase('me quieren matar', 'quieren matar')).toBe(true);
  expect(containsPhrase('menudo', 'menu')).toBe(false);
  expect(containsPhrase('me estan amenazando', 'amenaz*')).toBe(true);
  expect(containsPhrase('la amenidad', 'amenaz*')).toBe(false);
});

test.each([
  ['hola buenas', 'es'],
  ['oi, tudo bem? preciso de ajuda', 'pt'],
  ['bonjou, mwen bezwen èd', 'ht'],
  ['hello i need help', 'en'],
  ['ok', undefined],
  ['comida', undefined],
])('detectLanguage(%j) = %s', (text, lang) => {
  expect(detectLanguage(text, catalog.languageMarkers)).toBe(lang);
});

test.each([
  ['MENÚ', 'menu'],
  ['atras', 'back'],
  ['Voltar', 'back'],
  ['/start', 'menu'],
  ['borrar mis datos', 'delete_data'],
  ['efase done mwen', 'delete_data'],
  ['idioma', 'language'],
  ['ayuda', 'help'],
  ['socorro', 'emergency'],
  ['menu, me violaron', 'emergency'],
  ['anmwe', 'emergency'],
  ['I was raped', 'emergency'],
  ['911', 'emergency'],
  ['quiero ver el menu de comida', undefined],
  ['vos sos mi amigo', undefined],
])('matchCommand(%j) = %s', (text, name) => {
  expect(matchCommand(text, catalog)?.name).toBe(name);
});

/** The plain reading of the rules, with no index: every "contains" phrase first, then every exact one. */
function scanCommands(text: string): Command | undefined {
  const typed = normalize(text).replace(/^\/+/, '');
  if (!typed) return undefined;
  const phrase = (p: string) => (p.trim().endsWith('*') && normalize(p) ? `${normalize(p)}*` : normalize(p));
  const byKind = (kind: Command['match']) => catalog.commands.filter((c) => c.match === kind);
  return (
    byKind('contains').find((c) => c.phrases.some((p) => phrase(p) && containsPhrase(typed, phrase(p)))) ??
    byKind('exact').find((c) => c.phrases.some((p) => phrase(p) === typed))
  );
}

test('matchCommand finds what a scan of every phrase finds, for every labelled message and every phrase', () => {
  const labelled = ['eval.jsonl', 'holdout.jsonl'].flatMap((file) =>
    readFileSync(new URL(`../fixtures/nlu/${file}`, import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { text: string }).text),
  );
  const phrases = catalog.commands.flatMap((c) => c.phrases.flatMap((p) => [p, `hola ${p.replace('*', 'ando')} menu`, p.replace('*', '')]));
  const texts = [...labelled, ...phrases];
  expect(texts.length).toBeGreaterThan(800);
  for (const text of texts) expect([text, matchCommand(text, catalog)?.name]).toEqual([text, scanCommands(text)?.name]);
});

describe('understand', () => {
  test.each([
    ['me estan amenazando', 'emergency', null],
    ['es peligroso cruzar guatemala?', 'risks', null],
    ['dicen que secuestran migrantes en mexico, como me cuido', 'risks', null],
    ['los mareros me secuestraron', 'emergency', null],
    ['ayuda rapido por favor 😭', 'emergency', null],
    ['ayuda', 'menu', null],
    ['🆘', 'emergency', null],
    ['vos sos mi pana', 'unknown', null],
    ['hola buenos dias necesito comida para mis hijos', 'find_service', 'meals'],
    ['m ansent', 'find_service', 'sexual_reproductive_health'],
    ['preciso de um psicólogo', 'find_service', 'mental_health'],
    ['where can i get vacines for my baby', 'find_service', 'vaccines'],
    ['borra mis datos porfa', 'delete_data', null],
    ['quiero hablar con una persona', 'human', null],
    ['asdfgh', 'unknown', null],
  ])('%j → %s %s', (text, intent, service) => {
    const got = understand(text, catalog, 'es');
    expect([got.intent, got.service]).toEqual([intent, service]);
  });

  test('the language comes from the text, or falls back to the session language', () => {
    expect(understand('bonjou mwen bezwen manje', catalog, 'es').lang).toBe('ht');
    expect(understand('ok', catalog, 'pt').lang).toBe('pt');
  });

  test('an enormous message is read in bounded time and size without error', () => {
    const got = understand('comida '.repeat(200_000), catalog, 'es');
    expect(got.intent).toBe('find_service');
  });
});

describe('pickChoice', () => {
  const offered = [
    { id: 'es', labels: ['Español'] },
    { id: 'ht', labels: ['Kreyòl ayisyen'] },
    { id: 'rights', labels: ['Mis derechos', 'Meus direitos', 'Dwa mwen', 'My rights'] },
  ];
  test.each([
    [{ choice: 'ht' }, 'ht'],
    [{ text: '2' }, 'ht'],
    [{ text: ' 3 ' }, 'rights'],
    [{ text: 'espanol' }, 'es'],
    [{ text: 'KREYOL AYISYEN' }, 'ht'],
    [{ text: 'my rights' }, 'rights'],
    [{ text: 'dwa mwen' }, 'rights'],
    [{ text: '4' }, undefined],
    [{ text: '0' }, undefined],
    [{ text: 'derechos humanos' }, undefined],
    [{ choice: 'Mis derechos' }, 'rights'],
  ])('%j picks %s', (input, id) => {
    expect(pickChoice(input, offered)?.id).toBe(id);
  });
});
