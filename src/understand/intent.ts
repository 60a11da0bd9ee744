// What a free-text message asks for: an intent (and a service for find_service) and its language,
// from the keyword lists in content/keywords.yaml and the global commands. Text is normalized,
// small typos are forgiven (fuse.js), and danger is never missed: emergency words win over all.
import Fuse from 'fuse.js';
import type { Catalog } from '../content/catalog.js';
import type { KeywordsFile, SIGNALS } from '../content/keywords.js';
import type { ServiceId } from '../content/service-ids.js';
import { MAX_TEXT_CHARS, type Language } from '../model/message.js';
import { matchCommand } from './commands.js';
import { detectLanguage } from './language.js';
import { normalize } from './normalize.js';

export const INTENTS = ['find_service', 'find_center', 'rights', 'risks', 'emergency', 'language', 'delete_data', 'human', 'menu', 'stop', 'unknown'] as const;
export type Intent = (typeof INTENTS)[number];

/** What a message asks for, without its language (which the engine does not need: it costs a lookup per word). */
export interface Intention {
  intent: Intent;
  service: ServiceId | null;
  /** 0..1: how sure; below THRESHOLD the intent is "unknown". */
  score: number;
}

export interface Understanding extends Intention {
  lang: Language;
}

/** Below this the bot shows the menu instead of guessing. */
export const THRESHOLD = 0.6;
/** Longest text looked at: all a person can send in one message, and a bound on the work. */
const MAX_CHARS = MAX_TEXT_CHARS;
const FUZZY_MIN_LENGTH = 5;
const MAX_TYPO_LOOKUPS = 40;
const FUZZY_MAX_SCORE = 0.2;

type Signal = (typeof SIGNALS)[number];
type Label = `intent:${Exclude<Intent, 'find_service' | 'unknown'>}` | `service:${ServiceId}` | `signal:${Signal}`;
interface Hit {
  label: Label;
  lang: Language;
}

interface Compiled {
  words: Map<string, Hit[]>;
  prefixes: { stem: string; hit: Hit }[];
  /** Stems by their first two letters, so a word is compared with a handful, not all. */
  prefixesByStart: Map<string, { stem: string; hit: Hit }[]>;
  /** Phrases by their first word, padded with spaces for a whole-word search. */
  phrasesByFirstWord: Map<string, { padded: string; hit: Hit }[]>;
  fuzzy: Map<number, Fuse<string>>;
  typoCache: Map<string, Hit[]>;
}

const compiledFor = new WeakMap<KeywordsFile, Compiled>();

function compile(keywords: KeywordsFile): Compiled {
  const words = new Map<string, Hit[]>();
  const prefixes: Compiled['prefixes'] = [];
  const phrases: { phrase: string; hit: Hit }[] = [];
  const add = (raw: string, hit: Hit) => {
    const prefix = raw.trim().endsWith('*');
    const text = normalize(emojiAsWords(raw));
    if (!text) return;
    if (prefix) prefixes.push({ stem: text, hit });
    else if (text.includes(' ')) phrases.push({ phrase: text, hit });
    else words.set(text, [...(words.get(text) ?? []), hit]);
  };
  const lists: [string, Record<string, Partial<Record<Language, string[]>> | undefined>][] = [
    ['intent', keywords.intents],
    ['service', keywords.services],
    ['signal', keywords.signals],
  ];
  for (const [kind, groups] of lists) {
    for (const [name, byLang] of Object.entries(groups)) {
      for (const [lang, list] of Object.entries(byLang ?? {})) {
        for (const w of list ?? []) add(w, { label: `${kind}:${name}` as Label, lang: lang as Language });
      }
    }
  }
  // Typos are looked up among words of about the same length only: faster, and fewer false friends.
  const byLength = new Map<number, string[]>();
  for (const word of words.keys()) {
    if (word.length >= FUZZY_MIN_LENGTH) byLength.set(word.length, [...(byLength.get(word.length) ?? []), word]);
  }
  const fuzzy = new Map<number, Fuse<string>>();
  for (let length = FUZZY_MIN_LENGTH; length <= 30; length++) {
    const near = [length - 1, length, length + 1].flatMap((l) => byLength.get(l) ?? []);
    if (near.length) fuzzy.set(length, new Fuse(near, { includeScore: true, threshold: FUZZY_MAX_SCORE, ignoreLocation: true }));
  }
  const prefixesByStart = new Map<string, { stem: string; hit: Hit }[]>();
  for (const p of prefixes) prefixesByStart.set(p.stem.slice(0, 2), [...(prefixesByStart.get(p.stem.slice(0, 2)) ?? []), p]);
  const phrasesByFirstWord = new Map<string, { padded: string; hit: Hit }[]>();
  for (const { phrase, hit } of phrases) {
    const first = phrase.split(' ')[0]!;
    phrasesByFirstWord.set(first, [...(phrasesByFirstWord.get(first) ?? []), { padded: ` ${phrase} `, hit }]);
  }
  return { words, prefixes, prefixesByStart, phrasesByFirstWord, fuzzy, typoCache: new Map() };
}

function compiled(keywords: KeywordsFile): Compiled {
  let c = compiledFor.get(keywords);
  if (!c) compiledFor.set(keywords, (c = compile(keywords)));
  return c;
}

