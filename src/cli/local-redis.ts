// Tools shared by the load runs (npm run soak, npm run bench): a private redis-server on a free
// loopback port, a check that a given Redis is on this machine, listening on loopback,
// removing a run's keys, percentiles and timeouts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import type { RedisClient } from '../store/redis-store.js';
import { usage } from './options.js';

const REDIS_START_TIMEOUT_MS = 15_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Exits with a usage message unless the URL is a redis:// URL on this machine. */
export function requireLoopbackRedis(redisUrl: string, tool: string): void {
  let host: string;
  try {
    const url = new URL(redisUrl);
    if (url.protocol !== 'redis:') throw new Error('not redis');
    host = url.hostname;
  } catch {
    usage('--redis-url must look like redis://127.0.0.1:6379');
  }
  if (!LOOPBACK_HOSTS.has(host)) usage(`--redis-url must point at this machine (127.0.0.1, localhost or ::1): ${tool} stays on loopback`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts an HTTP server on a free loopback port and gives the port. */
export function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** True when a Redis at url answers PING (not while it is still loading its data). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1_000 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) await client.close().catch(() => undefined);
  }
}

/**
 * A private redis-server. `persistent`: keep every acknowledged write (append-only file, fsync
 * always), so a restart finds them; otherwise nothing is kept, as a cache-like store would run.
 */
export class OwnRedis {
  private child: ChildProcess | undefined;
  private output = '';
  readonly url: string;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly persistent: boolean,
  ) {
    this.url = `redis://127.0.0.1:${port}`;
  }

  /**
   * Started on a free port in a new folder of its own. stop() ends it and removes the folder; so
   * does the end of the process, whatever ends it.
   */
  static async inTempDir(name: string, persistent: boolean): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort(), mkdtempSync(join(tmpdir(), `puente-${name}-`)), persistent);
    process.on('exit', () => redis.removeNow());
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    const persistence = this.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', ...persistence];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer) => void (this.output = (this.output + chunk.toString()).slice(-4_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let spawnError: Error | undefined;
    child.on('error', (error) => void (spawnError = error));
    const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (spawnError) throw new Error(`could not start redis-server (is it installed and on PATH?): ${spawnError.message}`);
      if (child.exitCode !== null) throw new Error(`redis-server exited at start (status ${child.exitCode}):\n${this.output}`);
      if (await redisAnswers(this.url)) return;
      await sleep(100);
    }
    throw new Error(`redis-server did not answer within ${REDIS_START_TIMEOUT_MS} ms:\n${this.output}`);
  }

  /** SIGKILL: no chance to save anything more than what the append-only file already has. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** For process exit: no waiting possible. */
  private removeNow(): void {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Removes a run's keys (`prefix:*`) from a Redis that is not the run's own. */
export async function deleteRunKeys(client: RedisClient, prefix: string): Promise<void> {
  for await (const batch of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
    if (batch.length) await client.del(batch);
  }
}

/** The p-th percentile of an ascending list (nearest rank); 0 for an empty list. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** The promise's value, or undefined when it takes longer than ms. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
