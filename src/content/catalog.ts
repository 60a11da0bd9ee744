// The catalog: everything the bot knows, loaded from content/, locales/ and flows/, validated and frozen.
import type { i18n } from 'i18next';
import type { Language } from '../model/message.js';
import type { CenterFile, ServicesFile, TopicFile } from './facts-schema.js';
import type { CommandName, FlowNode, LanguagesFile, UNDERSTOOD_INTENTS } from './schema.js';
import type { KeywordsFile } from './keywords.js';
import type { Gazetteer } from './places.js';
import type { TranslationState } from './translations.js';

export type UnderstoodIntent = (typeof UNDERSTOOD_INTENTS)[number];

export interface Command {
  name: CommandName;
  /** Full node id ("flow.node"); absent for "back". */
  node?: string;
  match: 'exact' | 'contains';
  phrases: readonly string[];
}

export interface Catalog {
  /** Where a new conversation starts, and the main menu. Full node ids. */
  entry: string;
  home: string;
  /** Where a message understood as an intent leads (full node ids). */
  intents: Partial<Record<UnderstoodIntent, string>>;
  /** Every node by full id ("flow.node"); every reference inside is a full id too. */
  nodes: ReadonlyMap<string, FlowNode>;
  commands: readonly Command[];
  languageMarkers: LanguagesFile['languages'];
  services: ServicesFile['services'];
  centers: readonly CenterFile[];
  topics: ReadonlyMap<string, TopicFile>;
  /** For staff reports: the state of every translated text, per language (Spanish is the source). */
  translations: Partial<Record<Language, Record<string, TranslationState>>>;
  /** Words that tell what a person wants (content/keywords.yaml). */
  keywords: KeywordsFile;
  /** Departments, towns and the names people type for them (content/places/). */
  places: Gazetteer;
  /**
   * The text for a key in a language, its {{placeholders}} filled from `values`, then `defaults`.
   * The loader guarantees every used key exists in every language.
   */
  text(lang: Language, key: string, values?: Record<string, string | number>, defaults?: Record<string, string | number>): string;
}

export function makeTextLookup(i18n: i18n): Catalog['text'] {
  // Each text is resolved by i18next once (nesting, plurals), then served from memory, and its
  // {{placeholders}} are filled here: through i18next on every call, that was most of a turn.
  // By language, then by key: keys come from content and are looked up as they are, never joined.
  const resolved = new Map<Language, Map<string, Template>>();
  return (lang, key, values, defaults) => {
    let inLanguage = resolved.get(lang);
    if (!inLanguage) resolved.set(lang, (inLanguage = new Map()));
    let template = inLanguage.get(key);
    if (!template) inLanguage.set(key, (template = parseTemplate(i18n.getFixedT(lang)(key))));
    return (values || defaults) && template.parts ? fill(template.parts, values, defaults) : template.text;
  };
}

/** A text, and if it has placeholders its literal parts and placeholder names in turn ("a {{b}} c" → ["a ", "b", " c"]). */
interface Template {
  text: string;
  parts?: string[];
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

function parseTemplate(text: string): Template {
  if (!text.includes('{{')) return { text };
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    parts.push(text.slice(last, match.index), match[1]!);
    last = match.index + match[0].length;
  }
  if (!parts.length) return { text };
  parts.push(text.slice(last));
  return { text, parts };
}

/** Like i18next: a value that is not given leaves its {{placeholder}} as it was. */
function fill(parts: string[], values: Record<string, string | number> | undefined, defaults: Record<string, string | number> | undefined): string {
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const value = values && Object.hasOwn(values, name) ? values[name] : defaults && Object.hasOwn(defaults, name) ? defaults[name] : undefined;
    out += (value === undefined ? `{{${name}}}` : String(value)) + parts[i + 1]!;
  }
  return out;
}