function typoHits(token: string, c: Compiled): Hit[] {
  const cached = c.typoCache.get(token);
  if (cached) return cached;
  const best = c.fuzzy.get(Math.min(token.length, 30))?.search(token, { limit: 1 })[0];
  let hits = best ? (c.words.get(best.item) ?? []) : [];
  if (!hits.length) {
    // A misspelt word that starts like a stem ("vacines" for "vaccin*"): compare the word's start.
    hits = c.prefixes
      .filter(({ stem }) => stem.length >= 6 && token.length >= 6 && [-1, 0, 1].some((d) => withinOneEdit(token.slice(0, stem.length + d), stem)))
      .map((p) => p.hit);
  }
  if (c.typoCache.size > 10_000) c.typoCache.clear(); // bounded: a flood of odd words cannot grow it without end
  c.typoCache.set(token, hits);
  return hits;
}

/** True when a and b differ by at most one insertion, deletion, substitution or swap of neighbours. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const ASCII = /^[\x00-\x7f]*$/;

/** Emoji that carry meaning become words the keyword lists can name ("xsos", "xcry"). */
function emojiAsWords(text: string): string {
  if (ASCII.test(text)) return text; // most messages: no emoji to look for
  return text.replace(/🆘/gu, ' xsos ').replace(/[😭😢😰😱]/gu, ' xcry ');
}

// Greetings and "help" come with real requests ("hola, necesito comida"): the request must win.
const WEIGHT: Partial<Record<Label, number>> = { 'intent:menu': 0.5 };

export function understand(text: string, catalog: Pick<Catalog, 'keywords' | 'commands' | 'languageMarkers'>, fallback: Language): Understanding {
  const normalized = normalizedForKeywords(text);
  const votes = new Map<Language, number>();
  const intention = intentionOf(normalized, catalog, votes);
  const byMarkers = detectLanguage(normalized, catalog.languageMarkers);
  const [first, second] = [...votes].sort((a, b) => b[1] - a[1]);
  const lang = byMarkers ?? (first && (!second || first[1] > second[1]) ? first[0] : fallback);
  return { intent: intention.intent, service: intention.service, lang, score: intention.score };
}

/** What a message asks for, as understand() says, without working out its language. */
export function understandIntent(text: string, catalog: Pick<Catalog, 'keywords' | 'commands'>): Intention {
  return intentionOf(normalizedForKeywords(text), catalog, undefined);
}

function normalizedForKeywords(text: string): string {
  const normalized = normalize(emojiAsWords(text.slice(0, MAX_CHARS)));
  // Honduran voseo: "vos sos" is "you are", not a cry for help.
  return normalized.includes('vos sos') ? normalized.replace(/\bvos sos\b/g, 'vos eres') : normalized;
}

/** `votes`, when given, counts the keyword hits per language. */
function intentionOf(normalized: string, catalog: Pick<Catalog, 'keywords' | 'commands'>, votes: Map<Language, number> | undefined): Intention {
  const c = compiled(catalog.keywords);
  const scores = new Map<Label, number>();
  const count = (hits: Hit[], weight: number) => {
    for (const hit of hits) {
      scores.set(hit.label, (scores.get(hit.label) ?? 0) + weight * (WEIGHT[hit.label] ?? 1));
      votes?.set(hit.lang, (votes.get(hit.lang) ?? 0) + 1);
    }
  };
  // Typo lookups cost the most: a bounded number per message, so a flood of gibberish stays cheap.
  let typoBudget = MAX_TYPO_LOOKUPS;
  const padded = ` ${normalized} `;
  const seenFirstWords = new Set<string>();
  for (const token of normalized.split(' ')) {
    if (!token) continue;
    if (!seenFirstWords.has(token)) {
      seenFirstWords.add(token);
      for (const { padded: phrase, hit } of c.phrasesByFirstWord.get(token) ?? []) if (padded.includes(phrase)) count([hit], 1.5);
    }
    const exact = c.words.get(token);
    if (exact) {
      count(exact, 1);
      continue;
    }
    const stems = (c.prefixesByStart.get(token.slice(0, 2)) ?? []).filter((p) => token.startsWith(p.stem));
    if (stems.length) count(stems.map((p) => p.hit), 0.9);
    else if (token.length >= FUZZY_MIN_LENGTH && typoBudget-- > 0) count(typoHits(token, c), 0.7);
  }

  const has = (label: Label) => (scores.get(label) ?? 0) > 0;
  const result = (intent: Intent, score: number, service: ServiceId | null = null): Intention => ({ intent, service, score: round(score) });

  // Danger first, and a false alarm rather than a miss.
  const command = matchCommand(normalized, catalog);
  if (command?.name === 'emergency' || has('intent:emergency')) return result('emergency', 1);
  if (has('signal:danger')) return has('signal:risk_question') ? result('risks', 1) : result('emergency', 1);
  if (has('signal:cry_for_help') && has('signal:urgency')) return result('emergency', 1);

  // Exact global commands ("idioma", "borrar mis datos") are intents too.
  if (command && command.name !== 'back') {
    const label: Label = command.name === 'help' ? 'intent:menu' : command.name === 'quick_exit' ? 'intent:stop' : (`intent:${command.name}` as Label);
    scores.set(label, (scores.get(label) ?? 0) + 2);
  }
  if (has('signal:cry_for_help')) scores.set('intent:menu', (scores.get('intent:menu') ?? 0) + 0.5);
  if (has('signal:risk_question')) scores.set('intent:risks', (scores.get('intent:risks') ?? 0) + 1);

  const [best] = [...scores].filter(([label]) => !label.startsWith('signal:')).sort((a, b) => b[1] - a[1]);
  if (!best || best[1] < THRESHOLD * (WEIGHT[best[0]] ?? 1)) return result('unknown', best?.[1] ?? 0);
  const [kind, name] = best[0].split(':') as ['intent' | 'service', string];
  const score = Math.min(1, best[1]);
  return kind === 'service' ? result('find_service', score, name as ServiceId) : result(name as Intent, score);
}

const round = (n: number) => Math.round(n * 100) / 100;
