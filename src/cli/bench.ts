// npm run bench [-- --quick] [--json <file>] [--redis-url redis://127.0.0.1:PORT]
// How fast Puente is on this machine, and how that compares with what the machine can do at all.
// Loopback only, on the compiled code with the V8 flags `npm start` uses. In one run it measures:
//   1. ceilings: a bare node:http turn (parse the JSON body, one Redis GET and one SET, a fixed
//      reply) and raw Redis round trips through the same client, sequential and pipelined;
//   2. end to end: POST /api/chat on the real app with the Redis store (limits off), with 1, 50
//      and 200 people at once, each a distinct person looping a short real conversation; the bare
//      turn and Puente take turns in short rounds, so both meet the same moments of a shared machine;
//   3. the engine alone: step() in memory with a fixed clock;
//   4. understanding: understand() per message over test/fixtures/nlu/eval.jsonl, and with keyword
//      lists ten times longer;
//   5. nearest: the spatial indexes against a plain haversine scan, 10 to 100,000 facilities;
//   6. memory: bytes per session in Redis, and the RSS of a fresh process (bench-rss) after many
//      people talked to it.
// The load generator (a small keep-alive client, load-client.ts), both servers and Redis's client
// run in this one process: the HTTP figures are "this machine, one Node process", and the ratio
// compares like with like.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { cpus, totalmem } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import type { Bot } from '../bot.js';
import { loadConfig } from '../config.js';
import type { Catalog } from '../content/catalog.js';
import { CENTER_KINDS } from '../content/center-kinds.js';
import type { CenterFile } from '../content/facts-schema.js';
import type { KeywordsFile } from '../content/keywords.js';
import { GROUPS } from '../content/schema.js';
import { SERVICE_IDS, type ServiceId } from '../content/service-ids.js';
import type { Session } from '../engine/session.js';
import { step } from '../engine/step.js';
import { haversineKm } from '../geo/distance.js';
import { accepts } from '../geo/eligibility.js';
import { buildIndex, nearestCenters } from '../geo/nearest.js';
import { createLogger } from '../log.js';
import type { Language } from '../model/message.js';
import { projectRoot } from '../paths.js';
import { userKey } from '../privacy.js';
import { createRuntime, loadCatalogOrThrow, type Runtime } from '../runtime.js';
import { createServer } from '../server/app.js';
import { createRedisClient, redisKey, type RedisClient } from '../store/redis-store.js';
import { understand } from '../understand/intent.js';
import { openConnection } from './load-client.js';
import { deleteRunKeys, listenOnLoopback, OwnRedis, percentile, requireLoopbackRedis, withTimeout } from './local-redis.js';
import { fail, usage } from './options.js';

/** What every simulated person says, in a loop: the start, a profile, a need, a place, the menu. */
const SCRIPT = ['hola', '2', '1', 'tengo hambre', 'san pedro', 'menu'] as const;
const CONCURRENCIES = [1, 50, 200] as const;
const REQUEST_TIMEOUT_MS = 15_000;
const execFileAsync = promisify(execFile);
/** A fixed clock for the engine and the in-memory bots. */
const FIXED_NOW = new Date('2026-03-02T10:00:00-06:00');
/** Roughly Honduras (the schema's own bounds are a little wider). */
const HONDURAS = { latMin: 13.0, latMax: 16.0, lonMin: -89.3, lonMax: -83.2 };

interface Options {
  quick: boolean;
  json?: string;
  redisUrl?: string;
}

/** How long and how much, per mode. Quick stays well under a minute in all. */
interface Plan {
  /** Bare turn and Puente take turns this many times per concurrency, each for roundMs. */
  rounds: number;
  roundMs: number;
  warmMs: number;
  redisMs: number;
  engineMs: number;
  understandPasses: number;
  nearestQueries: number;
  scanQueries: number;
  memorySessions: number;
  rssPeople: number;
  watchdogMs: number;
}

const PLANS: Record<'quick' | 'full', Plan> = {
  quick: { rounds: 3, roundMs: 800, warmMs: 500, redisMs: 700, engineMs: 1_000, understandPasses: 5, nearestQueries: 500, scanQueries: 60, memorySessions: 200, rssPeople: 10_000, watchdogMs: 100_000 },
  full: { rounds: 6, roundMs: 2_000, warmMs: 2_000, redisMs: 5_000, engineMs: 5_000, understandPasses: 20, nearestQueries: 5_000, scanQueries: 500, memorySessions: 500, rssPeople: 100_000, watchdogMs: 900_000 },
};

