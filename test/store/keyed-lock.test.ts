import { KeyedLock } from '../../src/store/keyed-lock.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('tasks of one key run one after the other, in order; other keys do not wait', async () => {
  const lock = new KeyedLock();
  const events: string[] = [];
  const task = (name: string) => async () => {
    events.push(`${name} start`);
    await tick();
    events.push(`${name} end`);
    return name;
  };
  const results = await Promise.all([lock.run('a', task('a1')), lock.run('a', task('a2')), lock.run('b', task('b1'))]);
  expect(results).toEqual(['a1', 'a2', 'b1']);
  expect(events.indexOf('a1 end')).toBeLessThan(events.indexOf('a2 start'));
  expect(events.indexOf('b1 start')).toBeLessThan(events.indexOf('a1 end'));
});

test('a failing task, even one that throws before its first await, does not block the next', async () => {
  const lock = new KeyedLock();
  const throwsAtOnce = (() => {
    throw new Error('at once');
  }) as () => Promise<never>;
  const first = lock.run('a', throwsAtOnce);
  const second = lock.run('a', async () => {
    throw new Error('later');
  });
  const third = lock.run('a', async () => 'ran');
  await expect(first).rejects.toThrow('at once');
  await expect(second).rejects.toThrow('later');
  expect(await third).toBe('ran');
});

test('keeps nothing once every task is done', async () => {
  const lock = new KeyedLock();
  await Promise.all(Array.from({ length: 50 }, (_, i) => lock.run(`k${i % 5}`, async () => tick())));
  await tick();
  expect((lock as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
});
