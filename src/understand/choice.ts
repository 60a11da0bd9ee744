// Finds which offered choice a person meant: its id (buttons), its number (numbered menus),
// or its label in any language, ignoring case, accents and emoji.
import { normalize } from './normalize.js';

export interface OfferedChoice {
  id: string;
  /** The label in every language, so "English" or "Inglés" both pick the same entry. */
  labels: readonly string[];
}

export function pickChoice(input: { text?: string; choice?: string }, offered: readonly OfferedChoice[]): OfferedChoice | undefined {
  if (input.choice !== undefined) {
    const byId = offered.find((c) => c.id === input.choice);
    if (byId) return byId;
  }
  const raw = input.text ?? input.choice;
  if (raw === undefined) return undefined;
  const typed = normalize(raw);
  if (!typed) return undefined;
  if (/^\d{1,2}$/.test(typed)) return offered[Number(typed) - 1];
  return offered.find((c) => c.id === typed || c.labels.some((label) => normalizedLabel(label) === typed));
}

// Menu labels are few and repeat every turn: normalize each once.
const normalizedLabels = new Map<string, string>();
function normalizedLabel(label: string): string {
  let normalized = normalizedLabels.get(label);
  if (normalized === undefined) {
    if (normalizedLabels.size > 10_000) normalizedLabels.clear();
    normalizedLabels.set(label, (normalized = normalize(label)));
  }
  return normalized;
}
