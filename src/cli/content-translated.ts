// npm run content:translated -- <lang> <key…|--all> [--reviewed --by <role>]
// Records that translations now match the current Spanish text (clearing "stale"), as drafts or,
// with --reviewed, as checked by a native speaker. Writes locales/<lang>/_status.yaml.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { Language } from '../model/message.js';
import { projectRoot } from '../paths.js';
import { fingerprint, TRANSLATION_STATUS_FILE, TranslationStatusFile } from '../content/translations.js';
import { usage } from './options.js';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree)) {
    const id = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') into.set(id, value);
    else flatten(value, id, into);
  }
  return into;
}

function textsOf(root: string, lang: string): Map<string, string> {
  const dir = join(root, 'locales', lang);
  const texts = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.startsWith('_'))) {
    flatten((parse(readFileSync(join(dir, file), 'utf8')) ?? {}) as Tree, '', texts);
  }
  return texts;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { all: { type: 'boolean', default: false }, reviewed: { type: 'boolean', default: false }, by: { type: 'string' }, dir: { type: 'string', default: projectRoot } },
});
const [langArg, ...keys] = positionals;
const lang = Language.safeParse(langArg);
if (!lang.success || lang.data === 'es') usage('usage: npm run content:translated -- <pt|ht|en> <key…|--all> [--reviewed --by <role>]');
if (!values.all && !keys.length) usage('name the texts you updated (like start.welcome), or --all for every text');
if (values.reviewed && !values.by) usage('--reviewed needs --by <role>, like --by "native speaker (Haitian Creole)"');

const root = values.dir!;
const source = textsOf(root, 'es');
const translated = textsOf(root, lang.data);
const statusPath = join(root, 'locales', lang.data, TRANSLATION_STATUS_FILE);
const status: TranslationStatusFile = existsSync(statusPath)
  ? TranslationStatusFile.parse(parse(readFileSync(statusPath, 'utf8')))
  : { version: 1, texts: {} };

const chosen = values.all ? [...source.keys()] : keys;
const today = new Date().toISOString().slice(0, 10);
let changed = 0;
for (const key of chosen) {
  const text = source.get(key);
  if (text === undefined) usage(`"${key}" is not a Spanish text (see locales/es/)`);
  if (!translated.has(key)) usage(`"${key}" has no ${lang.data} translation yet: add it to locales/${lang.data}/ first`);
  status.texts[key] = values.reviewed
    ? { from: fingerprint(text), status: 'reviewed', reviewed: { on: today, by: values.by! } }
    : { from: fingerprint(text), status: 'draft' };
  changed++;
}
for (const key of Object.keys(status.texts)) if (!source.has(key)) delete status.texts[key];

const header = [
  `# Translation records for "${lang.data}": which Spanish text each translation was made from`,
  '# (a fingerprint) and whether a native speaker reviewed it. Do not edit by hand: use',
  `#   npm run content:translated -- ${lang.data} <key…> [--reviewed --by "<role>"]`,
  '',
].join('\n');
// One line per text keeps the file short and its diffs readable.
const lines = Object.entries(status.texts)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([key, r]) => `  ${key}: { from: "${r.from}", status: ${r.status}${r.reviewed ? `, reviewed: { on: ${r.reviewed.on}, by: ${JSON.stringify(r.reviewed.by)} }` : ''} }`);
writeFileSync(statusPath, `${header}version: 1\ntexts:\n${lines.join('\n')}\n`);
console.log(`${changed} text(s) recorded as ${values.reviewed ? 'reviewed' : 'draft'} in locales/${lang.data}/${TRANSLATION_STATUS_FILE}`);