function parseOptions(argv: string[]): Options {
  let values: { quick?: boolean; json?: string; 'redis-url'?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { quick: { type: 'boolean', default: false }, json: { type: 'string' }, 'redis-url': { type: 'string' } },
    }));
  } catch (error) {
    usage(`${(error as Error).message}\nusage: npm run bench [-- --quick] [--json <file>] [--redis-url redis://127.0.0.1:PORT]`);
  }
  const redisUrl = values['redis-url'];
  if (redisUrl !== undefined) requireLoopbackRedis(redisUrl, 'the bench');
  return { quick: values.quick ?? false, json: values.json, redisUrl };
}

// ---------------------------------------------------------------------------------------------
// Small tools: sorted copies and a PRNG (the private Redis and percentiles are in local-redis.ts).

function sortedCopy(values: number[]): Float64Array {
  return Float64Array.from(values).sort();
}

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await withTimeout(new Promise<void>((resolve) => server.close(() => resolve())), 5_000);
}

// ---------------------------------------------------------------------------------------------
// The load generator: N virtual users, each sending requests back to back for a fixed time.

/** One run of the load generator: every answered request's latency, and what failed. */
interface Load {
  latencies: number[];
  errors: number;
  seconds: number;
}

interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Several rounds as one: requests over the time of all rounds, percentiles over all latencies. */
function summarize(concurrency: number, loads: Load[]): LoadResult {
  const latencies = loads.flatMap((l) => l.latencies);
  const seconds = loads.reduce((sum, l) => sum + l.seconds, 0);
  const sorted = sortedCopy(latencies);
  return {
    concurrency,
    requests: latencies.length,
    errors: loads.reduce((sum, l) => sum + l.errors, 0),
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
  };
}

/**
 * The people start one after another over the first SETTLE_MS, and only what is sent after it is
 * counted: as in life they are not all in step, and a round does not open with all of them
 * sending their first message in the same millisecond.
 */
const SETTLE_MS = 200;

async function runLoad(
  port: number,
  concurrency: number,
  durationMs: number,
  bodyFor: (user: number, n: number) => string,
  ok: (status: number, body: Buffer) => boolean,
): Promise<Load> {
  // Connections are opened before the clock starts, as a load balancer or a channel's servers
  // keep theirs open: what is measured is turns, not TCP handshakes (which are also slow to
  // accept by the hundred while the same process is generating the load).
  const connections = await Promise.all(Array.from({ length: concurrency }, () => openConnection(port, REQUEST_TIMEOUT_MS)));
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const counted = started + SETTLE_MS;
  const deadline = counted + durationMs;
  const user = async (id: number) => {
    await sleep((id / concurrency) * SETTLE_MS);
    for (let n = 0; performance.now() < deadline; n++) {
      const sentAt = performance.now();
      try {
        const { status, body } = await connections[id]!.post('/api/chat', bodyFor(id, n));
        if (!ok(status, body)) errors++;
        else if (sentAt >= counted) latencies.push(performance.now() - sentAt);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => user(i)));
  const seconds = (performance.now() - counted) / 1000;
  for (const connection of connections) connection.close();
  return { latencies, errors, seconds };
}

// ---------------------------------------------------------------------------------------------
// 1. Ceilings.

/** A session as the bot keeps it after a few turns: the bare turn reads and writes one like it. */
const SAMPLE_SESSION = JSON.stringify({
  v: 1,
  node: 'main.menu',
  lang: 'es',
  profile: { group: 'returned', age: 'under_18' },
  history: ['onboarding.group', 'onboarding.age'],
  updatedAt: FIXED_NOW.getTime(),
} satisfies Session);
const BARE_REPLY = JSON.stringify({ messages: [{ text: 'ok' }] });


/** The least a chat turn can do: parse the body, GET and SET one key, answer a fixed JSON. */
function bareServer(client: RedisClient, prefix: string, ttlSeconds: number): Server {
  return createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString()) as { user?: unknown };
          if (typeof body.user !== 'string') throw new Error('no user');
          const key = `${prefix}:bare:{${body.user}}:session`;
          const previous = await client.get(key);
          await client.set(key, previous ?? SAMPLE_SESSION, { EX: ttlSeconds });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BARE_REPLY) });
          res.end(BARE_REPLY);
        } catch {
          res.writeHead(500);
          res.end();
        }
      })();
    });
  });
}

interface RedisRates {
  concurrency: number;
  sequentialOpsPerSecond: number;
  pipelinedOpsPerSecond: number;
}

