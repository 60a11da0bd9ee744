// npm run content:import: a facility list (CSV or GeoJSON) becomes center files that pass
// content:check, and every row that cannot is named with its number and a reason staff can act on.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CenterFile } from '../../src/content/facts-schema.js';
import {
  centerYaml,
  decodeText,
  detectFormat,
  importFacilities,
  ImportInputError,
  parseFacilities,
  type ImportOptions,
  type ImportResult,
} from '../../src/content/import-facilities.js';
import { loadCatalog } from '../../src/content/load.js';
import { projectRoot } from '../../src/paths.js';
import { contentCopy } from '../helpers/content.js';

const FIXTURES = join(projectRoot, 'test', 'fixtures', 'import');
const CSV_FILE = join(FIXTURES, 'facilities.csv');
const GEOJSON_FILE = join(FIXTURES, 'facilities.geojson');
const SOURCE = 'SESAL, registro de establecimientos de salud 2025';
const OPTIONS: ImportOptions = { source: SOURCE, by: 'communication officer', today: '2026-05-01' };
const FACTS = ['kind', 'name', 'status', 'operator', 'serves', 'services', 'hours', 'location', 'address', 'contact'] as const;

function importCsv(text: string, options: Partial<ImportOptions> = {}): ImportResult {
  return importFacilities(parseFacilities(text, 'csv').rows, { ...OPTIONS, ...options });
}
const fixtureCsv = () => importCsv(readFileSync(CSV_FILE, 'utf8'));
const byId = (result: ImportResult, id: string) => {
  const found = result.centers.find((c) => c.center.id === id);
  expect(found, id).toBeDefined();
  return found!;
};
const HEADER = 'name,kind,lat,lon,services,municipality';

