// npm run soak [-- --people 200 --concurrency 50 --seconds 60 --redis-url redis://… --json <file>]
// A load-and-fault run on this machine only (127.0.0.1): many simulated people talk to the real
// POST /api/chat while the Redis behind it is killed (SIGKILL) and started again once. At the end
// every finished person's session is read back from Redis: each acknowledged turn must be there.
// Exit status 0 when nothing was lost, everyone finished and every turn was eventually answered.
import { randomBytes, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { createClient } from 'redis';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import type { Session } from '../engine/session.js';
import { createLogger } from '../log.js';
import { userKey } from '../privacy.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { createServer } from '../server/app.js';
import { deleteRunKeys, listenOnLoopback, OwnRedis, percentile, requireLoopbackRedis, withTimeout } from './local-redis.js';
import { fail, usage } from './options.js';

/** What every simulated person says, one message at a time. */
const SCRIPT = ['hola', '2', '1', 'tengo hambre', 'san pedro'] as const;
/** What the session must hold once all of SCRIPT was answered with memory. */
const EXPECTED_PROFILE: Session['profile'] = { group: 'returned', age: 'under_18' };
const EXPECTED_NODE = 'main.menu';

/** A person repeats a message answered without memory at most this often, as a real one would. */
const MAX_WITHOUT_MEMORY_REPEATS = 20;
/** Non-200 answers, network errors and timeouts: retried at most this often per message. */
const MAX_ERROR_RETRIES = 10;
const REQUEST_TIMEOUT_MS = 15_000;
const FAULT_PAUSE_MS = 1_000;

interface Options {
  people: number;
  concurrency: number;
  seconds: number;
  redisUrl?: string;
  json?: string;
}

export interface SoakReport {
  people: number;
  finished: number;
  turnsSent: number;
  answered: number;
  answeredWithoutMemory: number;
  errors: number;
  lost: number;
  unfinished: number;
  /** Messages given up on: still without memory or failing after every allowed repeat. */
  unanswered: number;
  latencyMs: { p50: number; p99: number };
  redisRestarted: boolean;
  /** A few of the lost sessions, to see what was there instead. */
  lostExamples: { person: string; found: { node?: string; profile?: Session['profile'] } | null }[];
  notes: string[];
  ok: boolean;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) usage(`--${name} must be a whole number above 0`);
  return n;
}

function parseOptions(argv: string[]): Options {
  let values: { people?: string; concurrency?: string; seconds?: string; 'redis-url'?: string; json?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        people: { type: 'string' },
        concurrency: { type: 'string' },
        seconds: { type: 'string' },
        'redis-url': { type: 'string' },
        json: { type: 'string' },
      },
    }));
  } catch (error) {
    usage(`${(error as Error).message}\nusage: npm run soak [-- --people 200 --concurrency 50 --seconds 60 --redis-url redis://… --json <file>]`);
  }
  const redisUrl = values['redis-url'];
  if (redisUrl !== undefined) requireLoopbackRedis(redisUrl, 'the soak run');
  return {
    people: positiveInteger('people', values.people, 200),
    concurrency: positiveInteger('concurrency', values.concurrency, 50),
    seconds: positiveInteger('seconds', values.seconds, 60),
    redisUrl,
    json: values.json,
  };
}

const ChatResponse = z.object({ messages: z.array(z.object({ text: z.string() }).passthrough()) });

