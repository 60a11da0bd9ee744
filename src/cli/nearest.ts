// npm run --silent nearest -- --lat <n> --lon <n> [--place <text>] [--service <id>]
//   [--group transit|returned|resident] [--age <n>] [--now <ISO time>] [--limit <n>] [--max-km <n>] [--json]
// The nearest open centers that offer a service and accept the person, nearest first.
import { parseArgs } from 'node:util';
import { ServiceId } from '../content/service-ids.js';
import { Group } from '../content/schema.js';
import { buildIndex, nearestCenters } from '../geo/nearest.js';
import { isOpen, openingAt } from '../geo/opening.js';
import { projectRoot } from '../paths.js';
import { loadCatalogOrThrow } from '../runtime.js';
import { matchPlace } from '../understand/place-match.js';
import { argumentsWithNegativeNumbers, fail, parseNow, usage } from './options.js';

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) usage(`${name} must be a number`);
  return n;
}

try {
  const { values } = parseArgs({
    args: argumentsWithNegativeNumbers(),
    options: {
      lat: { type: 'string' }, lon: { type: 'string' }, place: { type: 'string' }, service: { type: 'string' },
      group: { type: 'string' }, age: { type: 'string' }, now: { type: 'string' }, limit: { type: 'string' },
      'max-km': { type: 'string' }, json: { type: 'boolean', default: false }, dir: { type: 'string', default: projectRoot },
    },
  });
  const catalog = loadCatalogOrThrow(values.dir!);
  let lat = number(values.lat, '--lat');
  let lon = number(values.lon, '--lon');
  if (values.place !== undefined) {
    const match = matchPlace(values.place, catalog.places);
    if (match.kind === 'none') usage(`--place: no place in Honduras matches "${values.place}"`);
    if (match.kind === 'ambiguous') usage(`--place "${values.place}" could be: ${match.candidates.map((c) => `${c.label} [${c.id}]`).join(', ')}`);
    ({ lat, lon } = match.place);
  }
  if (lat === undefined || lon === undefined) usage('give --lat and --lon, or --place');
  const service = values.service === undefined ? undefined : ServiceId.safeParse(values.service);
  if (service && !service.success) usage(service.error.issues[0]!.message);
  const group = values.group === undefined ? undefined : Group.safeParse(values.group);
  if (group && !group.success) usage('--group must be transit, returned or resident');
  const age = number(values.age, '--age');
  const now = (parseNow(values.now) ?? (() => new Date()))();

  const found = nearestCenters(buildIndex(catalog.centers), {
    lat,
    lon,
    service: service?.data,
    person: { group: group?.data, ages: age === undefined ? undefined : [age, age] },
    limit: number(values.limit, '--limit') ?? 5,
    maxKm: number(values['max-km'], '--max-km'),
  });
  const results = found.map(({ center, km }) => ({
    id: center.id,
    name: center.name,
    km: Math.round(km * 10) / 10,
    services: center.services,
    openNow: isOpen(openingAt(center.hours, now)),
  }));
  if (values.json) console.log(JSON.stringify(results));
  else for (const r of results) console.log(`${String(r.km).padStart(7)} km  ${r.name} [${r.id}]  open now: ${r.openNow ?? 'not known'}`);
} catch (error) {
  fail(error);
}
