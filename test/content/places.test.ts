// The gazetteer of Honduras: the committed data is complete and plausible, every alias leads
// somewhere, each kind of mistake is explained with file and line, and the generator is repeatable.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlaces, type Gazetteer, type Place } from '../../src/content/places.js';
import { projectRoot } from '../../src/paths.js';
import { normalize } from '../../src/understand/normalize.js';
import { lineOf } from '../helpers/content.js';

const GENERATED = 'content/places/honduras.generated.yaml';
const ALIASES = 'content/places/aliases.yaml';

function committed(): Gazetteer {
  const { places, problems } = loadPlaces(projectRoot);
  expect(problems).toEqual([]);
  return places!;
}

function placeNamed(gazetteer: Gazetteer, name: string, department: string): Place {
  const found = gazetteer.places.filter((p) => normalize(p.name) === normalize(name) && p.department === department);
  expect(found, `${name} (${department})`).toHaveLength(1);
  return found[0]!;
}

test('the committed files load with no problems', () => {
  const gazetteer = committed();
  expect(gazetteer.places.length).toBeGreaterThan(400);
  expect(gazetteer.aliases.size).toBeGreaterThan(30);
});

test('exactly the 18 departments of Honduras', () => {
  expect(committed().departments.map((d) => d.name).sort()).toEqual(
    [
      'Atlántida', 'Choluteca', 'Colón', 'Comayagua', 'Copán', 'Cortés', 'El Paraíso', 'Francisco Morazán', 'Gracias a Dios',
      'Intibucá', 'Islas de la Bahía', 'La Paz', 'Lempira', 'Ocotepeque', 'Olancho', 'Santa Bárbara', 'Valle', 'Yoro',
    ].sort(),
  );
});

