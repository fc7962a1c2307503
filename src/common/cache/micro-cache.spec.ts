import { MicroCache } from './micro-cache';

describe('MicroCache', () => {
  let t = 0;
  const now = () => t;
  const loader = () => {
    let calls = 0;
    const load = () => Promise.resolve(++calls);
    return { load, calls: () => calls };
  };

  beforeEach(() => (t = 0));

  it('reuses a value within the ttl and reloads after it', async () => {
    const cache = new MicroCache<number>(1000, 10, now);
    const l = loader();
    expect(await cache.get('a', l.load)).toBe(1);
    t = 999;
    expect(await cache.get('a', l.load)).toBe(1);
    t = 1000;
    expect(await cache.get('a', l.load)).toBe(2);
  });

  it('shares one load between concurrent misses', async () => {
    const cache = new MicroCache<number>(1000, 10, now);
    const l = loader();
    const [a, b, c] = await Promise.all([
      cache.get('k', l.load),
      cache.get('k', l.load),
      cache.get('k', l.load),
    ]);
    expect([a, b, c, l.calls()]).toEqual([1, 1, 1, 1]);
  });

  it('forgets on invalidate, on a failed load, and when off', async () => {
    const cache = new MicroCache<number>(1000, 10, now);
    const l = loader();
    await cache.get('a', l.load);
    cache.invalidate('a');
    expect(await cache.get('a', l.load)).toBe(2);
    await expect(cache.get('b', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('b', l.load)).toBe(3);
    const off = new MicroCache<number>(0, 10, now);
    await off.get('a', l.load);
    expect(await off.get('a', l.load)).toBe(5);
  });

  it('keeps at most maxEntries keys', async () => {
    const cache = new MicroCache<number>(1000, 2, now);
    const l = loader();
    await cache.get('a', l.load);
    await cache.get('b', l.load);
    await cache.get('c', l.load);
    expect(await cache.get('a', l.load)).toBe(4); // evicted, reloaded
  });
});

describe('MicroCache with staleMs (answers a stale value while one reload runs)', () => {
  let t = 0;
  const now = () => t;
  const flush = () => new Promise((r) => setImmediate(r));

  beforeEach(() => (t = 0));

  it('answers the stale value at once, reloads once, then answers the new one', async () => {
    const cache = new MicroCache<number>(1000, 10, now, 5000);
    let calls = 0;
    let release!: () => void;
    const slow = () => {
      calls++;
      return calls === 1 ? Promise.resolve(1) : new Promise<number>((r) => (release = () => r(calls)));
    };
    expect(await cache.get('a', slow)).toBe(1);
    t = 1500;
    expect(await cache.get('a', slow)).toBe(1);
    expect(await cache.get('a', slow)).toBe(1);
    expect(calls).toBe(2); // one reload for both callers
    release();
    await flush();
    expect(await cache.get('a', slow)).toBe(2);
  });

  it('does not answer a value older than ttl + staleMs, nor one invalidated meanwhile', async () => {
    const cache = new MicroCache<number>(1000, 10, now, 5000);
    let calls = 0;
    const load = () => Promise.resolve(++calls);
    expect(await cache.get('a', load)).toBe(1);
    t = 6000;
    expect(await cache.get('a', load)).toBe(2); // too old: waited for the load
    t = 7500;
    let release!: (v: number) => void;
    expect(await cache.get('a', () => new Promise<number>((r) => (release = r)))).toBe(2); // stale, reload started
    cache.invalidate('a');
    release(99);
    await flush();
    expect(await cache.get('a', load)).toBe(3); // the reload begun before the change is not kept
  });

  it('keeps the stale value when the reload fails, and tries again on the next call', async () => {
    const cache = new MicroCache<number>(1000, 10, now, 5000);
    expect(await cache.get('a', () => Promise.resolve(1))).toBe(1);
    t = 1500;
    let calls = 0;
    const failing = () => (calls++, Promise.reject(new Error('db down')));
    expect(await cache.get('a', failing)).toBe(1);
    await flush();
    expect(await cache.get('a', failing)).toBe(1);
    expect(calls).toBe(2);
  });
});