/** Raw round trips through the same client: each worker awaits GET then SET, or sends batches. */
async function redisRates(client: RedisClient, prefix: string, concurrency: number, durationMs: number): Promise<RedisRates> {
  const BATCH = 50;
  /** Operations per second while every worker repeats `round` on its own key; `round` says how many it did. */
  const opsPerSecond = async (round: (key: string) => Promise<number>): Promise<number> => {
    let ops = 0;
    const deadline = performance.now() + durationMs;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        const key = `${prefix}:raw:{${w}}`;
        while (performance.now() < deadline) {
          const done = await round(key); // not `ops += await …`: that reads ops before waiting
          ops += done;
        }
      }),
    );
    return ops / ((performance.now() - started) / 1000);
  };
  const sequential = await opsPerSecond(async (key) => {
    await client.get(key);
    await client.set(key, SAMPLE_SESSION);
    return 2;
  });
  const pipelined = await opsPerSecond(async (key) => {
    const batch = client.multi();
    for (let i = 0; i < BATCH / 2; i++) batch.get(key).set(key, SAMPLE_SESSION);
    await batch.execAsPipeline();
    return BATCH;
  });
  return { concurrency, sequentialOpsPerSecond: sequential, pipelinedOpsPerSecond: pipelined };
}

// ---------------------------------------------------------------------------------------------
// 3. The engine alone.

function engineRate(catalog: Catalog, durationMs: number): { turnsPerSecond: number; turns: number } {
  let session: Session | undefined;
  let turns = 0;
  const timestamp = FIXED_NOW.getTime();
  // A short warm-up so the first compile of keyword lists and JIT are not counted.
  for (let i = 0; i < 200; i++) session = step(session, { channel: 'web', user: 'bench', text: SCRIPT[i % SCRIPT.length]!, timestamp }, catalog, FIXED_NOW).session ?? undefined;
  session = undefined;
  const started = performance.now();
  const deadline = started + durationMs;
  while (performance.now() < deadline) {
    for (const text of SCRIPT) {
      session = step(session, { channel: 'web', user: 'bench', text, timestamp }, catalog, FIXED_NOW).session ?? undefined;
      turns++;
    }
  }
  return { turnsPerSecond: turns / ((performance.now() - started) / 1000), turns };
}

// ---------------------------------------------------------------------------------------------
// 4. Understanding.

function evalTexts(): string[] {
  const lines = readFileSync(join(projectRoot, 'test', 'fixtures', 'nlu', 'eval.jsonl'), 'utf8').split('\n');
  const texts: string[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    const parsed = JSON.parse(line) as { text?: unknown };
    if (typeof parsed.text === 'string') texts.push(parsed.text);
  }
  return texts;
}

/** Each word (or phrase, or prefix*) followed by 9 synthetic variants: lists ten times as long. */
function tenfold(keywords: KeywordsFile): { keywords: KeywordsFile; words: number } {
  let words = 0;
  const grow = (list: string[]): string[] =>
    list.flatMap((word) => {
      const star = word.trim().endsWith('*');
      const stem = star ? word.trim().slice(0, -1) : word;
      const variants = [word, ...Array.from({ length: 9 }, (_, i) => `${stem}${'qxzwvkjyh'[i]}${star ? '*' : ''}`)];
      words += variants.length;
      return variants;
    });
  const growAll = <K extends string>(record: Partial<Record<K, Partial<Record<Language, string[]>>>>) => {
    const out: Partial<Record<K, Partial<Record<Language, string[]>>>> = {};
    for (const [name, byLanguage] of Object.entries(record) as [K, Partial<Record<Language, string[]>> | undefined][]) {
      if (!byLanguage) continue;
      const grown: Partial<Record<Language, string[]>> = {};
      for (const [lang, list] of Object.entries(byLanguage) as [Language, string[] | undefined][]) if (list) grown[lang] = grow(list);
      out[name] = grown;
    }
    return out;
  };
  return {
    keywords: { version: 1, intents: growAll(keywords.intents), services: growAll(keywords.services), signals: growAll(keywords.signals) },
    words,
  };
}