describe('turning rows into center files', () => {
  test('the good rows of the SESAL-like list become valid center files', () => {
    const result = fixtureCsv();
    expect(result.centers.map((c) => [c.row, c.center.id])).toEqual([
      [2, 'cis-villanueva'],
      [3, 'uaps-el-carrizal-distrito-central'],
      [5, 'uaps-la-guadalupe-aldea-el-tablon-santa-rosa-de-copan'],
      [7, 'uaps-jesus-de-otoro'],
      [11, 'umar-san-pedro-sula'],
      [12, 'osi-agua-caliente-ocotepeque'],
    ]);
    for (const { center } of result.centers) expect(CenterFile.safeParse(center).success).toBe(true);

    const { center: cis } = byId(result, 'cis-villanueva');
    expect(cis).toMatchObject({
      version: 1,
      kind: 'uaps_cis',
      name: 'CIS Villanueva',
      status: 'open',
      network: false,
      direct_care: true,
      operator: 'Secretaría de Salud (SESAL)',
      serves: { groups: ['transit', 'returned', 'resident'] },
      services: ['primary_care', 'vaccines', 'chronic_disease'],
      hours: 'unknown',
      location: { lat: 15.31667, lon: -87.98333, precision_km: 0.1 },
      address: 'Barrio El Centro, Villanueva, Cortés',
    });
    expect(cis.contact).toBeUndefined();
    expect(cis.texts).toEqual({});

    // The column "UAPS" is the kind uaps_cis; "|" separates services as well as ";".
    const { center: carrizal } = byId(result, 'uaps-el-carrizal-distrito-central');
    expect(carrizal.kind).toBe('uaps_cis');
    expect(carrizal.services).toEqual(['primary_care', 'vaccines', 'nutrition']);
    expect(byId(result, 'uaps-jesus-de-otoro').center.status).toBe('open'); // "abierto"

    // Migrant centers serve only the groups the list says; an OSI does not treat people.
    const { center: umar } = byId(result, 'umar-san-pedro-sula');
    expect(umar).toMatchObject({ status: 'closed', direct_care: true, serves: { groups: ['returned'] }, operator: 'Alcaldía Municipal de San Pedro Sula' });
    expect(byId(result, 'osi-agua-caliente-ocotepeque').center).toMatchObject({ kind: 'osi', direct_care: false, services: ['referrals', 'migration_id'] });
  });

  test('every fact says which row of which list it comes from, and the review is due in 180 days', () => {
    for (const { row, center } of fixtureCsv().centers) {
      for (const fact of FACTS) {
        const present = fact === 'hours' ? center.hours !== 'unknown' : center[fact] !== undefined;
        if (present) expect(center.sources[fact], `${center.id}: ${fact}`).toMatch(new RegExp(`^${SOURCE}, row ${row}( \\(.+\\))?$`));
        else expect(center.sources[fact]).toBeUndefined();
      }
      expect(center.reviewed).toEqual({ on: '2026-05-01', by: 'communication officer', next: '2026-10-28' });
    }
  });

  test('each bad row is rejected with its row number and a reason staff can act on', () => {
    expect(fixtureCsv().rejected).toEqual([
      { row: 4, reason: 'row 4: "kind" must be one of cami, camr, umar, osi, uaps_cis (it says "hospital")' },
      { row: 6, reason: 'row 6: "lat" is missing' },
      { row: 8, reason: expect.stringMatching(/^row 8: the service "dentist" is unknown; use: meals, clothing, .*migration_id$/) },
      { row: 9, reason: 'row 9: the coordinates 40.4168, -3.7038 are outside Honduras' },
      { row: 10, reason: 'row 10: same name and place as row 2' },
      { row: 13, reason: expect.stringMatching(/^row 13: say who the center serves: add a "groups" column with transit, returned, resident/) },
    ]);
  });

  test('other mistakes: no kind, bad numbers, swapped coordinates, bad status, missing operator', () => {
    const result = importCsv(
      [
        'name,kind,lat,lon,groups,operator,status',
        'UAPS Sin Tipo,,14.1,-87.2,,,',
        'CIS Texto,uaps_cis,catorce,-87.2,,,',
        'CIS Al Revés,uaps_cis,-87.2,14.1,,,',
        'CIS Este,uaps_cis,14.1,87.2,,,',
        'CIS Raro,uaps_cis,14.1,-87.2,,,quizá',
        'CAMR Nuevo,camr,15.5,-88.0,returned,,',
        'CAMR Grupo,camr,15.5,-88.0,migrants,INM,',
      ].join('\n'),
    );
    expect(result.centers).toEqual([]);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      'row 2: "kind" is missing: add a kind column, or run the import with --kind (one of cami, camr, umar, osi, uaps_cis)',
      'row 3: "lat" must be a number in decimal degrees, like 14.0818 (it says "catorce")',
      'row 4: the coordinates -87.2, 14.1 are outside Honduras: lat and lon seem swapped',
      'row 5: the coordinates 14.1, 87.2 are outside Honduras: longitudes in Honduras are negative (west), like -87.2',
      'row 6: "status" must be open or closed (it says "quizá")',
      'row 7: "operator" is missing: add an operator column (who runs the center)',
      'row 8: the group "migrants" is unknown; use: transit, returned, resident',
    ]);
    // --kind fills in the kind of rows without one; a kind column still wins.
    const withKind = importCsv('name,kind,lat,lon\nUAPS Sin Tipo,,14.1,-87.2\nOSI Corinto,osi,15.6,-88.3', { kind: 'uaps_cis' });
    expect(withKind.rejected).toEqual([
      { row: 3, reason: expect.stringContaining('row 3: say who the center serves') },
      { row: 3, reason: 'row 3: "operator" is missing: add an operator column (who runs the center)' },
    ]);
    expect(withKind.centers[0]!.center.kind).toBe('uaps_cis');
    expect(withKind.centers[0]!.center.sources.kind).toBe(`${SOURCE}, row 2 (kind set at import with --kind uaps_cis)`);
  });

  test('a phone column becomes the contact, with its source', () => {
    const { centers } = importCsv('name,kind,lat,lon,phone\nUAPS Prueba,uaps_cis,14.1,-87.2,+504 0000-0000');
    expect(centers[0]!.center.contact).toBe('+504 0000-0000');
    expect(centers[0]!.center.sources.contact).toBe(`${SOURCE}, row 2`);
  });
});

