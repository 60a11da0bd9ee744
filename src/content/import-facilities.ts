// Turns a list of health facilities (a SESAL registry saved as CSV, an OpenStreetMap export as
// GeoJSON) into center files. Pure: text in, center objects and rejections out. Every row is
// checked, and every rejection says, in words staff can act on, which row and what to fix.
// Used by `npm run content:import` (src/cli/content-import.ts).
import { parse as parseCsv } from 'csv-parse/sync';
import { Document, isCollection, Scalar } from 'yaml';
import { haversineKm } from '../geo/distance.js';
import { normalize } from '../understand/normalize.js';
import { CENTER_KINDS, type CenterKind } from './center-kinds.js';
import { CenterFile, SERVICE_IDS, type ServiceId } from './facts-schema.js';
import { HONDURAS_BOUNDS } from './places.js';
import { GROUPS } from './schema.js';

export type FacilityFormat = 'csv' | 'geojson';

/** The columns the import understands. */
export const COLUMNS = ['name', 'kind', 'lat', 'lon', 'services', 'groups', 'address', 'operator', 'municipality', 'department', 'status', 'phone', 'contact'] as const;
type Column = (typeof COLUMNS)[number];

/** Other names staff or registries use for the same columns (compared without accents or capitals). */
const COLUMN_ALIASES: Readonly<Record<string, Column>> = {
  latitude: 'lat', latitud: 'lat',
  longitude: 'lon', lng: 'lon', long: 'lon', longitud: 'lon',
  nombre: 'name', tipo: 'kind', servicios: 'services', grupos: 'groups', direccion: 'address',
  operador: 'operator', municipio: 'municipality', departamento: 'department', estado: 'status',
  telefono: 'phone', contacto: 'contact',
};

/** One facility as read from the file, before any checking. */
export interface FacilityRow {
  /** "row" for CSV (numbered as in a spreadsheet: the header is row 1), "feature" for GeoJSON (from 1). */
  label: 'row' | 'feature';
  number: number;
  /** Values by column; blank values are left out. */
  values: Partial<Record<Column, string>>;
  /** A problem found while reading the row itself (wrong number of fields, not a point). */
  problem?: string;
}

export interface ParsedFacilities {
  format: FacilityFormat;
  rows: FacilityRow[];
  /** CSV columns the import does not use. */
  ignoredColumns: string[];
}

/** The file cannot be read as a list of facilities at all (not CSV or GeoJSON, bad JSON, no rows). */
export class ImportInputError extends Error {}

export interface Rejection {
  row: number;
  /** The whole sentence, starting with where: `row 7: "lat" is missing`. */
  reason: string;
}

/** A center already in the content, so an import neither reuses its id nor repeats it. */
export interface ExistingCenter {
  id: string;
  name?: string;
  lat?: number;
  lon?: number;
}

export interface ImportOptions {
  /** The citation every fact gets, followed by the row: "SESAL, registro de establecimientos 2025". */
  source: string;
  /** The role of who imports (becomes reviewed.by). */
  by: string;
  /** The kind for rows without a kind column (and for OpenStreetMap tags, which say no kind). */
  kind?: CenterKind;
  /** Today, YYYY-MM-DD. */
  today: string;
  existing?: readonly ExistingCenter[];
}

export interface ImportedCenter {
  row: number;
  center: CenterFile;
}

export interface ImportResult {
  centers: ImportedCenter[];
  rejected: Rejection[];
}

/** Days until an imported center is due for its first review by a person. */
export const REVIEW_AFTER_DAYS = 180;
/** Two rows with the same name closer than this are the same facility. */
const SAME_PLACE_KM = 1;
const PRECISION_KM = 0.1;
const MAX_ID_LENGTH = 60;

// ---------------------------------------------------------------------------------------------
// Reading the file

/** Decodes a file's bytes: UTF-8 when it is, else Windows-1252 (what Excel writes by default). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    throw new ImportInputError('is a spreadsheet (Excel or LibreOffice), not a CSV file: save it as "CSV UTF-8" and import that');
  }
  if (bytes.includes(0)) throw new ImportInputError('is not a text file: give a .csv or .geojson file');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** CSV or GeoJSON, from the file name, else from the text itself. */
