// `npm run bench -- --quick` as a separate process: it must finish and write every figure. Speed
// is never asserted here (machines differ); only that each required figure is a positive number.
// Needs redis-server on PATH (the bench starts its own).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

const REQUIRED = [
  'ceiling.bare_turn_per_s',
  'ceiling.redis_ops_per_s',
  'e2e.turns_per_s',
  'e2e.ratio_to_ceiling',
  'e2e.p50_ms',
  'e2e.p99_ms',
  'engine.turns_per_s',
  'understand.p99_us',
  'nearest.p99_us',
  'memory.bytes_per_session',
  'machine.cpu_count',
  'machine.total_memory_bytes',
] as const;

function at(report: unknown, path: string): unknown {
  let value = report;
  for (const part of path.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

test('the quick bench exits 0 and writes every required figure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puente-bench-test-'));
  try {
    const json = join(dir, 'bench.json');
    const result = spawnSync('npm', ['run', '--silent', 'bench', '--', '--quick', '--json', json], {
      cwd: projectRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const report: unknown = JSON.parse(readFileSync(json, 'utf8'));
    for (const path of REQUIRED) {
      const value = at(report, path);
      expect(typeof value, path).toBe('number');
      expect(Number.isFinite(value) && (value as number) > 0, `${path} = ${String(value)}`).toBe(true);
    }
    expect(typeof at(report, 'machine.cpu_model'), 'machine.cpu_model').toBe('string');
    expect(typeof at(report, 'machine.node_version'), 'machine.node_version').toBe('string');
    const rows = at(report, 'by_concurrency');
    expect(Array.isArray(rows) && rows.map((row) => at(row, 'concurrency'))).toEqual([1, 50, 200]);
    // Every answer of both servers was checked on its bytes, and every one was right.
    expect((rows as unknown[]).map((row) => [at(row, 'bare.errors'), at(row, 'e2e.errors')])).toEqual([[0, 0], [0, 0], [0, 0]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 150_000);
