// Tests talk to a real Redis. Use TEST_REDIS_URL, else the local default; when none answers and
// redis-server is installed, start a private one for this run.
import type { TestProject } from 'vitest/node';
import { OwnRedis, redisAnswers } from '../../src/cli/local-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let own: OwnRedis | undefined;
  if (!(await redisAnswers(url))) {
    own = await OwnRedis.inTempDir('test-redis', false);
    url = own.url;
  }
  project.provide('redisUrl', url);
  return async () => {
    await own?.stop();
  };
}
