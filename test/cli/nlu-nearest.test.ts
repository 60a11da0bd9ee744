// `npm run --silent nlu` and `npm run --silent nearest` as processes, as QA and the benchmark use them.
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../src/paths.js';

const run = (script: string, args: string[], input = '') =>
  spawnSync('npm', ['run', '--silent', script, '--', ...args], { cwd: projectRoot, input, encoding: 'utf8' });

test('nlu: one JSON line out per JSON line in', () => {
  const result = run('nlu', [], ['{"text":"tengo hambre"}', '{"text":"me violaron"}', '{"text":"ok","lang":"pt"}', 'broken'].join('\n'));
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('line 4:');
  const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatchObject({ intent: 'find_service', service: 'meals', lang: 'es' });
  expect(lines[1]).toMatchObject({ intent: 'emergency', service: null });
  expect(lines[2]).toMatchObject({ intent: 'unknown', lang: 'pt' });
  for (const line of lines) expect(Object.keys(line).sort()).toEqual(['intent', 'lang', 'score', 'service']);
});

test('nearest: a JSON array, nearest first, filtered by service, group and age', () => {
  const adult = run('nearest', ['--lat', '15.50', '--lon', '-88.02', '--service', 'shelter', '--group', 'returned', '--age', '30', '--json']);
  expect(adult.status).toBe(0);
  const results = JSON.parse(adult.stdout) as { id: string; km: number; services: string[]; openNow: boolean | null }[];
  expect(results.map((r) => r.id)).toEqual(['camr-omoa']);
  expect(Object.keys(results[0]!).sort()).toEqual(['id', 'km', 'name', 'openNow', 'services']);

  const teen = JSON.parse(run('nearest', ['--place', 'San Pedro Sula', '--service', 'shelter', '--age', '15', '--json']).stdout);
  expect(teen.map((r: { id: string }) => r.id)[0]).toBe('camr-belen');

  const all = JSON.parse(run('nearest', ['--lat', '14.08', '--lon', '-87.2', '--json']).stdout) as { km: number }[];
  expect(all.map((r) => r.km)).toEqual([...all.map((r) => r.km)].sort((a, b) => a - b));
});

test('nearest: open now is computed in Honduras time, null when hours are not known', () => {
  // CAMR Omoa opens Wednesday to Friday (hours unknown): on a Monday it is closed.
  const monday = JSON.parse(run('nearest', ['--place', 'Omoa', '--service', 'vaccines', '--now', '2026-11-30T10:00:00-06:00', '--limit', '1', '--json']).stdout);
  expect(monday[0]).toMatchObject({ id: 'camr-omoa', openNow: false });
  const wednesday = JSON.parse(run('nearest', ['--place', 'Omoa', '--service', 'vaccines', '--now', '2026-12-02T10:00:00-06:00', '--limit', '1', '--json']).stdout);
  expect(wednesday[0]).toMatchObject({ id: 'camr-omoa', openNow: null });
});

test('nearest: clear errors for bad options', () => {
  expect(run('nearest', ['--place', 'Xyzzyville', '--json']).stderr).toContain('no place in Honduras matches');
  expect(run('nearest', ['--lat', '15', '--lon', '-88', '--service', 'pizza', '--json']).stderr).toContain('"pizza" is not a service id');
  expect(run('nearest', ['--json']).stderr).toContain('give --lat and --lon, or --place');
});