describe('reading CSV as spreadsheets write it', () => {
  test('comma decimals, a byte order mark, CRLF line ends and quoted commas', () => {
    const lines = [HEADER, '"UAPS San José, Aldea Río Abajo",uaps_cis,"14,08183","-87,20681",primary_care;vaccines,Distrito Central'];
    const plain = importCsv(lines.join('\n'));
    const excel = importCsv(`\uFEFF${lines.join('\r\n')}\r\n`);
    expect(excel).toEqual(plain);
    expect(plain.rejected).toEqual([]);
    expect(plain.centers[0]!.center).toMatchObject({
      id: 'uaps-san-jose-aldea-rio-abajo-distrito-central',
      name: 'UAPS San José, Aldea Río Abajo',
      location: { lat: 14.08183, lon: -87.20681 },
    });
  });

  test('the fixture file itself has a byte order mark and CRLF, and reads like a plain copy', () => {
    const bytes = readFileSync(CSV_FILE);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
    const plain = bytes.toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
    expect(importCsv(plain)).toEqual(fixtureCsv());
  });

  test('semicolon-separated files (Excel in Spanish), Spanish headers, blank lines and 5 decimals', () => {
    const result = importCsv('Nombre;Tipo;Latitud;Longitud;Servicios\n\nCIS Prueba;CIS;14,0818349;-87,2068111;"primary_care;vaccines"\n');
    expect(result.rejected).toEqual([]);
    expect(result.centers[0]).toMatchObject({ row: 3, center: { kind: 'uaps_cis', location: { lat: 14.08183, lon: -87.20681 }, services: ['primary_care', 'vaccines'] } });
  });

  test('a file saved by Excel as Windows-1252 keeps its accents; the format comes from the name or the text', () => {
    const latin1 = Buffer.from('CIS Danlí', 'latin1');
    expect(latin1.at(-1)).toBe(0xed);
    expect(decodeText(latin1)).toEqual({ text: 'CIS Danlí', encoding: 'windows-1252' });
    expect(decodeText(Buffer.from('CIS Danlí'))).toEqual({ text: 'CIS Danlí', encoding: 'utf-8' });
    expect(detectFormat('lista.CSV', '')).toBe('csv');
    expect(detectFormat('export.geojson', '')).toBe('geojson');
    expect(detectFormat('export', ' {"type": "FeatureCollection"}')).toBe('geojson');
    expect(() => detectFormat('notes.md', '# Centros')).toThrow(ImportInputError);
  });

  test('a row with too many values is rejected; a file without the needed columns is unreadable', () => {
    const { rejected } = importCsv(`${HEADER}\nUAPS Coma, Sin Comillas,uaps_cis,14.1,-87.2,primary_care,Danlí`);
    expect(rejected[0]?.reason).toBe('row 2: has 7 values but the header has 6 columns: a value with a comma in it needs "quotes" around it');
    expect(() => parseFacilities('nombre,direccion\nCIS X,Centro', 'csv')).toThrow(ImportInputError);
    expect(() => parseFacilities('nombre,direccion\nCIS X,Centro', 'csv')).toThrow('has no "lat", "lon" column');
    expect(() => parseFacilities(HEADER + '\n', 'csv')).toThrow('has no facilities');
    expect(() => parseFacilities(`${HEADER}\n"UAPS sin cerrar,uaps_cis,14.1,-87.2`, 'csv')).toThrow('is not valid CSV');
  });
});

describe('ids', () => {
  test('are slugs of the name and municipality, the same on every run', () => {
    const ids = (r: ImportResult) => r.centers.map((c) => c.center.id);
    expect(ids(fixtureCsv())).toEqual(ids(fixtureCsv()));
    for (const id of ids(fixtureCsv())) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    // The name already says the municipality: it is not repeated.
    expect(ids(fixtureCsv())).toContain('uaps-jesus-de-otoro');
  });

  test('are unique within the import and against the centers already there', () => {
    const text = [HEADER, 'UAPS San José,uaps_cis,14.1,-87.2,,Danlí', 'UAPS San José,uaps_cis,14.3,-87.2,,Danlí', 'CAMR Omoa,uaps_cis,15.77,-88.04,,'].join('\n');
    const result = importCsv(text, { existing: [{ id: 'camr-omoa' }] });
    expect(result.rejected).toEqual([]);
    expect(result.centers.map((c) => c.center.id)).toEqual(['uaps-san-jose-danli', 'uaps-san-jose-danli-2', 'camr-omoa-2']);
  });

  test('a facility already in the content is not imported again', () => {
    const existing = [{ id: 'cis-villanueva', name: 'CIS Villanueva', lat: 15.31667, lon: -87.98333 }];
    const result = importCsv(readFileSync(CSV_FILE, 'utf8'), { existing });
    expect(result.rejected).toContainEqual({ row: 2, reason: 'row 2: a center file cis-villanueva.yaml already exists with the same name and place' });
    expect(result.centers.map((c) => c.center.id)).not.toContain('cis-villanueva');
  });
});

