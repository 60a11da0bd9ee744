// Recognizes the global commands (menu, back, language, emergency, help, delete my data) in any language.
import type { Catalog, Command } from '../content/catalog.js';
import { normalize, phraseNeedle } from './normalize.js';

/**
 * The phrases of a catalog's commands, looked up instead of compared one by one: this runs on
 * every message, twice. Exact phrases by their whole text; "contains" phrases (emergency words)
 * by their first word, with the whole-word needle to find in the padded text.
 */
interface CommandIndex {
  exact: Map<string, Command>;
  /** Keyed by the first word, or by "stem*" for a phrase that is one word prefix ("amenaz*"). */
  containsByFirstWord: Map<string, { needle: string; command: Command }[]>;
  /** The lengths of those stems, longest first: the only word starts worth looking up. */
  stemLengths: number[];
}

const indexes = new WeakMap<readonly Command[], CommandIndex>();

function indexOf(commands: readonly Command[]): CommandIndex {
  let index = indexes.get(commands);
  if (!index) {
    index = { exact: new Map(), containsByFirstWord: new Map(), stemLengths: [] };
    for (const command of commands) {
      for (const phrase of command.phrases.map(normalizePhrase).filter(Boolean)) {
        if (command.match === 'exact') {
          if (!index.exact.has(phrase)) index.exact.set(phrase, command); // the first command listed wins, as before
          continue;
        }
        // A prefix phrase ("amenaz*") is found by the start of its first word.
        const first = phrase.split(' ')[0]!;
        if (first.endsWith('*') && !index.stemLengths.includes(first.length - 1)) index.stemLengths.push(first.length - 1);
        index.containsByFirstWord.set(first, [...(index.containsByFirstWord.get(first) ?? []), { needle: phraseNeedle(phrase), command }]);
      }
    }
    index.stemLengths.sort((a, b) => b - a);
    indexes.set(commands, index);
  }
  return index;
}

/** Keeps a trailing "*" (a word prefix, see phraseNeedle) through normalization. */
function normalizePhrase(phrase: string): string {
  const prefix = phrase.trim().endsWith('*');
  const words = normalize(phrase);
  return prefix && words ? `${words}*` : words;
}

/** Emergency-style "contains" commands win: a message that mentions danger must reach help even when it also says "menu". */
export function matchCommand(text: string, catalog: Pick<Catalog, 'commands'>): Command | undefined {
  const normalized = normalize(text).replace(/^\/+/, '');
  if (!normalized) return undefined;
  const index = indexOf(catalog.commands);
  const padded = ` ${normalized} `;
  for (const word of normalized.split(' ')) {
    for (const { needle, command } of index.containsByFirstWord.get(word) ?? []) if (padded.includes(needle)) return command;
    for (const length of index.stemLengths) {
      if (length > word.length) continue;
      for (const { needle, command } of index.containsByFirstWord.get(`${word.slice(0, length)}*`) ?? []) if (padded.includes(needle)) return command;
    }
  }
  return index.exact.get(normalized);
}
