// Recognizes the global commands (menu, back, language, emergency, help, delete my data) in any language.
import type { Catalog, Command } from '../content/catalog.js';
import { containsPhrase, normalize } from './normalize.js';

const normalizedPhrases = new WeakMap<readonly Command[], { command: Command; phrases: string[] }[]>();

function prepared(commands: readonly Command[]) {
  let list = normalizedPhrases.get(commands);
  if (!list) {
    // Emergency-style "contains" commands are checked first: a message that mentions danger
    // must reach the emergency answer even when it also says "menu".
    list = [...commands]
      .sort((a, b) => Number(b.match === 'contains') - Number(a.match === 'contains'))
      .map((command) => ({ command, phrases: command.phrases.map(normalizePhrase).filter(Boolean) }));
    normalizedPhrases.set(commands, list);
  }
  return list;
}

/** Keeps a trailing "*" (a word prefix, see containsPhrase) through normalization. */
function normalizePhrase(phrase: string): string {
  const prefix = phrase.trim().endsWith('*');
  const words = normalize(phrase);
  return prefix && words ? `${words}*` : words;
}

export function matchCommand(text: string, catalog: Pick<Catalog, 'commands'>): Command | undefined {
  const normalized = normalize(text).replace(/^\/+/, '');
  if (!normalized) return undefined;
  const padded = ` ${normalized}`;
  for (const { command, phrases } of prepared(catalog.commands)) {
    const hit =
      command.match === 'contains'
        ? phrases.some((p) => containsPhrase(normalized, p, padded))
        : phrases.some((p) => p === normalized);
    if (hit) return command;
  }
  return undefined;
}
