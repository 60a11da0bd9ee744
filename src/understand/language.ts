// Guesses the language of a message from marker words listed in content/languages.yaml.
// It answers only when one language clearly wins; otherwise the caller keeps what it knew.
import type { Catalog } from '../content/catalog.js';
import type { Language } from '../model/message.js';
import { normalize } from './normalize.js';

const markerIndex = new WeakMap<Catalog['languageMarkers'], Map<string, Language[]>>();

function indexOf(markers: Catalog['languageMarkers']): Map<string, Language[]> {
  let index = markerIndex.get(markers);
  if (!index) {
    index = new Map();
    for (const [lang, { markers: words }] of Object.entries(markers) as [Language, { markers: string[] }][]) {
      for (const word of words) {
        const key = normalize(word);
        index.set(key, [...(index.get(key) ?? []), lang]);
      }
    }
    markerIndex.set(markers, index);
  }
  return index;
}

export function detectLanguage(text: string, markers: Catalog['languageMarkers']): Language | undefined {
  const index = indexOf(markers);
  const words = normalize(text).split(' ');
  const scores = new Map<Language, number>();
  // Single words and pairs, so markers like "sak pase" or "por favor" count too.
  for (let i = 0; i < words.length; i++) {
    for (const candidate of [words[i]!, `${words[i]} ${words[i + 1] ?? ''}`.trim()]) {
      for (const lang of index.get(candidate) ?? []) scores.set(lang, (scores.get(lang) ?? 0) + 1);
    }
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || (second && second[1] === best[1])) return undefined;
  return best[0];
}