type Outcome = 'answered' | 'without_memory' | 'error' | 'stopped';
type PersonResult = 'finished' | 'gave_up' | 'unfinished';

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const notes: string[] = [];

  let ownRedis: OwnRedis | undefined;
  let runtime: Runtime | undefined;
  let server: Server | undefined;

  // Ctrl+C ends the run early, still with a report and a clean-up.
  const stop = new AbortController();
  // Every request and pause in flight listens to it: hundreds at once is expected, not a leak.
  setMaxListeners(0, stop.signal);
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let redisUrl: string;
  if (options.redisUrl) {
    redisUrl = options.redisUrl;
    notes.push('Redis given with --redis-url: the soak cannot restart it, so the Redis fault was skipped.');
    process.stderr.write(`${notes.at(-1)}\n`);
  } else {
    ownRedis = await OwnRedis.inTempDir('soak', true);
    redisUrl = ownRedis.url;
  }

  const prefix = `soak-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'silent',
    CONTENT_WATCH: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const log = createLogger(config.LOG_LEVEL);
  runtime = await createRuntime(config, log, { limits: false });
  const rt = runtime;
  server = createServer({ bot: rt.bot, catalog: rt.catalog, log, ready: () => rt.store.ready() });
  const port = await listenOnLoopback(server);
  const endpoint = `http://127.0.0.1:${port}/api/chat`;
  const noMemory = rt.catalog().text('es', 'errors.no_memory');
  const internal = rt.catalog().text('es', 'errors.internal');

  const counts = { turnsSent: 0, answered: 0, answeredWithoutMemory: 0, errors: 0 };
  const latencies: number[] = [];
  const started = Date.now();
  const deadline = setTimeout(() => stop.abort(), options.seconds * 1000);

  async function send(person: string, text: string): Promise<Outcome> {
    if (stop.signal.aborted) return 'stopped';
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), REQUEST_TIMEOUT_MS);
    const onStop = () => timeout.abort();
    stop.signal.addEventListener('abort', onStop, { once: true });
    counts.turnsSent++;
    const sentAt = performance.now();
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: person, messageId: randomUUID(), text }),
        signal: timeout.signal,
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (response.status !== 200) {
        counts.errors++;
        return 'error';
      }
      latencies.push(performance.now() - sentAt);
      const parsed = ChatResponse.safeParse(body);
      const first = parsed.success ? parsed.data.messages[0]?.text : undefined;
      // No message at all, or the bot's own "something went wrong": not an answer.
      if (first === undefined || first === internal) {
        counts.errors++;
        return 'error';
      }
      if (first === noMemory) {
        counts.answeredWithoutMemory++;
        return 'without_memory';
      }
      counts.answered++;
      return 'answered';
    } catch {
      if (stop.signal.aborted) return 'stopped';
      counts.errors++;
      return 'error';
    } finally {
      clearTimeout(timer);
      stop.signal.removeEventListener('abort', onStop);
    }
  }

  /** A pause that ends early (false) when the run is stopped. */
  async function pause(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: stop.signal });
      return true;
    } catch {
      return false;
    }
  }

  async function person(id: string): Promise<PersonResult> {
    for (const text of SCRIPT) {
      let withoutMemory = 0;
      let errors = 0;
      for (;;) {
        const outcome = await send(id, text);
        if (outcome === 'answered') break;
        if (outcome === 'stopped') return 'unfinished';
        // A growing pause: 100 ms, 200 ms, … up to a second, so twenty repeats span a Redis restart.
        const attempt = outcome === 'without_memory' ? ++withoutMemory : ++errors;
        if (outcome === 'without_memory' && withoutMemory > MAX_WITHOUT_MEMORY_REPEATS) return 'gave_up';
        if (outcome === 'error' && errors > MAX_ERROR_RETRIES) return 'gave_up';
        if (!(await pause(Math.min(100 * attempt, 1_000)))) return 'unfinished';
      }
    }
    return 'finished';
  }

  // The fault: once about a third of the people are done, kill Redis and start it again.
  const faultAfter = Math.max(1, Math.ceil(options.people / 3));
  let fault: Promise<void> | undefined;
  let redisRestarted = false;
  const restartRedis = async (redis: OwnRedis) => {
    await redis.kill();
    await sleep(FAULT_PAUSE_MS);
    await redis.start();
    redisRestarted = true;
  };

  const finished: string[] = [];
  let done = 0;
  let gaveUp = 0;
  let next = 0;
  const worker = async () => {
    while (!stop.signal.aborted && next < options.people) {
      const id = `soak-${++next}`;
      const result = await person(id);
      if (result === 'finished') finished.push(id);
      if (result === 'gave_up') gaveUp++;
      if (result !== 'unfinished') done++;
      if (ownRedis && !fault && done >= faultAfter) {
        fault = restartRedis(ownRedis).catch((error: unknown) => {
          notes.push(`Redis could not be restarted: ${(error as Error).message}`);
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.people) }, worker));
  clearTimeout(deadline);
  const elapsedSeconds = (Date.now() - started) / 1000;
  if (fault) await fault;
  else if (ownRedis) notes.push('The run ended before a third of the people were done: Redis was not restarted.');
  if (stop.signal.aborted && elapsedSeconds < options.seconds) notes.push('Stopped early by a signal.');

  // Read every finished person's session back: each acknowledged turn must have left its mark.
  for (let i = 0; i < 100 && !rt.store.ready(); i++) await sleep(100);
  let lost = 0;
  const lostExamples: SoakReport['lostExamples'] = [];
  for (const id of finished) {
    const key = userKey(config.USER_ID_SECRET, 'web', id);
    let session: Session | undefined;
    let readable = false;
    for (let attempt = 0; attempt < 20 && !readable; attempt++) {
      try {
        session = await rt.store.get(key);
        readable = true;
      } catch {
        await sleep(250);
      }
    }
    if (!readable) notes.push(`The session of ${id} could not be read from Redis.`);
    const kept = session !== undefined && isDeepStrictEqual(session.profile, EXPECTED_PROFILE) && session.node === EXPECTED_NODE;
    if (!kept) {
      lost++;
      if (lostExamples.length < 5) lostExamples.push({ person: id, found: session ? { node: session.node, profile: session.profile } : null });
    }
  }

  const sorted = [...latencies].sort((a, b) => a - b);
  const unfinished = options.people - finished.length - gaveUp;
  const report: SoakReport = {
    people: options.people,
    finished: finished.length,
    ...counts,
    lost,
    unfinished,
    unanswered: gaveUp,
    latencyMs: { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)) },
    redisRestarted,
    lostExamples,
    notes,
    ok: lost === 0 && unfinished === 0 && gaveUp === 0,
  };

  // Clean up: the server, the runtime, the soak's keys in a Redis that is not ours, our Redis.
  server.closeAllConnections();
  await withTimeout(new Promise<void>((resolve) => server!.close(() => resolve())), 5_000);
  if (options.redisUrl) {
    const deleted = await withTimeout(deleteKeys(redisUrl, prefix), 10_000).catch(() => false);
    if (!deleted) notes.push(`Could not remove the soak's keys (${prefix}:*) from ${redisUrl}.`);
  }
  await withTimeout(runtime.close().catch(() => undefined), 5_000);
  await ownRedis?.stop();

  process.stdout.write(table(report, options, elapsedSeconds));
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.ok ? 0 : 1;
  // Whatever handle may linger (a socket half-closed by the fault), the run is over.
  setTimeout(() => process.exit(), 2_000).unref();
}

