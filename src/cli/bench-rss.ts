// Part of npm run bench, run by it as a process of its own: the RSS of a fresh bot process before
// and after N distinct people said two things to it (in-memory store), so that nothing the bench
// did before (servers, 100,000-facility indexes) is in the figure. Prints one JSON line.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createBot } from '../bot.js';
import { createLogger } from '../log.js';
import { projectRoot } from '../paths.js';
import { loadCatalogOrThrow } from '../runtime.js';
import { MemoryStore } from '../store/memory-store.js';
import { fail, usage } from './options.js';

/** A full garbage collection, when V8 lets us ask for one (it does after --expose-gc). */
function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (() => void) | undefined;
    gc?.();
  } catch {
    // no gc available: the RSS figures then include garbage not yet collected
  }
}

async function main(): Promise<void> {
  const people = Number(process.argv[2]);
  if (!Number.isInteger(people) || people < 1) usage('usage: bench-rss <people>');
  const now = new Date('2026-03-02T10:00:00-06:00');
  const catalog = loadCatalogOrThrow(projectRoot);
  const store = new MemoryStore(30 * 24 * 3600);
  const bot = createBot({ store, catalog: () => catalog, log: createLogger('silent'), userIdSecret: 'bench-secret-0123456789', sessionDays: 30, defaultLanguage: 'es', now: () => now });
  // One person first, so loading and compiling what a turn needs is in "before", not per person.
  await bot.handle({ channel: 'web', user: 'warm', text: 'hola', timestamp: now.getTime() });
  collectGarbage();
  const before = process.memoryUsage();
  const started = performance.now();
  for (let p = 0; p < people; p++) {
    const user = `rss-${p}`;
    await bot.handle({ channel: 'web', user, messageId: `${p}-a`, text: 'hola', timestamp: now.getTime() });
    await bot.handle({ channel: 'web', user, messageId: `${p}-b`, text: '2', timestamp: now.getTime() });
  }
  const seconds = (performance.now() - started) / 1000;
  collectGarbage();
  const after = process.memoryUsage();
  await store.close();
  process.stdout.write(
    `${JSON.stringify({
      store: 'memory',
      people,
      turnsPerSecond: (people * 2) / seconds,
      rssBeforeBytes: before.rss,
      rssAfterBytes: after.rss,
      heapUsedAfterBytes: after.heapUsed,
      rssBytesPerPerson: (after.rss - before.rss) / people,
      heapBytesPerPerson: (after.heapUsed - before.heapUsed) / people,
    })}\n`,
  );
}

main().catch(fail);