export function detectFormat(fileName: string, text: string): FacilityFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) return 'geojson';
  if (lower.endsWith('.csv') || lower.endsWith('.txt') || lower.endsWith('.tsv')) return 'csv';
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) return 'geojson';
  const firstLine = start.split(/\r?\n/, 1)[0] ?? '';
  if (/[,;\t]/.test(firstLine) && /name|nombre/i.test(firstLine)) return 'csv';
  throw new ImportInputError('is neither CSV nor GeoJSON: give a .csv file with a header row, or a .geojson file');
}

export function parseFacilities(text: string, format: FacilityFormat): ParsedFacilities {
  const parsed = format === 'csv' ? parseCsvFacilities(text) : parseGeoJsonFacilities(text);
  if (!parsed.rows.length) throw new ImportInputError('has no facilities in it');
  return parsed;
}

function columnOf(header: string): Column | undefined {
  const key = normalize(header).replace(/ /g, '_');
  if ((COLUMNS as readonly string[]).includes(key)) return key as Column;
  return COLUMN_ALIASES[key];
}

/** The separator of the header line: a comma, or the ; or tab that spreadsheets in Spanish write. */
function delimiterOf(text: string): string {
  const header = (text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const count = (c: string) => header.split(c).length - 1;
  return [',', ';', '\t'].reduce((best, c) => (count(c) > count(best) ? c : best), ',');
}

export function parseCsvFacilities(text: string): ParsedFacilities {
  let records: string[][];
  try {
    records = parseCsv(text, { bom: true, delimiter: delimiterOf(text), relax_column_count: true });
  } catch (error) {
    const message = (error as Error).message.replace(/^[A-Za-z ]+: /, '');
    throw new ImportInputError(`is not valid CSV: ${message} (a value with a comma or a line break needs "quotes" around it)`);
  }
  const [header, ...data] = records;
  if (!header || header.every((h) => !h.trim())) throw new ImportInputError('is empty: the first row must name the columns (name, kind, lat, lon, …)');

  const columns: (Column | undefined)[] = [];
  const ignoredColumns: string[] = [];
  const seen = new Map<Column, string>();
  for (const raw of header) {
    const column = columnOf(raw);
    columns.push(column);
    if (!column) {
      if (raw.trim()) ignoredColumns.push(raw.trim());
      continue;
    }
    const before = seen.get(column);
    if (before !== undefined) throw new ImportInputError(`has the column "${column}" twice ("${before}" and "${raw.trim()}"): keep one`);
    seen.set(column, raw.trim());
  }
  const missing = (['name', 'lat', 'lon'] as const).filter((c) => !seen.has(c));
  if (missing.length) {
    throw new ImportInputError(
      `has no ${missing.map((c) => `"${c}"`).join(', ')} column: the first row must name the columns, with at least name, lat and lon ` +
        `(columns found: ${header.map((h) => h.trim()).filter(Boolean).join(', ')})`,
    );
  }

  const rows: FacilityRow[] = [];
  data.forEach((record, i) => {
    if (record.every((value) => !value.trim())) return; // an empty line
    const row: FacilityRow = { label: 'row', number: i + 2, values: {} };
    if (record.length !== header.length) {
      row.problem =
        `has ${record.length} values but the header has ${header.length} columns: ` +
        `a value with a comma in it needs "quotes" around it`;
    }
    record.forEach((value, c) => {
      const column = columns[c];
      const trimmed = value.trim();
      if (column && trimmed) row.values[column] = trimmed;
    });
    rows.push(row);
  });
  return { format: 'csv', rows, ignoredColumns };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(';');
  return undefined;
}

export function parseGeoJsonFacilities(source: string): ParsedFacilities {
  let data: unknown;
  try {
    data = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ImportInputError(`is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(data) || data.type !== 'FeatureCollection' || !Array.isArray(data.features)) {
    throw new ImportInputError('is not a GeoJSON FeatureCollection: export the facilities as GeoJSON (a "FeatureCollection" of points)');
  }
  const rows = data.features.map((feature: unknown, i): FacilityRow => {
    const row: FacilityRow = { label: 'feature', number: i + 1, values: {} };
    if (!isObject(feature) || feature.type !== 'Feature') {
      row.problem = 'is not a GeoJSON "Feature"';
      return row;
    }
    // Some OpenStreetMap exports keep the tags under properties.tags.
    const props = isObject(feature.properties) ? { ...(isObject(feature.properties.tags) ? feature.properties.tags : {}), ...feature.properties } : {};
    const get = (...keys: string[]) => keys.map((key) => text(props[key])).find((v) => v !== undefined);
    const set = (column: Column, value: string | undefined) => {
      if (value !== undefined) row.values[column] = value;
    };
    set('name', get('name', 'name:es', 'official_name'));
    set('kind', get('kind'));
    set('services', get('services'));
    set('groups', get('groups'));
    set('operator', get('operator'));
    set('status', get('status'));
    set('phone', get('phone', 'contact:phone'));
    set('contact', get('contact'));
    set('municipality', get('municipality', 'addr:city'));
    set('department', get('department', 'addr:state', 'addr:province'));
    const street = [get('addr:street'), get('addr:housenumber')].filter(Boolean).join(' ');
    set('address', get('address') ?? ([street, get('addr:city')].filter(Boolean).join(', ') || undefined));

    const geometry = feature.geometry;
    if (!isObject(geometry)) {
      row.problem = 'has no geometry: it needs a point with its coordinates';
    } else if (geometry.type !== 'Point') {
      row.problem = `is a ${String(geometry.type)}, not a Point: export each facility as one point (in QGIS or JOSM, use its centroid)`;
    } else {
      const [lon, lat] = Array.isArray(geometry.coordinates) ? (geometry.coordinates as unknown[]) : [];
      if (typeof lat !== 'number' || typeof lon !== 'number') row.problem = 'has a point without numeric coordinates';
      else {
        row.values.lat = String(lat);
        row.values.lon = String(lon);
      }
    }
    return row;
  });
  return { format: 'geojson', rows, ignoredColumns: [] };
}

// ---------------------------------------------------------------------------------------------
// Checking rows and making center files

/** Lower-case words without accents joined by -: "UAPS El Carrizal" → "uaps-el-carrizal". */
export function slugify(value: string): string {
  const slug = value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_ID_LENGTH) return slug;
  const cut = slug.slice(0, MAX_ID_LENGTH + 1);
  return cut.slice(0, cut.lastIndexOf('-') > 0 ? cut.lastIndexOf('-') : MAX_ID_LENGTH).replace(/-+$/, '');
}

/** The id a facility asks for: its name, then its municipality unless the name already says it. */
export function baseId(name: string, municipality?: string): string {
  const fromName = slugify(name) || 'center';
  const place = municipality ? slugify(municipality) : '';
  if (!place || `-${fromName}-`.includes(`-${place}-`)) return fromName;
  return slugify(`${fromName}-${place}`);
}

export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(time)) throw new Error(`not a date: ${date}`);
  return new Date(time + days * 86_400_000).toISOString().slice(0, 10);
}

const listOf = (value: string) =>
  value
    .split(/[;|]/)
    .map((v) => v.trim())
    .filter(Boolean);

const quoted = (values: string[]) => values.map((v) => `"${v}"`).join(', ');

function parseKind(value: string): CenterKind | undefined {
  const key = normalize(value).replace(/[\s/]+/g, '_');
  if (key === 'uaps' || key === 'cis' || key === 'cis_uaps') return 'uaps_cis';
  return (CENTER_KINDS as readonly string[]).includes(key) ? (key as CenterKind) : undefined;
}

function parseStatus(value: string | undefined): 'open' | 'closed' | undefined | false {
  if (value === undefined) return undefined;
  const key = normalize(value);
  if (['open', 'abierto', 'abierta', 'activo', 'activa'].includes(key)) return 'open';
  if (['closed', 'cerrado', 'cerrada', 'inactivo', 'inactiva'].includes(key)) return 'closed';
  return false;
}

/** Decimal degrees, with a point or a comma as the decimal separator ("14,08"). */
function parseDegrees(value: string): number | undefined {
  const v = value.replace(/\s/g, '');
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(v)) return undefined;
  return Number(v.replace(',', '.'));
}

const inHonduras = (lat: number, lon: number) =>
  lat >= HONDURAS_BOUNDS.lat.min && lat <= HONDURAS_BOUNDS.lat.max && lon >= HONDURAS_BOUNDS.lon.min && lon <= HONDURAS_BOUNDS.lon.max;

const round5 = (n: number) => Math.round(n * 1e5) / 1e5;

interface Checked {
  center: CenterFile;
  nameKey: string;
  municipality?: string;
}

/** One row → a center without its final id (problems instead when it cannot be one). */
function checkRow(row: FacilityRow, options: ImportOptions): { checked?: Checked; problems: string[] } {
  const problems: string[] = [];
  if (row.problem) problems.push(row.problem);
  const v = row.values;
  const field = row.label === 'row' ? 'column' : 'property';

  const name = v.name?.replace(/\s+/g, ' ');
  if (!name) problems.push('"name" is missing');

  let kind: CenterKind | undefined;
  if (v.kind !== undefined) {
    kind = parseKind(v.kind);
    if (!kind) problems.push(`"kind" must be one of ${CENTER_KINDS.join(', ')} (it says "${v.kind}")`);
  } else if (options.kind) {
    kind = options.kind;
  } else {
    problems.push(`"kind" is missing: add a kind ${field}, or run the import with --kind (one of ${CENTER_KINDS.join(', ')})`);
  }

  const degrees = (key: 'lat' | 'lon') => {
    const value = v[key];
    if (value === undefined) {
      if (!row.problem) problems.push(`"${key}" is missing`);
      return undefined;
    }
    const n = parseDegrees(value);
    if (n === undefined) problems.push(`"${key}" must be a number in decimal degrees, like ${key === 'lat' ? '14.0818' : '-87.2068'} (it says "${value}")`);
    return n;
  };
  const lat = degrees('lat');
  const lon = degrees('lon');
  if (lat !== undefined && lon !== undefined && !inHonduras(lat, lon)) {
    let hint = '';
    if (inHonduras(lon, lat)) hint = ': lat and lon seem swapped';
    else if (inHonduras(lat, -lon)) hint = ': longitudes in Honduras are negative (west), like -87.2';
    problems.push(`the coordinates ${lat}, ${lon} are outside Honduras${hint}`);
  }

  const services: ServiceId[] = [];
  if (v.services !== undefined) {
    const unknown: string[] = [];
    for (const item of listOf(v.services)) {
      const id = item.toLowerCase();
      if (!(SERVICE_IDS as readonly string[]).includes(id)) unknown.push(item);
      else if (!services.includes(id as ServiceId)) services.push(id as ServiceId);
    }
    if (unknown.length) {
      problems.push(`${unknown.length === 1 ? 'the service' : 'the services'} ${quoted(unknown)} ${unknown.length === 1 ? 'is' : 'are'} unknown; use: ${SERVICE_IDS.join(', ')}`);
    }
  }

  let groups: (typeof GROUPS)[number][] | undefined;
  if (v.groups !== undefined) {
    const unknown: string[] = [];
    groups = [];
    for (const item of listOf(v.groups)) {
      const id = item.toLowerCase();
      if (!(GROUPS as readonly string[]).includes(id)) unknown.push(item);
      else if (!groups.includes(id as (typeof GROUPS)[number])) groups.push(id as (typeof GROUPS)[number]);
    }
    if (unknown.length) problems.push(`${unknown.length === 1 ? 'the group' : 'the groups'} ${quoted(unknown)} ${unknown.length === 1 ? 'is' : 'are'} unknown; use: ${GROUPS.join(', ')}`);
    else if (!groups.length) problems.push(`"groups" is empty; use: ${GROUPS.join(', ')}`);
  } else if (kind && kind !== 'uaps_cis') {
    problems.push(
      `say who the center serves: add a "groups" ${field} with ${GROUPS.join(', ')} (separated by ;) — ` +
        `the import never guesses who a migrant center serves`,
    );
  }

  const status = parseStatus(v.status);
  if (status === false) problems.push(`"status" must be open or closed (it says "${v.status}")`);

  let operator = v.operator;
  if (operator === undefined && kind === 'uaps_cis') operator = 'Secretaría de Salud (SESAL)';
  else if (operator === undefined && kind) problems.push(`"operator" is missing: add an operator ${field} (who runs the center)`);

  if (problems.length || !name || !kind || lat === undefined || lon === undefined || !operator) return { problems };

  const cite = `${options.source}, ${row.label} ${row.number}`;
  const place = [v.municipality, v.department].filter((p): p is string => !!p && !normalize(v.address ?? '').includes(normalize(p)));
  const address = [v.address, ...place].filter(Boolean).join(', ') || undefined;
  const contact = [v.phone, v.contact].filter(Boolean).join(', ') || undefined;

  const candidate = {
    version: 1,
    id: baseId(name, v.municipality),
    kind,
    name,
    status: status || 'open',
    network: false,
    direct_care: kind !== 'osi',
    operator,
    serves: { groups: groups ?? [...GROUPS] },
    services,
    hours: 'unknown',
    location: { lat: round5(lat), lon: round5(lon), precision_km: PRECISION_KM },
    ...(address ? { address } : {}),
    ...(contact ? { contact } : {}),
    sources: {
      kind: v.kind !== undefined ? cite : `${cite} (kind set at import with --kind ${kind})`,
      name: cite,
      status: status ? cite : `${cite} (listed without a status, so open)`,
      operator: v.operator !== undefined ? cite : `${cite} (every UAPS and CIS is part of the public network of SESAL)`,
      serves: groups ? cite : `${cite} (UAPS and CIS are public primary care, open to everyone)`,
      services: v.services !== undefined ? cite : `${cite} (no services listed)`,
      location: cite,
      ...(address ? { address: cite } : {}),
      ...(contact ? { contact: cite } : {}),
    },
    reviewed: { on: options.today, by: options.by, next: addDays(options.today, REVIEW_AFTER_DAYS) },
  };

  // The final gate: exactly what content:check will accept.
  const result = CenterFile.safeParse(candidate);
  if (!result.success) {
    return {
      problems: result.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.');
        if (issue.code === 'invalid_type' && issue.input === undefined) return `"${path}" is missing`;
        if (issue.code === 'too_small' && issue.origin === 'string') return `"${path}" is too short`;
        return path ? `"${path}" ${issue.message}` : issue.message;
      }),
    };
  }
  return { checked: { center: result.data, nameKey: normalize(name), municipality: v.municipality }, problems: [] };
}

/** Checks every row; the good ones become centers with unique ids, the others rejections. */
export function importFacilities(rows: readonly FacilityRow[], options: ImportOptions): ImportResult {
  const existing = options.existing ?? [];
  const used = new Set(existing.map((c) => c.id));
  const accepted: { label: string; number: number; nameKey: string; lat: number; lon: number }[] = [];
  const result: ImportResult = { centers: [], rejected: [] };

  for (const row of rows) {
    const where = `${row.label} ${row.number}`;
    const reject = (reason: string) => result.rejected.push({ row: row.number, reason: `${where}: ${reason}` });
    const { checked, problems } = checkRow(row, options);
    if (!checked) {
      problems.forEach(reject);
      continue;
    }
    const { center, nameKey } = checked;
    const { lat, lon } = center.location!;
    const near = (other: { lat?: number; lon?: number }) =>
      other.lat !== undefined && other.lon !== undefined && haversineKm({ lat, lon }, { lat: other.lat, lon: other.lon }) < SAME_PLACE_KM;

    const twin = accepted.find((a) => a.nameKey === nameKey && near(a));
    if (twin) {
      reject(`same name and place as ${twin.label} ${twin.number}`);
      continue;
    }
    const already = existing.find((c) => c.name !== undefined && normalize(c.name) === nameKey && near(c));
    if (already) {
      reject(`a center file ${already.id}.yaml already exists with the same name and place`);
      continue;
    }

    let id = center.id;
    for (let n = 2; used.has(id); n++) id = `${center.id}-${n}`;
    used.add(id);
    accepted.push({ label: row.label, number: row.number, nameKey, lat, lon });
    result.centers.push({ row: row.number, center: { ...center, id } });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The YAML of a center file, laid out like the hand-written ones in content/centers/. */
export function centerYaml(center: CenterFile, comment: readonly string[]): string {
  const { texts, ...rest } = center;
  const data: Record<string, unknown> = {
    version: rest.version, id: rest.id, kind: rest.kind, name: rest.name, status: rest.status, network: rest.network,
    direct_care: rest.direct_care, operator: rest.operator, serves: rest.serves, services: rest.services, hours: rest.hours,
    location: rest.location, address: rest.address, contact: rest.contact,
    ...(Object.keys(texts).length ? { texts } : {}),
    sources: rest.sources, reviewed: rest.reviewed,
  };
  for (const key of Object.keys(data)) if (data[key] === undefined) delete data[key];
  const doc = new Document(data);
  for (const path of [['serves', 'groups'], ['services'], ['location'], ['reviewed']]) {
    const node = doc.getIn(path, true);
    if (isCollection(node)) node.flow = true;
  }
  for (const fact of Object.keys(rest.sources)) {
    const node = doc.getIn(['sources', fact], true);
    if (node instanceof Scalar) node.type = Scalar.QUOTE_DOUBLE;
  }
  const header = comment.map((line) => `# ${line}`.trimEnd()).join('\n');
  // Lists as the hand-written files write them: [meals, clothing], not [ meals, clothing ].
  const body = doc.toString({ lineWidth: 0 }).replace(/^(\s*[a-z_]+: )\[ (.*) \]$/gm, '$1[$2]');
  return `${header}\n${body}`;
}
