// Tests talk to a real Redis. Use TEST_REDIS_URL, else the local default; when none answers and
// redis-server is installed, start a private one for this run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, OwnRedis, redisAnswers } from '../../src/cli/local-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let own: OwnRedis | undefined;
  if (!(await redisAnswers(url))) {
    own = new OwnRedis(await freePort(), mkdtempSync(join(tmpdir(), 'puente-test-redis-')), false);
    await own.start();
    url = own.url;
  }
  project.provide('redisUrl', url);
  return async () => {
    await own?.kill();
  };
}