describe('GeoJSON from OpenStreetMap', () => {
  const importGeoJson = (options: Partial<ImportOptions> = {}) =>
    importFacilities(parseFacilities(readFileSync(GEOJSON_FILE, 'utf8'), 'geojson').rows, { ...OPTIONS, source: 'OpenStreetMap contributors (ODbL), 2026-04-20', ...options });

  test('points become centers of the kind given with --kind; other geometries and unnamed features are rejected', () => {
    const result = importGeoJson({ kind: 'uaps_cis' });
    expect(result.rejected).toEqual([
      { row: 2, reason: 'feature 2: is a Polygon, not a Point: export each facility as one point (in QGIS or JOSM, use its centroid)' },
      { row: 3, reason: 'feature 3: "name" is missing' },
    ]);
    expect(result.centers.map((c) => c.center)).toMatchObject([
      {
        id: 'centro-de-salud-ruben-andino-aguilar-choloma',
        kind: 'uaps_cis',
        operator: 'Secretaría de Salud (SESAL)',
        services: [],
        address: 'Calle Principal, Choloma',
        location: { lat: 15.61444, lon: -87.95306, precision_km: 0.1 },
        sources: { name: 'OpenStreetMap contributors (ODbL), 2026-04-20, feature 1' },
      },
      { id: 'cis-danli', address: 'Danlí, El Paraíso', services: ['primary_care', 'vaccines', 'nutrition'] },
    ]);
  });

  test('OpenStreetMap tags do not say a kind: without --kind every feature asks for one', () => {
    const { centers, rejected } = importGeoJson();
    expect(centers).toEqual([]);
    expect(rejected).toContainEqual({ row: 1, reason: expect.stringMatching(/^feature 1: "kind" is missing: add a kind property, or run the import with --kind/) });
  });

  test('broken GeoJSON is unreadable, with the reason', () => {
    expect(() => parseFacilities('{"type": "FeatureCollection", "features": [', 'geojson')).toThrow('is not valid JSON');
    expect(() => parseFacilities('{"type": "Feature"}', 'geojson')).toThrow('is not a GeoJSON FeatureCollection');
  });
});

