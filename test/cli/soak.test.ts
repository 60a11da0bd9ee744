// `npm run soak` as a separate process: many people on POST /api/chat while its own Redis is
// killed and started again; nothing acknowledged may be lost. Needs redis-server on PATH.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';

interface Report {
  redisRestarted: boolean;
  lost: number;
  unfinished: number;
  unanswered: number;
  answered: number;
  finished: number;
}

test('30 people through a Redis restart: every turn answered, no session update lost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'puente-soak-test-'));
  try {
    const json = join(dir, 'soak.json');
    const result = spawnSync('npm', ['run', '--silent', 'soak', '--', '--people', '30', '--concurrency', '10', '--seconds', '60', '--json', json], {
      cwd: projectRoot,
      encoding: 'utf8',
      timeout: 150_000,
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.redisRestarted).toBe(true);
    expect(report.lost).toBe(0);
    expect(report.unfinished).toBe(0);
    expect(report.unanswered).toBe(0);
    expect(report.finished).toBe(30);
    expect(report.answered).toBeGreaterThanOrEqual(150);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