async function deleteKeys(url: string, prefix: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 2_000 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await deleteRunKeys(client, prefix);
    return true;
  } catch {
    return false;
  } finally {
    if (client.isOpen) await client.close().catch(() => undefined);
  }
}

function table(report: SoakReport, options: Options, elapsedSeconds: number): string {
  const rows: [string, string | number][] = [
    ['people', report.people],
    ['finished', report.finished],
    ['turns sent', report.turnsSent],
    ['answered', report.answered],
    ['answered without memory', report.answeredWithoutMemory],
    ['errors', report.errors],
    ['lost', report.lost],
    ['unfinished', report.unfinished],
    ['unanswered (gave up)', report.unanswered],
    ['latency p50 (ms)', report.latencyMs.p50],
    ['latency p99 (ms)', report.latencyMs.p99],
    ['Redis restarted', report.redisRestarted ? 'yes' : 'no'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `Soak run: ${options.people} people, at most ${options.concurrency} at once, ${elapsedSeconds.toFixed(1)} s of ${options.seconds} s`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    ...report.lostExamples.map((e) => `  lost: ${e.person} has ${e.found ? JSON.stringify(e.found) : 'no session'}`),
    ...report.notes.map((note) => `  note: ${note}`),
    report.ok ? 'OK' : 'FAILED: lost updates, unfinished people or unanswered turns',
  ];
  return `${lines.join('\n')}\n`;
}

main().catch(fail);