function understandLatency(texts: string[], catalog: Pick<Catalog, 'keywords' | 'commands' | 'languageMarkers'>, passes: number): { p50Us: number; p99Us: number; samples: number } {
  for (const text of texts) understand(text, catalog, 'es'); // warm: compile the lists, JIT
  const samples: number[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const text of texts) {
      const t0 = process.hrtime.bigint();
      understand(text, catalog, 'es');
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  const sorted = sortedCopy(samples);
  return { p50Us: percentile(sorted, 50), p99Us: percentile(sorted, 99), samples: samples.length };
}

// ---------------------------------------------------------------------------------------------
// 5. Nearest.

function syntheticCenters(count: number, random: () => number): CenterFile[] {
  const centers: CenterFile[] = [];
  for (let i = 0; i < count; i++) {
    const services = SERVICE_IDS.filter(() => random() < 0.2);
    const groups = GROUPS.filter(() => random() < 0.7);
    centers.push({
      version: 1,
      id: `bench-${i}`,
      kind: CENTER_KINDS[Math.floor(random() * CENTER_KINDS.length)]!,
      name: `Facility ${i}`,
      status: 'open',
      network: false,
      direct_care: true,
      operator: 'bench',
      serves: { groups: groups.length ? groups : ['returned'], ...(random() < 0.2 ? { min_age: 18 } : {}) },
      services: services.length ? services : ['meals'],
      hours: 'unknown',
      location: {
        lat: HONDURAS.latMin + random() * (HONDURAS.latMax - HONDURAS.latMin),
        lon: HONDURAS.lonMin + random() * (HONDURAS.lonMax - HONDURAS.lonMin),
        precision_km: 1,
      },
      texts: {},
      sources: {},
      reviewed: { on: '2026-01-01', by: 'benchmark', next: '2027-01-01' },
    });
  }
  return centers;
}

/** What a program without an index would do: every facility, filtered, measured, best 3 kept. */
function linearNearest(centers: readonly CenterFile[], query: { lat: number; lon: number; service: ServiceId }, limit: number): { center: CenterFile; km: number }[] {
  const best: { center: CenterFile; km: number }[] = [];
  for (const center of centers) {
    if (!center.location || !center.services.includes(query.service) || !accepts(center, {})) continue;
    const km = haversineKm(query, center.location);
    if (best.length < limit || km < best[best.length - 1]!.km) {
      best.push({ center, km });
      best.sort((a, b) => a.km - b.km);
      if (best.length > limit) best.pop();
    }
  }
  return best;
}

interface NearestSize {
  facilities: number;
  index: { p50Us: number; p99Us: number };
  scan: { p50Us: number; p99Us: number };
  speedupP50: number;
  speedupP99: number;
  /** Queries where index and scan found the same nearest facility. */
  agreement: number;
}

function nearestBench(size: number, queries: number, scanQueries: number): NearestSize {
  const random = prng(0x5eed + size);
  const centers = syntheticCenters(size, random);
  const index = buildIndex(centers);
  const service: ServiceId = 'legal_aid';
  const points = Array.from({ length: queries }, () => ({
    lat: HONDURAS.latMin + random() * (HONDURAS.latMax - HONDURAS.latMin),
    lon: HONDURAS.lonMin + random() * (HONDURAS.lonMax - HONDURAS.lonMin),
    service,
  }));
  for (const p of points.slice(0, 100)) nearestCenters(index, { ...p, limit: 3 }); // warm
  const indexTimes: number[] = [];
  const firsts: (string | undefined)[] = [];
  for (const p of points) {
    const t0 = process.hrtime.bigint();
    const found = nearestCenters(index, { ...p, limit: 3 });
    indexTimes.push(Number(process.hrtime.bigint() - t0) / 1000);
    firsts.push(found[0]?.center.id);
  }
  const scanned = points.slice(0, Math.min(scanQueries, points.length));
  for (const p of scanned.slice(0, 5)) linearNearest(centers, p, 3); // warm
  const scanTimes: number[] = [];
  let agree = 0;
  scanned.forEach((p, i) => {
    const t0 = process.hrtime.bigint();
    const found = linearNearest(centers, p, 3);
    scanTimes.push(Number(process.hrtime.bigint() - t0) / 1000);
    if (found[0]?.center.id === firsts[i]) agree++;
  });
  const a = sortedCopy(indexTimes);
  const b = sortedCopy(scanTimes);
  const idx = { p50Us: percentile(a, 50), p99Us: percentile(a, 99) };
  const scan = { p50Us: percentile(b, 50), p99Us: percentile(b, 99) };
  return { facilities: size, index: idx, scan, speedupP50: scan.p50Us / idx.p50Us, speedupP99: scan.p99Us / idx.p99Us, agreement: agree / scanned.length };
}

// ---------------------------------------------------------------------------------------------
// 6. Memory.

/** MEMORY USAGE of each person's key (their session and latest message ids) after a real conversation. */
async function redisMemory(bot: Bot, client: RedisClient, secret: string, prefix: string, people: number, tag: string) {
  const random = prng(42);
  for (let p = 0; p < people; p++) {
    const user = `${tag}-mem-${p}`;
    const turns = 1 + Math.floor(random() * SCRIPT.length * 2);
    for (let t = 0; t < turns; t++) await bot.handle({ channel: 'web', user, messageId: randomBytes(8).toString('hex'), text: SCRIPT[t % SCRIPT.length]!, timestamp: Date.now() });
  }
  let bytes = 0;
  let sessions = 0;
  let jsonBytes = 0;
  for (let p = 0; p < people; p++) {
    const key = redisKey(prefix, userKey(secret, 'web', `${tag}-mem-${p}`));
    const usage = Number(await client.sendCommand(['MEMORY', 'USAGE', key, 'SAMPLES', '0'])) || 0;
    if (!usage) continue;
    sessions++;
    bytes += usage;
    jsonBytes += Buffer.byteLength((await client.get(key)) ?? '');
  }
  return { sessions, bytesPerSession: sessions ? bytes / sessions : 0, jsonBytesPerSession: sessions ? jsonBytes / sessions : 0 };
}

interface RssFigures {
  store: string;
  people: number;
  turnsPerSecond: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  heapUsedAfterBytes: number;
  rssBytesPerPerson: number;
  heapBytesPerPerson: number;
}

/** RSS of a fresh process (bench-rss) before and after many distinct people talked to it. */
async function rssAfterPeople(people: number): Promise<RssFigures> {
  const self = fileURLToPath(import.meta.url);
  const script = join(dirname(self), `bench-rss${extname(self)}`);
  const { stdout } = await execFileAsync(process.execPath, [...process.execArgv, script, String(people)], { cwd: projectRoot, maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as RssFigures;
}

// ---------------------------------------------------------------------------------------------

interface Check {
  name: string;
  value: string;
  target: string;
  pass: boolean;
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const plan = PLANS[options.quick ? 'quick' : 'full'];
  const runStarted = performance.now();
  const progress = (what: string) => process.stderr.write(`[${((performance.now() - runStarted) / 1000).toFixed(1)} s] ${what}\n`);

  let ownRedis: OwnRedis | undefined;
  // Bounded in time whatever happens.
  setTimeout(() => {
    process.stderr.write(`bench: gave up after ${plan.watchdogMs / 1000} s\n`);
    process.exit(1);
  }, plan.watchdogMs).unref();

  let redisUrl: string;
  if (options.redisUrl) redisUrl = options.redisUrl;
  else {
    ownRedis = await OwnRedis.inTempDir('bench', false);
    redisUrl = ownRedis.url;
  }
  const prefix = `bench-${randomBytes(6).toString('hex')}`;
  const config = loadConfig({ ...process.env, REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', CONTENT_WATCH: 'false', HOST: '127.0.0.1', PORT: '0' });
  const ttlSeconds = Math.round(config.SESSION_TTL_DAYS * 24 * 60 * 60);
  const log = createLogger('silent');

  const client = createRedisClient(redisUrl);
  client.on('error', () => undefined);
  await client.connect();
  const info = String(await client.info('server'));
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';

  // 1 and 2. The bare turn and Puente, taking turns in short rounds so that both meet the same
  // machine: on a shared machine a slow second for one would otherwise make the ratio lie.
  progress('turns over HTTP: bare turn and POST /api/chat, in alternating rounds');
  const bare = bareServer(client, prefix, ttlSeconds);
  const barePort = await listenOnLoopback(bare);
  let runtime: Runtime | undefined = await createRuntime(config, log, { limits: false });
  const rt = runtime;
  const appServer = createServer({ bot: rt.bot, catalog: rt.catalog, log, ready: () => rt.store.ready() });
  const appPort = await listenOnLoopback(appServer);

  const run = randomBytes(4).toString('hex');
  // Each round talks with new people, so every round has first turns too, and no message id repeats.
  const body = (tag: string) => (user: number, n: number) => JSON.stringify({ user: `${run}-${tag}-${user}`, messageId: `${n}`, text: SCRIPT[n % SCRIPT.length] });
  // Every answer is checked, on both sides, on its bytes (no decoding: the same small work for
  // both). The bare turn's must be its fixed reply; Puente's must have replies and none of them the
  // "something went wrong" or "no memory" text.
  const bareReply = Buffer.from(BARE_REPLY);
  const bareAnswered = (status: number, answer: Buffer) => status === 200 && answer.equals(bareReply);
  const repliesStart = Buffer.from('{"messages":[{"text":"');
  const failures = ['errors.internal', 'errors.no_memory'].map((key) => Buffer.from(JSON.stringify(rt.catalog().text('es', key)).slice(1, -1)));
  const answered = (status: number, answer: Buffer) =>
    status === 200 && answer.indexOf(repliesStart) === 0 && !failures.some((failure) => answer.includes(failure));

  await runLoad(barePort, 50, plan.warmMs, body('warm-bare'), bareAnswered);
  await runLoad(appPort, 50, plan.warmMs, body('warm-e2e'), answered);
  const bareResults: LoadResult[] = [];
  const e2eResults: LoadResult[] = [];
  for (const c of CONCURRENCIES) {
    const bareLoads: Load[] = [];
    const e2eLoads: Load[] = [];
    for (let round = 0; round < plan.rounds; round++) {
      bareLoads.push(await runLoad(barePort, c, plan.roundMs, body(`bare${c}-${round}`), bareAnswered));
      e2eLoads.push(await runLoad(appPort, c, plan.roundMs, body(`e2e${c}-${round}`), answered));
    }
    bareResults.push(summarize(c, bareLoads));
    e2eResults.push(summarize(c, e2eLoads));
  }
  await closeServer(bare);
  await closeServer(appServer);

  progress('ceiling: raw Redis');
  const redisResults: RedisRates[] = [];
  for (const c of CONCURRENCIES) redisResults.push(await redisRates(client, prefix, c, plan.redisMs));

  // 6a. Bytes per session in Redis, through the same bot.
  progress('memory: bytes per session in Redis');
  const redisMem = await redisMemory(rt.bot, client, config.USER_ID_SECRET, prefix, plan.memorySessions, run);
  await withTimeout(rt.close().catch(() => undefined), 5_000);
  runtime = undefined;

  // 3. Engine alone.
  progress('engine: step() in memory');
  const catalog = loadCatalogOrThrow(projectRoot);
  const engine = engineRate(catalog, plan.engineMs);

  // 4. Understanding.
  progress('understand: eval.jsonl, keyword lists 1× and 10×');
  const texts = evalTexts();
  const understood = understandLatency(texts, catalog, plan.understandPasses);
  const big = tenfold(catalog.keywords);
  const understood10 = understandLatency(texts, { ...catalog, keywords: big.keywords }, plan.understandPasses);

  // 5. Nearest.
  progress('nearest: index against a linear scan');
  const nearest = [10, 10_000, 100_000].map((size) => nearestBench(size, plan.nearestQueries, plan.scanQueries));
  const at100k = nearest[nearest.length - 1]!;

  // 6b. RSS after many people, in-memory store.
  progress(`memory: RSS after ${fmt(plan.rssPeople)} people (in-memory store)`);
  const rss = await rssAfterPeople(plan.rssPeople);

  // Clean up: our keys in a Redis that is not ours, then our Redis.
  if (options.redisUrl) {
    const deleted = await withTimeout(deleteRunKeys(client, prefix).then(() => true), 30_000).catch(() => false);
    if (!deleted) process.stderr.write(`Could not remove the bench's keys (${prefix}:*) from ${redisUrl}.\n`);
  }
  await client.close().catch(() => undefined);
  await ownRedis?.stop();

  // The figures.
  const byConcurrency = CONCURRENCIES.map((c, i) => {
    const b = bareResults[i]!;
    const e = e2eResults[i]!;
    const r = redisResults[i]!;
    return {
      concurrency: c,
      bare: { turns_per_s: b.perSecond, p50_ms: b.p50Ms, p99_ms: b.p99Ms, requests: b.requests, errors: b.errors },
      redis: { sequential_ops_per_s: r.sequentialOpsPerSecond, pipelined_ops_per_s: r.pipelinedOpsPerSecond },
      e2e: { turns_per_s: e.perSecond, p50_ms: e.p50Ms, p99_ms: e.p99Ms, requests: e.requests, errors: e.errors, ratio_to_ceiling: e.perSecond / b.perSecond },
    };
  });
  const top = byConcurrency[byConcurrency.length - 1]!;
  const cpuList = cpus();
  const report = {
    mode: options.quick ? 'quick' : 'full',
    machine: {
      cpu_model: cpuList[0]?.model ?? 'unknown',
      cpu_count: cpuList.length,
      total_memory_bytes: totalmem(),
      node_version: process.version,
      platform: `${process.platform} ${process.arch}`,
      redis_version: redisVersion,
      redis: options.redisUrl ? 'given with --redis-url' : 'own redis-server, no persistence (--save "" --appendonly no)',
    },
    note: 'load generator, servers and Redis client share one Node process; Redis runs on the same machine',
    ceiling: {
      concurrency: top.concurrency,
      bare_turn_per_s: top.bare.turns_per_s,
      bare_turn_p50_ms: top.bare.p50_ms,
      bare_turn_p99_ms: top.bare.p99_ms,
      redis_ops_per_s: top.redis.sequential_ops_per_s,
      redis_pipelined_ops_per_s: top.redis.pipelined_ops_per_s,
    },
    e2e: {
      concurrency: top.concurrency,
      turns_per_s: top.e2e.turns_per_s,
      ratio_to_ceiling: top.e2e.ratio_to_ceiling,
      p50_ms: top.e2e.p50_ms,
      p99_ms: top.e2e.p99_ms,
      errors: top.e2e.errors,
      script: SCRIPT,
    },
    by_concurrency: byConcurrency,
    engine: { turns_per_s: engine.turnsPerSecond, turns: engine.turns },
    understand: {
      messages: texts.length,
      samples: understood.samples,
      p50_us: understood.p50Us,
      p99_us: understood.p99Us,
      keywords_10x: { words: big.words, p50_us: understood10.p50Us, p99_us: understood10.p99Us },
    },
    nearest: {
      facilities: at100k.facilities,
      service_filter: 'legal_aid',
      p50_us: at100k.index.p50Us,
      p99_us: at100k.index.p99Us,
      scan_p50_us: at100k.scan.p50Us,
      scan_p99_us: at100k.scan.p99Us,
      speedup_at_100k: at100k.speedupP50,
      by_size: nearest.map((n) => ({
        facilities: n.facilities,
        index_p50_us: n.index.p50Us,
        index_p99_us: n.index.p99Us,
        scan_p50_us: n.scan.p50Us,
        scan_p99_us: n.scan.p99Us,
        speedup_p50: n.speedupP50,
        speedup_p99: n.speedupP99,
        agreement: n.agreement,
      })),
    },
    memory: {
      bytes_per_session: redisMem.bytesPerSession,
      session_json_bytes: redisMem.jsonBytesPerSession,
      sessions_sampled: redisMem.sessions,
      rss: {
        store: rss.store,
        people: rss.people,
        rss_before_bytes: rss.rssBeforeBytes,
        rss_after_bytes: rss.rssAfterBytes,
        heap_used_after_bytes: rss.heapUsedAfterBytes,
        rss_bytes_per_person: rss.rssBytesPerPerson,
        heap_bytes_per_person: rss.heapBytesPerPerson,
      },
    },
    targets: [] as Check[],
  };
  report.targets = [
    { name: 'e2e ratio to bare turn at 200', value: fmt(report.e2e.ratio_to_ceiling, 2), target: '≥ 0.5', pass: report.e2e.ratio_to_ceiling >= 0.5 },
    { name: 'e2e p99 at 200', value: `${fmt(report.e2e.p99_ms, 1)} ms`, target: '< 50 ms', pass: report.e2e.p99_ms < 50 },
    { name: 'engine turns/s', value: fmt(report.engine.turns_per_s), target: '≥ 20,000', pass: report.engine.turns_per_s >= 20_000 },
    { name: 'understand p99', value: `${fmt(report.understand.p99_us)} µs`, target: '< 1,000 µs', pass: report.understand.p99_us < 1_000 },
    { name: 'understand p99, 10× keywords', value: `${fmt(report.understand.keywords_10x.p99_us)} µs`, target: '< 1,000 µs', pass: report.understand.keywords_10x.p99_us < 1_000 },
    { name: 'nearest p99 at 100k', value: `${fmt(report.nearest.p99_us, 1)} µs`, target: '< 200 µs', pass: report.nearest.p99_us < 200 },
    { name: 'nearest speed-up at 100k (p50)', value: `${fmt(report.nearest.speedup_at_100k)}×`, target: '≥ 50×', pass: report.nearest.speedup_at_100k >= 50 },
    { name: 'Redis bytes per session key', value: `${fmt(report.memory.bytes_per_session)} B`, target: '≤ 1,024 B', pass: report.memory.bytes_per_session <= 1024 },
  ];

  process.stdout.write(table(report, byConcurrency, nearest, (performance.now() - runStarted) / 1000));
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = 0;
  // A keep-alive socket or a timer left behind must not hold the run open.
  setTimeout(() => process.exit(), 2_000).unref();
}

interface TableReport {
  mode: string;
  machine: { cpu_model: string; cpu_count: number; total_memory_bytes: number; node_version: string; redis_version: string; redis: string };
  ceiling: { redis_ops_per_s: number; redis_pipelined_ops_per_s: number };
  engine: { turns_per_s: number };
  understand: { messages: number; p50_us: number; p99_us: number; keywords_10x: { words: number; p50_us: number; p99_us: number } };
  memory: {
    bytes_per_session: number;
    session_json_bytes: number;
    sessions_sampled: number;
    rss: { store: string; people: number; rss_before_bytes: number; rss_after_bytes: number; rss_bytes_per_person: number; heap_bytes_per_person: number };
  };
  targets: Check[];
}

function table(
  report: TableReport,
  byConcurrency: { concurrency: number; bare: { turns_per_s: number; p50_ms: number; p99_ms: number; errors: number }; redis: { sequential_ops_per_s: number; pipelined_ops_per_s: number }; e2e: { turns_per_s: number; p50_ms: number; p99_ms: number; errors: number; ratio_to_ceiling: number } }[],
  nearest: NearestSize[],
  seconds: number,
): string {
  const mib = (bytes: number) => `${fmt(bytes / 1024 / 1024, 1)} MiB`;
  const m = report.machine;
  const lines = [
    `Puente bench (${report.mode}, ${fmt(seconds, 1)} s): ${m.cpu_count} × ${m.cpu_model}, ${mib(m.total_memory_bytes)}, Node ${m.node_version}, Redis ${m.redis_version} (${m.redis})`,
    '',
    'Turns over HTTP (loopback, one process)      bare turn                      POST /api/chat',
    '  people   redis seq ops/s  pipelined ops/s   turns/s    p50 ms   p99 ms     turns/s    p50 ms   p99 ms   ratio  errors',
    ...byConcurrency.map((r) =>
      [
        String(r.concurrency).padStart(8),
        fmt(r.redis.sequential_ops_per_s).padStart(17),
        fmt(r.redis.pipelined_ops_per_s).padStart(16),
        fmt(r.bare.turns_per_s).padStart(9),
        fmt(r.bare.p50_ms, 2).padStart(9),
        fmt(r.bare.p99_ms, 2).padStart(8),
        fmt(r.e2e.turns_per_s).padStart(11),
        fmt(r.e2e.p50_ms, 2).padStart(9),
        fmt(r.e2e.p99_ms, 2).padStart(8),
        fmt(r.e2e.ratio_to_ceiling, 2).padStart(7),
        String(r.e2e.errors + r.bare.errors).padStart(7),
      ].join(' '),
    ),
    '',
    `Engine step() in memory, fixed clock: ${fmt(report.engine.turns_per_s)} turns/s`,
    `understand() over ${report.understand.messages} messages: p50 ${fmt(report.understand.p50_us, 1)} µs, p99 ${fmt(report.understand.p99_us, 1)} µs; ` +
      `10× keyword lists (${fmt(report.understand.keywords_10x.words)} entries): p50 ${fmt(report.understand.keywords_10x.p50_us, 1)} µs, p99 ${fmt(report.understand.keywords_10x.p99_us, 1)} µs`,
    '',
    'Nearest 3 with service legal_aid   index p50 µs  index p99 µs   scan p50 µs   scan p99 µs  speed-up p50  same nearest',
    ...nearest.map((n) =>
      [
        `  ${fmt(n.facilities)} facilities`.padEnd(34),
        fmt(n.index.p50Us, 1).padStart(12),
        fmt(n.index.p99Us, 1).padStart(13),
        fmt(n.scan.p50Us, 1).padStart(13),
        fmt(n.scan.p99Us, 1).padStart(13),
        `${fmt(n.speedupP50, 1)}×`.padStart(13),
        `${fmt(n.agreement * 100)} %`.padStart(13),
      ].join(' '),
    ),
    '',
    `Redis memory over ${report.memory.sessions_sampled} people: ${fmt(report.memory.bytes_per_session)} B per person, their only key ` +
      `(${fmt(report.memory.session_json_bytes)} B of JSON: the session and their latest message ids)`,
    `RSS after ${fmt(report.memory.rss.people)} people (${report.memory.rss.store} store, 2 messages each): ${mib(report.memory.rss.rss_before_bytes)} → ${mib(report.memory.rss.rss_after_bytes)} ` +
      `(${fmt(report.memory.rss.rss_bytes_per_person)} B RSS, ${fmt(report.memory.rss.heap_bytes_per_person)} B heap per person)`,
    '',
    'Targets',
    ...report.targets.map((t) => `  ${t.pass ? '✓' : '✗'} ${t.name.padEnd(34)} ${t.value.padStart(14)}   target ${t.target}`),
  ];
  return `${lines.join('\n')}\n`;
}

main().catch(fail);
