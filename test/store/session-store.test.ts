// The same behaviour is required of both stores; the Redis one runs against a real server.
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { Session } from '../../src/engine/session.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore, redisKey } from '../../src/store/redis-store.js';
import { decodeSession, planTurn, SEEN_KEPT, type SessionStore } from '../../src/store/session-store.js';

const session = (node: string): Session => ({ v: 1, node, lang: 'pt', profile: { group: 'transit' }, history: ['main.menu'], updatedAt: 1 });

interface Harness {
  store: SessionStore;
  /** Moves time forward by this many seconds, as the store sees it. */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

const redisUrl = inject('redisUrl');

const implementations: Record<string, (ttlSeconds: number) => Promise<Harness>> = {
  memory: async (ttl) => {
    let now = Date.now();
    const store = new MemoryStore(ttl, () => now);
    return { store, advance: async (s) => void (now += s * 1000), close: () => store.close() };
  },
  redis: async (ttl) => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const store = await RedisStore.connect(redisUrl, prefix, ttl, () => undefined);
    const admin = createClient({ url: redisUrl });
    await admin.connect();
    return {
      store,
      // Redis keeps real time; waiting is how expiry is proven against the real server.
      advance: (s) => new Promise((resolve) => setTimeout(resolve, s * 1000 + 200)),
      close: async () => {
        for await (const keys of admin.scanIterator({ MATCH: `${prefix}:*` })) if (keys.length) await admin.del(keys);
        await admin.close();
        await store.close();
      },
    };
  },
};

/** Keeps a session for a person, as a turn that decides it. */
const save = (store: SessionStore, user: string, next: Session | null, messageId?: string) => store.turn(user, messageId, () => ({ next, value: undefined }));

test('two turns deciding the same session from the same read write different values, so a write can tell itself from another', () => {
  const decide = () => ({ next: session('main.about'), value: undefined });
  const [first, second] = [planTurn('', undefined, decide), planTurn('', undefined, decide)];
  if (first.duplicate || second.duplicate) throw new Error('not a retry');
  expect(first.write).not.toBe(second.write);
  expect(decodeSession(first.write)).toEqual(decodeSession(second.write));
  expect(decodeSession(first.write)).toEqual(session('main.about'));
});

describe.each(Object.keys(implementations))('%s session store', (name) => {
  let h: Harness;
  beforeEach(async () => (h = await implementations[name]!(2)));
  afterEach(() => h.close());

  test('keeps a session and gives back an equal copy', async () => {
    await save(h.store, 'alice', session('main.menu'));
    const got = await h.store.get('alice');
    expect(got).toEqual(session('main.menu'));
    got!.profile.group = 'returned';
    expect((await h.store.get('alice'))?.profile.group).toBe('transit');
    expect(await h.store.get('bob')).toBeUndefined();
  });

  test('a turn sees the session the previous turn kept, and what it returns comes back', async () => {
    await save(h.store, 'alice', session('main.menu'));
    const done = await h.store.turn('alice', 'm1', (seen) => ({ next: session('main.about'), value: seen?.node }));
    expect(done).toEqual({ value: 'main.menu' });
    expect((await h.store.get('alice'))?.node).toBe('main.about');
  });

  test('forgets a session after the time to live', async () => {
    await save(h.store, 'alice', session('main.menu'));
    await h.advance(2.4);
    expect(await h.store.get('alice')).toBeUndefined();
  });

  test('a new message resets the time to live', async () => {
    await save(h.store, 'alice', session('main.menu'));
    await h.advance(1.2);
    await save(h.store, 'alice', session('main.about'));
    await h.advance(1.2);
    expect((await h.store.get('alice'))?.node).toBe('main.about');
  });

  test('a message id delivered twice is one turn, per person', async () => {
    const runs: string[] = [];
    const turn = (user: string, id: string) => h.store.turn(user, id, () => (runs.push(`${user}/${id}`), { next: session('main.menu'), value: id }));
    expect(await turn('alice', 'm1')).toEqual({ value: 'm1' });
    expect(await turn('alice', 'm1')).toBeUndefined();
    expect(await turn('alice', 'm2')).toEqual({ value: 'm2' });
    expect(await turn('bob', 'm1')).toEqual({ value: 'm1' });
    expect(runs).toEqual(['alice/m1', 'alice/m2', 'bob/m1']);
  });

  test('a turn that decides null forgets the session and the seen message ids', async () => {
    await save(h.store, 'alice', session('main.menu'), 'm1');
    await save(h.store, 'bob', session('main.menu'));
    await save(h.store, 'alice', null, 'm2');
    expect(await h.store.get('alice')).toBeUndefined();
    expect(await save(h.store, 'alice', session('main.menu'), 'm1')).toEqual({ value: undefined });
    expect(await h.store.get('bob')).toBeDefined();
  });

  test('only the latest message ids are remembered: a retry of a much older message is a new turn', async () => {
    const turn = (id: string) => h.store.turn('alice', id, () => ({ next: session('main.menu'), value: id }));
    for (let i = 0; i <= SEEN_KEPT; i++) await turn(`m${i}`);
    expect(await turn(`m${SEEN_KEPT}`)).toBeUndefined();
    expect(await turn('m1')).toBeUndefined();
    expect(await turn('m0')).toEqual({ value: 'm0' });
  });

  test('turns of one person arriving together run one after the other', async () => {
    await save(h.store, 'alice', { ...session('main.menu'), updatedAt: 0 });
    const count = (id: number) => h.store.turn('alice', `c${id}`, (seen) => ({ next: { ...seen!, updatedAt: seen!.updatedAt + 1 }, value: undefined }));
    await Promise.all(Array.from({ length: 20 }, (_, i) => count(i)));
    expect((await h.store.get('alice'))?.updatedAt).toBe(20);
  });

  test('a turn that fails keeps nothing and does not block the next one', async () => {
    await save(h.store, 'alice', session('main.menu'));
    const failing = h.store.turn('alice', 'f1', () => {
      throw new Error('step failed');
    });
    await expect(failing).rejects.toThrow('step failed');
    expect((await h.store.get('alice'))?.node).toBe('main.menu');
    expect(await save(h.store, 'alice', session('main.about'), 'f2')).toEqual({ value: undefined });
    expect((await h.store.get('alice'))?.node).toBe('main.about');
  });

  test('a stored value that is not a valid session counts as no session', async () => {
    await save(h.store, 'alice', { ...session('x'), v: 2 } as unknown as Session);
    expect(await h.store.get('alice')).toBeUndefined();
  });

  test('reports ready', () => {
    expect(h.store.ready()).toBe(true);
  });
});

