// Two real bot processes behind one Redis, as behind a load balancer: one person's messages
// arriving at both at once are taken one after the other and no update is lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const prefix = `t-${randomUUID().slice(0, 8)}`;
const servers: ChildProcess[] = [];

async function startServer(): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REDIS_URL: inject('redisUrl'), REDIS_PREFIX: prefix, USER_ID_SECRET: 'shared-secret-of-both-processes', LOG_LEVEL: 'silent', CONTENT_WATCH: 'false', BOTFRAMEWORK: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/http:\/\/localhost:(\d+)\//);
      if (match) resolve(`http://127.0.0.1:${match[1]}/api/chat`);
    });
    child.on('exit', () => reject(new Error(`server exited early:\n${out}`)));
  });
}

afterAll(() => servers.forEach((s) => s.kill('SIGTERM')));

test('one person, two processes, simultaneous messages: both taken in order', async () => {
  const [a, b] = await Promise.all([startServer(), startServer()]);
  const say = (url: string, user: string, text: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) }).then(async (r) => (await r.json()) as { messages: { text: string }[] });
  for (let round = 0; round < 5; round++) {
    const user = `two-${round}`;
    await say(a, user, 'hola');
    // The profile question is answered twice at once, once through each process. Taken in order,
    // the first "1" picks the group and shows the age question, the second picks the age and shows
    // the main menu; a lost update would show the age question twice.
    const answers = await Promise.all([say(a, user, '1'), say(b, user, '1')]);
    const lasts = answers.map((r) => r.messages.at(-1)?.text ?? '');
    expect(lasts.filter((t) => /Qué edad tienes/.test(t))).toHaveLength(1);
    expect(lasts.filter((t) => /En qué te puedo ayudar/.test(t))).toHaveLength(1);
  }
});
