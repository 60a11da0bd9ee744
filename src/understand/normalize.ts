// One normal form for everything people type: lower case, no accents, no punctuation or emoji,
// letters repeated for emphasis squeezed ("holaaa" → "hola"), single spaces.
const ALREADY_NORMAL = /^[a-z0-9]+(?: [a-z0-9]+)*$/;
const EMPHASIS = /([a-z])\1\1/;

export function normalize(text: string): string {
  // Most messages are a number or a few plain words ("2", "hola", "menu"): already normal.
  if (ALREADY_NORMAL.test(text) && !EMPHASIS.test(text)) return text;
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/]+/gu, ' ')
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .trim()
    .replace(/\s+/g, ' ');
}

/**
 * What to search for in ` ${normalizedText} ` (padded with a space on each side) so that the
 * phrase matches whole words only. A phrase ending in "*" matches any word that starts with it
 * ("amenaz*" finds "amenazan" and "amenazando").
 */
export function phraseNeedle(phrase: string): string {
  return phrase.endsWith('*') ? ` ${phrase.slice(0, -1)}` : ` ${phrase} `;
}

/** True when the phrase occurs in the normalized text as whole words (see phraseNeedle). */
export function containsPhrase(normalizedText: string, phrase: string): boolean {
  return ` ${normalizedText} `.includes(phraseNeedle(phrase));
}
