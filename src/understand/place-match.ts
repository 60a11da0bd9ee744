// Finds the place a person names — "Tegus", "san pedro", "Danli", "choluteca centro", or a town
// inside a longer message — in the gazetteer, and says when a name fits several places.
import Fuse from 'fuse.js';
import type { Gazetteer } from '../content/places.js';
import { normalize } from './normalize.js';

export interface NamedPoint {
  id: string;
  /** "La Esperanza (Intibucá)": the department is added so same-named towns can be told apart. */
  label: string;
  lat: number;
  lon: number;
}

export type PlaceMatch = { kind: 'found'; place: NamedPoint } | { kind: 'ambiguous'; candidates: NamedPoint[] } | { kind: 'none' };

interface PlaceIndex {
  points: Map<string, NamedPoint>;
  /**
   * Names by their first word, each padded for a whole-word search and ranked longest first over
   * all names, so "san pedro sula" wins over "san pedro" wherever each occurs in the text.
   */
  namesByFirstWord: Map<string, { padded: string; rank: number; ids: string[] }[]>;
  fuzzy: Fuse<{ name: string; ids: string[] }>;
}

const indexes = new WeakMap<Gazetteer, PlaceIndex>();
/** Fuse scores run from 0 (exact) to 1; above this a "match" is more likely a different word. */
const MAX_FUZZY_SCORE = 0.25;

function indexOf(gazetteer: Gazetteer): PlaceIndex {
  let index = indexes.get(gazetteer);
  if (index) return index;
  const departmentName = new Map(gazetteer.departments.map((d) => [d.id, d.name]));
  const points = new Map<string, NamedPoint>();
  const byName = new Map<string, string[]>();
  const add = (name: string, id: string) => {
    const key = normalize(name);
    if (key) byName.set(key, [...new Set([...(byName.get(key) ?? []), id])]);
  };
  for (const d of gazetteer.departments) points.set(d.id, { id: d.id, label: `${d.name} (departamento)`, lat: d.lat, lon: d.lon });
  for (const p of gazetteer.places) {
    const department = p.department && departmentName.get(p.department);
    points.set(p.id, { id: p.id, label: department ? `${p.name} (${department})` : p.name, lat: p.lat, lon: p.lon });
  }
  // Towns first, departments only where no town has the name: "Yoro" means the town.
  for (const p of gazetteer.places) add(p.name, p.id);
  for (const d of gazetteer.departments) if (!byName.has(normalize(d.name))) add(d.name, d.id);
  // An alias is staff's explicit choice and replaces whatever the name meant.
  for (const [alias, id] of gazetteer.aliases) byName.set(alias, [id]);

  const names = [...byName].sort((a, b) => b[0].length - a[0].length);
  const namesByFirstWord = new Map<string, { padded: string; rank: number; ids: string[] }[]>();
  names.forEach(([name, ids], rank) => {
    const first = name.split(' ')[0]!;
    namesByFirstWord.set(first, [...(namesByFirstWord.get(first) ?? []), { padded: ` ${name} `, rank, ids }]);
  });
  const fuzzy = new Fuse(
    names.map(([name, ids]) => ({ name, ids })),
    { keys: ['name'], includeScore: true, threshold: 0.3, ignoreLocation: true, minMatchCharLength: 3 },
  );
  index = { points, namesByFirstWord, fuzzy };
  indexes.set(gazetteer, index);
  return index;
}

/**
 * `fuzzy: false` when the text is a request that may or may not name a place ("tengo hambre en
 * Danlí"): only a place written out counts there, and the typo search is skipped.
 */
export function matchPlace(text: string, gazetteer: Gazetteer, { fuzzy = true } = {}): PlaceMatch {
  const typed = normalize(text);
  if (!typed) return { kind: 'none' };
  const index = indexOf(gazetteer);
  const resolve = (ids: string[]): PlaceMatch => {
    const candidates = ids.map((id) => index.points.get(id)).filter((p): p is NamedPoint => p !== undefined);
    if (candidates.length === 1) return { kind: 'found', place: candidates[0]! };
    return candidates.length ? { kind: 'ambiguous', candidates } : { kind: 'none' };
  };

  const padded = ` ${typed} `;
  let written: { rank: number; ids: string[] } | undefined;
  for (const word of new Set(typed.split(' '))) {
    for (const name of index.namesByFirstWord.get(word) ?? []) {
      if ((!written || name.rank < written.rank) && padded.includes(name.padded)) written = name;
    }
  }
  if (written) return resolve(written.ids);

  // Typos ("san pedro zula", "tegucijalpa") only for short answers: in a long message a loose
  // match would find a town in any sentence.
  if (!fuzzy || typed.length < 5 || typed.split(' ').length > 4) return { kind: 'none' };
  const [best, second] = index.fuzzy.search(typed, { limit: 3 });
  if (!best || best.score! > MAX_FUZZY_SCORE) return { kind: 'none' };
  if (second && second.score! - best.score! < 0.05 && second.item.ids.join() !== best.item.ids.join()) {
    return resolve([...new Set([...best.item.ids, ...second.item.ids])]);
  }
  return resolve(best.item.ids);
}

/** The point for a place id, e.g. one the person picked among ambiguous candidates. */
export function placeById(id: string, gazetteer: Gazetteer): NamedPoint | undefined {
  return indexOf(gazetteer).points.get(id);
}
