// `npm run --silent simulate` as a separate process: JSON lines in, JSON lines out, nothing else.
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../src/paths.js';

function simulate(lines: string[], args: string[] = []) {
  const result = spawnSync('npm', ['run', '--silent', 'simulate', '--', ...args], {
    cwd: projectRoot,
    input: lines.join('\n') + '\n',
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  const out = result.stdout.split('\n').filter(Boolean);
  return { status: result.status, stderr: result.stderr, replies: out.map((line) => JSON.parse(line) as { user: string; text: string; choices?: { id: string; label: string }[] }) };
}

test('every stdout line is one reply as JSON, for each person separately', () => {
  const { status, replies } = simulate([
    '{"user":"u1","text":"hola"}',
    '{"user":"u2","text":"hello"}',
    '{"user":"u1","choice":"skip"}',
    '{"user":"u1","location":{"lat":14.08,"lon":-87.2}}',
  ]);
  expect(status).toBe(0);
  expect(replies.filter((r) => r.user === 'u1')[0]!.text).toMatch(/^¡Hola! Soy Puente/);
  expect(replies.filter((r) => r.user === 'u2')[0]!.text).toMatch(/^Hello! I am Puente/);
  const menu = replies.find((r) => r.user === 'u1' && r.choices?.some((c) => c.id === 'rights'));
  expect(menu?.choices?.find((c) => c.id === 'rights')?.label).toBe('Mis derechos');
  expect(replies.at(-2)!.text).toMatch(/No te entendí/);
  for (const reply of replies) expect(Object.keys(reply).every((k) => ['user', 'text', 'choices'].includes(k))).toBe(true);
});

test('--channel whatsapp turns choices into a numbered text menu', () => {
  const { replies } = simulate(['{"user":"u1","text":"hola"}'], ['--channel', 'whatsapp']);
  const last = replies.at(-1)!;
  expect(last.choices).toBeUndefined();
  expect(last.text).toContain('\n1. Estoy de paso por Honduras\n2. Regresé a Honduras');
});

test('bad lines are reported on stderr with their number; the rest still run', () => {
  const { status, stderr, replies } = simulate(['not json', '{"user":"u1"}', '{"user":"u1","text":"hola"}'], ['--now', '2026-03-01T09:00:00-06:00']);
  expect(status).toBe(2);
  expect(stderr).toContain('line 1: not valid JSON');
  expect(stderr).toContain('line 2: each line needs exactly one of');
  expect(replies.length).toBeGreaterThan(0);
});

test('wrong options are refused with a usage message', () => {
  const bad = simulate([], ['--channel', 'pigeon']);
  expect(bad.status).toBe(64);
  expect(bad.stderr).toContain('--channel must be one of');
  const badTime = simulate([], ['--now', 'yesterday']);
  expect(badTime.stderr).toContain('--now must be an ISO time');
});
