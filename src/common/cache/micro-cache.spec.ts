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