test('ids are unique lower-case ascii slugs and every place is in a department', () => {
  const { departments, places } = committed();
  const ids = [...departments, ...places].map((p) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  const departmentIds = new Set(departments.map((d) => d.id));
  for (const place of places) expect(departmentIds.has(place.department!), place.name).toBe(true);
});

describe('key towns are where they should be', () => {
  // Approximate positions of the town centres; the data must be within ~10 km of them.
  const towns: [name: string, department: string, lat: number, lon: number][] = [
    ['Tegucigalpa', 'francisco-morazan', 14.08, -87.21],
    ['San Pedro Sula', 'cortes', 15.5, -88.03],
    ['La Ceiba', 'atlantida', 15.76, -86.79],
    ['Ciudad Choluteca', 'choluteca', 13.3, -87.19],
    ['Danlí', 'el-paraiso', 14.03, -86.58],
    ['Omoa', 'cortes', 15.77, -88.04],
    ['La Lima', 'cortes', 15.43, -87.91],
    ['Comayagua', 'comayagua', 14.45, -87.64],
  ];
  test.each(towns)('%s', (name, department, lat, lon) => {
    const town = placeNamed(committed(), name, department);
    expect(Math.abs(town.lat - lat)).toBeLessThan(0.1);
    expect(Math.abs(town.lon - lon)).toBeLessThan(0.1);
  });
});

test('every alias points at a place or department that exists', () => {
  const { departments, places, aliases } = committed();
  const ids = new Set([...departments, ...places].map((p) => p.id));
  for (const [alias, id] of aliases) expect(ids.has(id), `${alias} → ${id}`).toBe(true);
});

test('the names people type lead to the right place', () => {
  const { aliases } = committed();
  const expected: Record<string, string> = {
    Tegus: 'tegucigalpa', Tegucigalpa: 'tegucigalpa', 'Tegucigalpa D.C.': 'tegucigalpa', 'D.C.': 'tegucigalpa',
    'Distrito Central': 'tegucigalpa', 'la capital': 'tegucigalpa', Comayagüela: 'tegucigalpa',
    SPS: 'san-pedro-sula', 'San Pedro': 'san-pedro-sula', Sampedro: 'san-pedro-sula',
    'la Ceiba': 'la-ceiba', Danli: 'danli', Danlí: 'danli', 'Choluteca centro': 'ciudad-choluteca',
    'Puerto Cortés': 'puerto-cortez', 'Pto Cortes': 'puerto-cortez', 'El Progreso': 'el-progreso', Omoa: 'omoa',
    Lima: 'la-lima', 'La Lima': 'la-lima', Trojes: 'las-trojes', Trujillo: 'trujillo', Roatán: 'coxen-hole',
    Juticalpa: 'juticalpa', Catacamas: 'catacamas', 'Santa Rosa de Copán': 'santa-rosa-de-copan', Gracias: 'gracias',
    Nacaome: 'nacaome', 'San Lorenzo': 'san-lorenzo', Comayagua: 'comayagua-comayagua', Siguatepeque: 'siguatepeque',
    'La Esperanza': 'la-esperanza-intibuca', Yoro: 'yoro-yoro', Olanchito: 'olanchito', Tocoa: 'tocoa',
  };
  for (const [typed, id] of Object.entries(expected)) expect(aliases.get(normalize(typed)), typed).toBe(id);
});

describe('mistakes are explained with file and line', () => {
  function brokenCopy(file: string, change: (text: string) => string) {
    const root = mkdtempSync(join(tmpdir(), 'puente-places-'));
    cpSync(join(projectRoot, 'content', 'places'), join(root, 'content', 'places'), { recursive: true });
    const path = join(root, file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    if (after === before) throw new Error(`the edit of ${file} changed nothing`);
    writeFileSync(path, after);
    const result = loadPlaces(root);
    expect(result.places, 'a gazetteer with errors must not be returned').toBeUndefined();
    return { problems: result.problems, line: (text: string) => lineOf(root, file, text) };
  }

  test('an alias pointing at an unknown place id', () => {
    const { problems, line } = brokenCopy(ALIASES, (t) => t.replace('tegus: tegucigalpa', 'tegus: tegucigalpaa'));
    expect(problems).toEqual([
      {
        file: ALIASES,
        line: line('tegus: tegucigalpaa'),
        message: 'the alias "tegus" points at "tegucigalpaa", which is not a place in honduras.generated.yaml (nor a department): use an id from that file',
        severity: 'error',
      },
    ]);
  });

  test('two spellings of one alias pointing at different places', () => {
    const { problems, line } = brokenCopy(ALIASES, (t) => t.replace('  sampedro: san-pedro-sula\n', '  sampedro: san-pedro-sula\n  "SAN PEDRO!": omoa\n'));
    expect(problems).toEqual([
      expect.objectContaining({ file: ALIASES, line: line('"SAN PEDRO!": omoa'), message: expect.stringContaining(`is the same name as "san pedro" on line ${line('san pedro:')}`) }),
    ]);
  });

  test('the same id used twice', () => {
    const { problems, line } = brokenCopy(GENERATED, (t) => t.replace('id: choloma,', 'id: omoa,'));
    expect(problems).toEqual([
      {
        file: GENERATED,
        line: line('name: "Omoa"'),
        message: `the id "omoa" is used twice (also on line ${line('name: "Choloma"')}): every place and department needs an id of its own`,
        severity: 'error',
      },
    ]);
  });

  test('a place whose department does not exist', () => {
    const { problems, line } = brokenCopy(GENERATED, (t) => t.replace('name: "Omoa", department: cortes,', 'name: "Omoa", department: cortez,'));
    expect(problems).toEqual([
      {
        file: GENERATED,
        line: line('department: cortez'),
        message: 'the place "Omoa" is in the department "cortez", which is not a department in honduras.generated.yaml',
        severity: 'error',
      },
    ]);
  });

  test('coordinates outside Honduras', () => {
    const { problems, line } = brokenCopy(GENERATED, (t) => t.replace(/(name: "Danlí".*?lat: )14\./, (_, before: string) => `${before}41.`));
    expect(problems).toEqual([
      {
        file: GENERATED,
        line: line('name: "Danlí"'),
        message: expect.stringMatching(/^the place "Danlí" is at latitude 41\.\d+, longitude -86\.\d+, which is outside Honduras \(latitude 12\.9 to 17\.5, longitude -89\.4 to -83\.1\)/),
        severity: 'error',
      },
    ]);
  });

  test('a field of the wrong kind', () => {
    const { problems, line } = brokenCopy(GENERATED, (t) => t.replace(/(name: "Omoa".*?lon: )-88\.\d+/, '$1west'));
    expect(problems).toEqual([expect.objectContaining({ file: GENERATED, line: line('name: "Omoa"'), message: expect.stringContaining('"places.') })]);
  });

  test('an empty aliases file', () => {
    const { problems } = brokenCopy(ALIASES, () => '');
    expect(problems[0]).toMatchObject({ file: ALIASES, severity: 'error' });
  });
});

describe('the generator', () => {
  test('is deterministic and its output is the committed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'puente-places-gen-'));
    const run = (out: string) => {
      const result = spawnSync('npm', ['run', '--silent', 'content:places', '--', '--out', out], { cwd: projectRoot, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      return readFileSync(out, 'utf8');
    };
    const first = run(join(dir, 'first.yaml'));
    const second = run(join(dir, 'second.yaml'));
    expect(second).toBe(first);
    expect(first, 'content/places/honduras.generated.yaml is out of date: run npm run content:places').toBe(
      readFileSync(join(projectRoot, GENERATED), 'utf8'),
    );
    expect(Buffer.byteLength(first)).toBeLessThan(300_000);
    expect(first).toContain('GeoNames (geonames.org)');
  });
});
