// Finds which offered choice a person meant: its id (buttons), its number (numbered menus),
// or its label in any language, ignoring case, accents and emoji.
import { normalize } from './normalize.js';

export interface OfferedChoice {
  id: string;
  /** The label in every language, so "English" or "Inglés" both pick the same entry. */
  labels: readonly string[];
}

export function pickChoice(input: { text?: string; choice?: string }, offered: readonly OfferedChoice[]): OfferedChoice | undefined {
  if (!offered.length) return undefined;
  if (input.choice !== undefined) {
    const byId = offered.find((c) => c.id === input.choice);
    if (byId) return byId;
  }
  const raw = input.text ?? input.choice;
  if (raw === undefined) return undefined;
  const typed = normalize(raw);
  if (!typed) return undefined;
  if (/^\d{1,2}$/.test(typed)) return offered[Number(typed) - 1];
  return labelIndex(offered).get(typed);
}

// A menu's choices are the same every turn (the engine keeps one list per menu): each list is
// indexed by id and normalized label once, the first choice listed winning, as a scan would.
const labelIndexes = new WeakMap<readonly OfferedChoice[], Map<string, OfferedChoice>>();
function labelIndex(offered: readonly OfferedChoice[]): Map<string, OfferedChoice> {
  let index = labelIndexes.get(offered);
  if (!index) {
    index = new Map();
    for (const choice of offered) {
      for (const key of [choice.id, ...choice.labels.map(normalize)]) if (key && !index.has(key)) index.set(key, choice);
    }
    labelIndexes.set(offered, index);
  }
  return index;
}
