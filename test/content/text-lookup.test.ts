import i18next from 'i18next';
import { makeTextLookup } from '../../src/content/catalog.js';

const texts = {
  plain: 'Hola',
  one: 'Abre a las {{time}}',
  two: '{{name}} — a {{ km }} km',
  nested: 'Ver: $t(plain)',
};

function lookup() {
  const i18n = i18next.createInstance();
  void i18n.init({ resources: { es: { translation: texts } }, lng: 'es', fallbackLng: false, initAsync: false, interpolation: { escapeValue: false } });
  return { i18n, text: makeTextLookup(i18n) };
}

test('placeholders are filled as i18next fills them, including values that look like patterns', () => {
  const { i18n, text } = lookup();
  const cases: [string, Record<string, string | number>][] = [
    ['plain', {}],
    ['one', { time: '8:00' }],
    ['two', { name: 'CAMI $& {{km}}', km: 2.5 }],
    ['nested', { unused: 'x' }],
  ];
  for (const [key, values] of cases) expect(text('es', key, values)).toBe(i18n.t(key, values));
});

test('a value not given leaves its placeholder, and a text without values is returned as written', () => {
  const { text } = lookup();
  expect(text('es', 'two', { name: 'CAMI' })).toBe('CAMI — a {{km}} km');
  expect(text('es', 'one')).toBe('Abre a las {{time}}');
  expect(text('es', 'nested')).toBe('Ver: Hola');
});
