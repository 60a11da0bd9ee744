// The real server process: SIGTERM stops accepting, lets answers in flight finish, closes Redis
// and the channels, and exits 0.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { projectRoot } from '../../src/paths.js';

test('SIGTERM while people are talking: every request that was accepted is answered, exit 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REDIS_URL: inject('redisUrl'), REDIS_PREFIX: `t-${randomUUID().slice(0, 8)}`, LOG_LEVEL: 'silent', CONTENT_WATCH: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let out = '';
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/http:\/\/localhost:(\d+)\//);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(`server exited early:\n${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  expect((await fetch(`${base}/readyz`)).status).toBe(200);

  const inFlight = Array.from({ length: 20 }, (_, i) =>
    fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `s${i}`, text: 'hola' }) }).then(
      (res) => res.status,
      () => 'refused' as const,
    ),
  );
  await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGTERM');
  const statuses = await Promise.all(inFlight);
  expect(await exited).toBe(0);
  // Accepted requests got their answer; the only other outcome is a connection refused after close.
  for (const status of statuses) expect([200, 'refused']).toContain(status);
  expect(statuses).toContain(200);
});
