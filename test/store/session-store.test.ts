// The same behaviour is required of both stores; the Redis one runs against a real server.
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import type { Session } from '../../src/engine/session.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { RedisStore, redisKey } from '../../src/store/redis-store.js';
import type { SessionStore } from '../../src/store/session-store.js';

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

describe.each(Object.keys(implementations))('%s session store', (name) => {
  let h: Harness;
  beforeEach(async () => (h = await implementations[name]!(2)));
  afterEach(() => h.close());

  test('keeps a session and gives back an equal copy', async () => {
    await h.store.set('alice', session('main.menu'));
    const got = await h.store.get('alice');
    expect(got).toEqual(session('main.menu'));
    got!.profile.group = 'returned';
    expect((await h.store.get('alice'))?.profile.group).toBe('transit');
    expect(await h.store.get('bob')).toBeUndefined();
  });

  test('forgets a session after the time to live', async () => {
    await h.store.set('alice', session('main.menu'));
    await h.advance(2.4);
    expect(await h.store.get('alice')).toBeUndefined();
  });

  test('a new message resets the time to live', async () => {
    await h.store.set('alice', session('main.menu'));
    await h.advance(1.2);
    await h.store.set('alice', session('main.about'));
    await h.advance(1.2);
    expect((await h.store.get('alice'))?.node).toBe('main.about');
  });

  test('recognizes a message id delivered twice, per person', async () => {
    expect(await h.store.markSeen('alice', 'm1')).toBe(true);
    expect(await h.store.markSeen('alice', 'm1')).toBe(false);
    expect(await h.store.markSeen('alice', 'm2')).toBe(true);
    expect(await h.store.markSeen('bob', 'm1')).toBe(true);
  });

  test('delete removes the session and the seen message ids', async () => {
    await h.store.set('alice', session('main.menu'));
    await h.store.markSeen('alice', 'm1');
    await h.store.set('bob', session('main.menu'));
    await h.store.delete('alice');
    expect(await h.store.get('alice')).toBeUndefined();
    expect(await h.store.markSeen('alice', 'm1')).toBe(true);
    expect(await h.store.get('bob')).toBeDefined();
  });

  test('a stored value that is not a valid session counts as no session', async () => {
    await h.store.set('alice', { ...session('x'), v: 2 } as unknown as Session);
    expect(await h.store.get('alice')).toBeUndefined();
  });

  test('reports ready', () => {
    expect(h.store.ready()).toBe(true);
  });
});

describe('redis store', () => {
  test('keeps all keys of one person in one cluster slot, with no clear id in them', () => {
    const keys = (['session', 'seen'] as const).map((kind) => redisKey('puente', 'aBc123', kind));
    expect(keys).toEqual(['puente:{aBc123}:session', 'puente:{aBc123}:seen']);
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
    await store.set('x'.repeat(22), full);
    const bytes = await admin.memoryUsage(redisKey(prefix, 'x'.repeat(22), 'session'));
    console.log(`session: ${JSON.stringify(full).length} bytes of JSON, ${bytes} bytes in Redis`);
    expect(bytes).toBeLessThan(1024);
    await admin.del(redisKey(prefix, 'x'.repeat(22), 'session'));
    await admin.close();
    await store.close();
  });
});
