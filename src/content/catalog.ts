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
  /** The text for a key in a language; the loader guarantees every used key exists in every language. */
  text(lang: Language, key: string, values?: Record<string, string | number>): string;
}

export function makeTextLookup(i18n: i18n): Catalog['text'] {
  // Most texts have no {{placeholder}}: each is resolved by i18next once, then served from memory.
  const resolved = new Map<string, string>();
  const byLanguage = new Map<string, ReturnType<i18n['getFixedT']>>();
  return (lang, key, values) => {
    let t = byLanguage.get(lang);
    if (!t) byLanguage.set(lang, (t = i18n.getFixedT(lang)));
    const id = `${lang}\u0000${key}`;
    let text = resolved.get(id);
    if (text === undefined) resolved.set(id, (text = t(key)));
    return values && text.includes('{{') ? t(key, values) : text;
  };
}