test('the YAML looks like the hand-written center files, without texts', () => {
  const { center } = byId(fixtureCsv(), 'cis-villanueva');
  const yaml = centerYaml(center, ['CIS Villanueva', 'imported from facilities.csv']);
  expect(yaml).toMatch(/^# CIS Villanueva\n# imported from facilities.csv\nversion: 1\nid: cis-villanueva\n/);
  expect(yaml).toContain('  groups: [transit, returned, resident]\n');
  expect(yaml).toContain('services: [primary_care, vaccines, chronic_disease]\n');
  expect(yaml).toContain('location: { lat: 15.31667, lon: -87.98333, precision_km: 0.1 }\n');
  expect(yaml).toContain(`  name: "${SOURCE}, row 2"\n`);
  expect(yaml).toContain('reviewed: { on: 2026-05-01, by: communication officer, next: 2026-10-28 }\n');
  expect(yaml).not.toContain('texts');
});

describe('npm run content:import', () => {
  const today = () => new Date().toISOString().slice(0, 10);
  function run(args: string[]) {
    const result = spawnSync('npm', ['run', '--silent', 'content:import', '--', ...args], { cwd: projectRoot, encoding: 'utf8' });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }
  const temps: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'puente-import-'));
    temps.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });
  const withSource = (file: string, out: string, ...more: string[]) => [file, '--source', SOURCE, '--by', 'communication officer', '--out', out, ...more];

  test('writes the good rows, lists the rejected ones and exits 1; a second run overwrites nothing', () => {
    const out = tempDir();
    const first = run(withSource(CSV_FILE, out));
    expect(first.stderr).toBe('');
    expect(first.status).toBe(1);
    expect(first.stdout).toContain('Read 12 rows from');
    expect(first.stdout).toContain('Wrote 6 center files to');
    expect(first.stdout).toContain('Rejected 6 rows');
    expect(first.stdout).toContain('  row 6: "lat" is missing\n');
    expect(first.stdout).toContain('  row 10: same name and place as row 2\n');
    expect(readdirSync(out).sort()).toEqual([
      'cis-villanueva.yaml',
      'osi-agua-caliente-ocotepeque.yaml',
      'uaps-el-carrizal-distrito-central.yaml',
      'uaps-jesus-de-otoro.yaml',
      'uaps-la-guadalupe-aldea-el-tablon-santa-rosa-de-copan.yaml',
      'umar-san-pedro-sula.yaml',
    ]);
    const file = readFileSync(join(out, 'cis-villanueva.yaml'), 'utf8');
    expect(file).toMatch(new RegExp(`^# CIS Villanueva \\(row 2 of facilities.csv\\)\\n# imported from facilities.csv on ${today()} by npm run content:import; check and edit freely.\\n`));

    // Staff edit a file; importing the same list again must keep their work.
    writeFileSync(join(out, 'cis-villanueva.yaml'), file.replace('hours: unknown', 'hours: { days: [mon, tue, wed, thu, fri], times: unknown }'));
    const edited = readFileSync(join(out, 'cis-villanueva.yaml'), 'utf8');
    const second = run(withSource(CSV_FILE, out));
    expect(second.status).toBe(1);
    expect(second.stdout).toContain('Wrote 0 center files');
    expect(second.stdout).toContain('row 2: a center file cis-villanueva.yaml already exists');
    expect(readFileSync(join(out, 'cis-villanueva.yaml'), 'utf8')).toBe(edited);
    expect(readdirSync(out)).toHaveLength(6);
  });

  test('exit 0 when every row is imported; --dry-run writes nothing', () => {
    const dir = tempDir();
    const csv = join(dir, 'limpio.csv');
    writeFileSync(csv, `${HEADER}\nUAPS Las Flores,uaps_cis,14.1,-87.2,primary_care,Danlí\n`);
    const dry = run(withSource(csv, join(dir, 'out'), '--dry-run'));
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('Would write 1 center file to');
    expect(dry.stdout).toContain('uaps-las-flores-danli.yaml');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const real = run(withSource(csv, join(dir, 'out')));
    expect(real.status).toBe(0);
    expect(real.stdout).toContain('Wrote 1 center file to');
    expect(real.stdout).not.toContain('Rejected');
    expect(readdirSync(join(dir, 'out'))).toEqual(['uaps-las-flores-danli.yaml']);
  });

  test('GeoJSON with --kind', () => {
    const out = tempDir();
    const result = run(withSource(GEOJSON_FILE, out, '--kind', 'uaps_cis'));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Read 4 features');
    expect(result.stdout).toContain('  feature 3: "name" is missing\n');
    expect(readdirSync(out).sort()).toEqual(['centro-de-salud-ruben-andino-aguilar-choloma.yaml', 'cis-danli.yaml']);
  });

  test('unreadable input exits 2 with a clear message; missing options are a usage error', () => {
    const dir = tempDir();
    const missing = run(withSource(join(dir, 'no-such.csv'), dir));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no-such.csv: the file does not exist');
    writeFileSync(join(dir, 'bad.geojson'), '{"type": "FeatureCollection", "features": [');
    const badJson = run(withSource(join(dir, 'bad.geojson'), dir));
    expect(badJson.status).toBe(2);
    expect(badJson.stderr).toContain('is not valid JSON');
    writeFileSync(join(dir, 'notes.md'), '# Centros de salud\n\nUna lista escrita a mano.\n');
    const notCsv = run(withSource(join(dir, 'notes.md'), dir));
    expect(notCsv.status).toBe(2);
    expect(notCsv.stderr).toContain('is neither CSV nor GeoJSON');
    writeFileSync(join(dir, 'sheet.xlsx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]));
    expect(run(withSource(join(dir, 'sheet.xlsx'), dir)).stderr).toContain('save it as "CSV UTF-8"');
    expect(readdirSync(dir).filter((f) => f.endsWith('.yaml'))).toEqual([]);

    const noSource = run([CSV_FILE, '--by', 'communication officer', '--out', dir]);
    expect(noSource.status).toBe(64);
    expect(noSource.stderr).toContain('--source is required');
    expect(noSource.stderr).toContain('usage: npm run content:import');
    expect(run([CSV_FILE, '--source', SOURCE, '--out', dir]).stderr).toContain('--by is required');
    expect(run(withSource(CSV_FILE, dir, '--kind', 'hospital')).stderr).toContain('--kind must be one of cami, camr, umar, osi, uaps_cis');
  });

  test('end to end: the imported centers load into the real catalog with no problems', () => {
    const copy = contentCopy();
    const centersDir = join(copy.root, 'content', 'centers');
    const before = readdirSync(centersDir).length;
    const result = run(withSource(CSV_FILE, centersDir));
    expect(result.status).toBe(1); // the fixture has bad rows on purpose
    expect(readdirSync(centersDir)).toHaveLength(before + 6);

    const { catalog, problems } = loadCatalog(copy.root);
    expect(problems).toEqual([]);
    const ids = catalog!.centers.map((c) => c.id);
    for (const id of ['cis-villanueva', 'uaps-el-carrizal-distrito-central', 'umar-san-pedro-sula', 'osi-agua-caliente-ocotepeque']) expect(ids).toContain(id);
    expect(ids).toContain('camr-omoa'); // the hand-written ones are still there
    expect(catalog!.centers.find((c) => c.id === 'cis-villanueva')).toMatchObject({ name: 'CIS Villanueva', location: { lat: 15.31667, lon: -87.98333 } });
  });
});
