// Recognizes the global commands (menu, back, language, emergency, help, delete my data) in any language.
import type { Catalog, Command } from '../content/catalog.js';
import { normalize, phraseNeedle } from './normalize.js';

interface Prepared {
  command: Command;
  /** Normalized phrases (exact commands) or whole-word needles (contains commands). */
  phrases: string[];
}

const normalizedPhrases = new WeakMap<readonly Command[], Prepared[]>();

function prepared(commands: readonly Command[]) {
  let list = normalizedPhrases.get(commands);
  if (!list) {
    // Emergency-style "contains" commands are checked first: a message that mentions danger
    // must reach the emergency answer even when it also says "menu".
    list = [...commands]
      .sort((a, b) => Number(b.match === 'contains') - Number(a.match === 'contains'))
      .map((command) => {
        const phrases = command.phrases.map(normalizePhrase).filter(Boolean);
        return { command, phrases: command.match === 'contains' ? phrases.map(phraseNeedle) : phrases };
      });
    normalizedPhrases.set(commands, list);
  }
  return list;
}

/** Keeps a trailing "*" (a word prefix, see phraseNeedle) through normalization. */
function normalizePhrase(phrase: string): string {
  const prefix = phrase.trim().endsWith('*');
  const words = normalize(phrase);
  return prefix && words ? `${words}*` : words;
}

export function matchCommand(text: string, catalog: Pick<Catalog, 'commands'>): Command | undefined {
  const normalized = normalize(text).replace(/^\/+/, '');
  if (!normalized) return undefined;
  const padded = ` ${normalized} `;
  for (const { command, phrases } of prepared(catalog.commands)) {
    const hit = command.match === 'contains' ? phrases.some((needle) => padded.includes(needle)) : phrases.includes(normalized);
    if (hit) return command;
  }
  return undefined;
}
