// Hot reload: changed files are picked up; a broken file never replaces the last good content.
import { spawnSync } from 'node:child_process';
import { LiveCatalog } from '../../src/content/live-catalog.js';
import { createLogger } from '../../src/log.js';
import { projectRoot } from '../../src/paths.js';
import { loadCatalogOrThrow } from '../../src/runtime.js';
import { contentCopy } from '../helpers/content.js';

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 100; i++) {
    if (condition()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

function liveCopy() {
  const copy = contentCopy();
  const errors: unknown[] = [];
  const log = createLogger('silent');
  log.error = ((obj: unknown) => void errors.push(obj)) as typeof log.error;
  const live = new LiveCatalog(copy.root, log, loadCatalogOrThrow(copy.root));
  return { copy, live, errors };
}

test('a fixed text is served after the file is saved', async () => {
  const { copy, live } = liveCopy();
  live.watch(50);
  const before = live.current;
  copy.edit('locales/es/conversation.yaml', (t) => t.replace('skip: "Saltar"', 'skip: "Saltar por ahora"'));
  await until(() => live.current !== before, 'a reload');
  expect(live.current.text('es', 'profile.skip')).toBe('Saltar por ahora');
  live.close();
});

test('a broken file keeps the last good content and logs the error with file and line', async () => {
  const { copy, live, errors } = liveCopy();
  live.watch(50);
  const good = live.current;
  copy.edit('flows/main.yaml', (t) => t.replace('next: find_service', 'next: find_servise'));
  await until(() => errors.length > 0, 'the error to be logged');
  expect(live.current).toBe(good);
  expect(JSON.stringify(errors[0])).toMatch(/flows\/main\.yaml:\d+ — points at the node \\"main\.find_servise\\"/);
  copy.edit('flows/main.yaml', (t) => t.replace('next: find_servise', 'next: find_service'));
  await until(() => live.current !== good, 'the fixed content');
  live.close();
});

test('an explicit reload reports what is wrong', () => {
  const { copy, live } = liveCopy();
  copy.edit('content/services.yaml', (t) => t.replace('  meals:\n', '  meal:\n'));
  const result = live.reload();
  expect(result.ok).toBe(false);
  expect(result.problems.map((p) => p.message).join('\n')).toMatch(/"services.meal" is not a field this file knows \(check the spelling\)/);
});

test('under load, a broken file never reaches anyone and a fixed one is picked up', async () => {
  const { createServer } = await import('../../src/server/app.js');
  const { createBot } = await import('../../src/bot.js');
  const { MemoryStore } = await import('../../src/store/memory-store.js');
  const { live, copy } = liveCopy();
  const log = createLogger('silent');
  const bot = createBot({ store: new MemoryStore(60), catalog: () => live.current, log, userIdSecret: 'x'.repeat(16), sessionDays: 30, defaultLanguage: 'es' });
  const server = createServer({ bot, catalog: () => live.current, log, ready: () => true }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/chat`;
  const ask = (i: number) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `load-${i % 40}`, text: i % 2 ? 'hola' : '2' }) }).then(async (r) => ({ status: r.status, body: (await r.json()) as { messages: { text: string }[] } }));

  const load = Array.from({ length: 300 }, (_, i) => ask(i));
  copy.edit('flows/main.yaml', (t) => t.replace('next: find_service', 'next: broken_node'));
  expect(live.reload().ok).toBe(false);
  copy.edit('locales/es/conversation.yaml', (t) => t.replace('skip: "Saltar"', 'skip: "Saltar ahora"'));
  const during = await Promise.all(load);
  for (const { status, body } of during) {
    expect(status).toBe(200);
    expect(body.messages.length).toBeGreaterThan(0);
    expect(body.messages.map((m) => m.text).join()).not.toMatch(/errors\.|algo falló/);
  }
  copy.edit('flows/main.yaml', (t) => t.replace('next: broken_node', 'next: find_service'));
  expect(live.reload().ok).toBe(true);
  expect(live.current.text('es', 'profile.skip')).toBe('Saltar ahora');
  const after = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(i)));
  for (const { status } of after) expect(status).toBe(200);
  await new Promise((resolve) => server.close(resolve));
});

test('npm run content:report prints the translation and freshness report', () => {
  const md = spawnSync('npm', ['run', '--silent', 'content:report'], { cwd: projectRoot, encoding: 'utf8' });
  expect(md.status).toBe(0);
  expect(md.stdout).toMatch(/\| pt \| \d+ \| \d+ \| \d+ \| 0 \| 0 \|/);
  const html = spawnSync('npm', ['run', '--silent', 'content:report', '--', '--html'], { cwd: projectRoot, encoding: 'utf8' });
  expect(html.stdout).toContain('<h2>Translations (source: Spanish)</h2>');
});