describe('redis store', () => {
  const stores: RedisStore[] = [];
  let admin: ReturnType<typeof createClient>;
  beforeAll(async () => {
    admin = createClient({ url: redisUrl });
    await admin.connect();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await admin.close();
  });
  const storeOn = async (prefix: string) => {
    const store = await RedisStore.connect(redisUrl, prefix, 60, () => undefined);
    stores.push(store);
    return store;
  };

  test('two stores on one Redis (two processes) take turns of one person one after the other', async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const [a, b] = [await storeOn(prefix), await storeOn(prefix)];
    await save(a, 'alice', { ...session('main.menu'), updatedAt: 0 });
    const count = (store: SessionStore, id: number) => store.turn('alice', `c${id}`, (seen) => ({ next: { ...seen!, updatedAt: seen!.updatedAt + 1 }, value: undefined }));
    await Promise.all(Array.from({ length: 20 }, (_, i) => count(i % 2 ? a : b, i)));
    expect((await a.get('alice'))?.updatedAt).toBe(20);
  });

  test('a turn whose session another process changed after it was read is decided again on the new one', async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const store = await storeOn(prefix);
    await save(store, 'alice', session('main.menu'));
    await save(store, 'bob', session('main.rights'));
    const bobs = (await admin.get(redisKey(prefix, 'bob')))!;
    const seen: string[] = [];
    const done = await store.turn('alice', 'm1', (current) => {
      seen.push(current!.node);
      // Another process's write, landing between this turn's read and its write (same
      // connection, so it reaches Redis first).
      if (seen.length === 1) void store.client.set(redisKey(prefix, 'alice'), bobs);
      return { next: { ...current!, node: `${current!.node}.next` }, value: current!.node };
    });
    expect(seen).toEqual(['main.menu', 'main.rights']);
    expect(done).toEqual({ value: 'main.rights' });
    expect((await store.get('alice'))?.node).toBe('main.rights.next');
  });

  test('a person is one key, holding no message id in clear, and nothing else is left after a duplicate or a failure', async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const store = await storeOn(prefix);
    const whatsappId = 'wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUI';
    await save(store, 'alice', session('main.menu'), whatsappId);
    expect(await save(store, 'alice', session('main.about'), whatsappId)).toBeUndefined();
    await expect(store.turn('alice', 'm2', () => { throw new Error('step failed'); })).rejects.toThrow();
    const keys: string[] = [];
    for await (const batch of admin.scanIterator({ MATCH: `${prefix}:*` })) keys.push(...batch);
    expect(keys).toEqual([`${prefix}:{alice}:session`]);
    expect(await admin.get(keys[0]!)).not.toContain('MTY1MDU1NTEyMzQ');
    expect((await store.get('alice'))?.node).toBe('main.menu');
  });

  test('works on after Redis forgets its scripts (a restart, SCRIPT FLUSH)', async () => {
    const store = await storeOn(`test-${randomUUID().slice(0, 8)}`);
    await save(store, 'alice', session('main.menu'), 'm1');
    await admin.scriptFlush();
    expect(await store.turn('alice', 'm2', (seen) => ({ next: session('main.about'), value: seen?.node }))).toEqual({ value: 'main.menu' });
    expect((await store.get('alice'))?.node).toBe('main.about');
  });

  test('a session after a long conversation stays small in Redis (MEMORY USAGE)', async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}`;
    const store = await RedisStore.connect(redisUrl, prefix, 60, () => undefined);
    const admin = createClient({ url: redisUrl });
    await admin.connect();
    const full: Session = {
      v: 1,
      node: 'start.profile_group',
      lang: 'ht',
      profile: { group: 'returned', age: 'under_18' },
      history: Array.from({ length: 8 }, () => 'start.profile_group'),
      updatedAt: Date.now(),
    };
    // With the most message ids a person's key ever holds.
    for (let i = 0; i < SEEN_KEPT; i++) await save(store, 'x'.repeat(22), full, `wamid.${'A'.repeat(60)}${i}`);
    const bytes = await admin.memoryUsage(redisKey(prefix, 'x'.repeat(22)));
    console.log(`session: ${JSON.stringify(full).length} bytes of JSON, ${bytes} bytes in Redis with ${SEEN_KEPT} message ids`);
    expect(bytes).toBeLessThan(1024);
    await admin.del(redisKey(prefix, 'x'.repeat(22)));
    await admin.close();
    await store.close();
  });
});
