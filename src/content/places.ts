// The gazetteer of Honduras: departments, cities and towns with their coordinates
// (content/places/honduras.generated.yaml, made by `npm run content:places` from GeoNames data),
// plus the names people really type for them (content/places/aliases.yaml, kept by staff).
// Every problem is reported with file and line; a gazetteer with errors is never returned.
import { join } from 'node:path';
import { z } from 'zod';
import { normalize } from '../understand/normalize.js';
import type { Problem } from './problems.js';
import { readValidated, type YamlFile } from './yaml-file.js';

export const PLACES_DIR = join('content', 'places');
export const GENERATED_FILE = 'honduras.generated.yaml';
export const ALIASES_FILE = 'aliases.yaml';

/** A box around Honduras, Bay Islands and Swan Islands included: anything outside is a typo. */
export const HONDURAS_BOUNDS = { lat: { min: 12.9, max: 17.5 }, lon: { min: -89.4, max: -83.1 } } as const;

export const PlaceId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be an id: lower-case letters without accents, digits and dashes, like "san-pedro-sula"');

const Name = z.string().trim().min(1, 'must not be empty');

export const Department = z.strictObject({
  id: PlaceId,
  name: Name,
  lat: z.number(),
  lon: z.number(),
});
export type Department = z.infer<typeof Department>;

export const Place = z.strictObject({
  id: PlaceId,
  name: Name,
  /** The id of its department; absent when the data source does not say. */
  department: PlaceId.optional(),
  /** The municipality (GeoNames admin2 name), when the data source says. */
  municipality: Name.optional(),
  lat: z.number(),
  lon: z.number(),
  population: z.number().int().nonnegative().optional(),
});
export type Place = z.infer<typeof Place>;

export const PlacesFile = z.strictObject({
  version: z.literal(1),
  source: z.strictObject({ package: Name, licence: Name, attribution: Name }),
  departments: z.array(Department),
  places: z.array(Place),
});
export type PlacesFile = z.infer<typeof PlacesFile>;

export const AliasesFile = z.strictObject({
  version: z.literal(1),
  /** What people type → the id of a place or department. */
  aliases: z.record(z.string(), PlaceId),
});
export type AliasesFile = z.infer<typeof AliasesFile>;

export interface Gazetteer {
  departments: Department[];
  places: Place[];
  /** Normalized alias (see understand/normalize.ts) → id of a place or department. */
  aliases: ReadonlyMap<string, string>;
}

export function loadPlaces(root: string): { places?: Gazetteer; problems: Problem[] } {
  const problems: Problem[] = [];
  const read = <T>(name: string, schema: z.ZodType<T>) => readValidated(root, join(root, PLACES_DIR, name), schema, problems);

  const generated = read(GENERATED_FILE, PlacesFile);
  const aliasFile = read(ALIASES_FILE, AliasesFile);
  if (!generated.value || !generated.yaml) return { problems };

  const data = generated.value;
  const gen = generated.yaml;
  const error = (yaml: YamlFile, path: PropertyKey[], message: string) =>
    problems.push({ file: yaml.file, line: yaml.lineOf(path), message, severity: 'error' });

  // Ids: one namespace for departments and places, so an alias always means one thing.
  const ids = new Map<string, PropertyKey[]>();
  const entries = [
    ...data.departments.map((d, i) => ({ kind: 'department', item: d, path: ['departments', i] as PropertyKey[] })),
    ...data.places.map((p, i) => ({ kind: 'place', item: p, path: ['places', i] as PropertyKey[] })),
  ];
  for (const { item, path } of entries) {
    const first = ids.get(item.id);
    if (first) {
      error(gen, [...path, 'id'], `the id "${item.id}" is used twice (also on line ${gen.lineOf([...first, 'id'])}): every place and department needs an id of its own`);
    } else {
      ids.set(item.id, path);
    }
  }

  const departmentIds = new Set(data.departments.map((d) => d.id));
  data.places.forEach((place, i) => {
    if (place.department !== undefined && !departmentIds.has(place.department)) {
      error(gen, ['places', i, 'department'], `the place "${place.name}" is in the department "${place.department}", which is not a department in ${GENERATED_FILE}`);
    }
  });

  const { lat, lon } = HONDURAS_BOUNDS;
  for (const { kind, item, path } of entries) {
    if (item.lat < lat.min || item.lat > lat.max || item.lon < lon.min || item.lon > lon.max) {
      error(
        gen,
        [...path, 'lat'],
        `the ${kind} "${item.name}" is at latitude ${item.lat}, longitude ${item.lon}, which is outside Honduras ` +
          `(latitude ${lat.min} to ${lat.max}, longitude ${lon.min} to ${lon.max}): check the coordinates`,
      );
    }
  }

  const aliases = new Map<string, string>();
  if (aliasFile.value && aliasFile.yaml) {
    const file = aliasFile.yaml;
    const firstKey = new Map<string, string>();
    for (const [alias, id] of Object.entries(aliasFile.value.aliases)) {
      const path = ['aliases', alias];
      const key = normalize(alias);
      if (!key) {
        error(file, path, `the alias "${alias}" has no letters or digits: write the name people type`);
        continue;
      }
      if (!ids.has(id)) {
        error(file, path, `the alias "${alias}" points at "${id}", which is not a place in ${GENERATED_FILE} (nor a department): use an id from that file`);
        continue;
      }
      const earlier = firstKey.get(key);
      if (earlier !== undefined && aliases.get(key) !== id) {
        error(
          file,
          path,
          `the alias "${alias}" is the same name as "${earlier}" on line ${file.lineOf(['aliases', earlier])} ` +
            `(accents, capitals and punctuation do not count) but points at "${id}" instead of "${aliases.get(key)}": keep only one`,
        );
        continue;
      }
      if (earlier === undefined) firstKey.set(key, alias);
      aliases.set(key, id);
    }
  }

  if (problems.some((p) => p.severity === 'error') || !aliasFile.value) return { problems };
  return { places: Object.freeze({ departments: data.departments, places: data.places, aliases }), problems };
}
