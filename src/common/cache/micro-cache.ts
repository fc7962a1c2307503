/**
 * A very short-lived cache for hot read paths (the alert detail polled by many screens): a value is reused
 * for `ttlMs`, and concurrent misses for one key share one load. Staleness is bounded by `ttlMs`; writes in
 * this process call `invalidate`. A ttl of 0 turns it off.
 *
 * With `staleMs`, a value past its ttl but younger than ttl + staleMs is still answered while one reload runs
 * behind it: under load a reload slower than the ttl otherwise held every caller of the key for the whole reload
 * (seconds of queueing at 200 connections). Staleness is then bounded by ttl + staleMs; `invalidate` still forgets
 * at once, so a change made here never answers an older value.
 */
export class MicroCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T>; ready?: { value: T } }>();
  private readonly reloading = new Set<string>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
    private readonly now: () => number = () => performance.now(),
    private readonly staleMs = 0,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const hit = this.entries.get(key);
    const age = hit ? this.now() - hit.at : Infinity;
    if (hit && age < this.ttlMs) return hit.value;
    if (hit?.ready && age < this.ttlMs + this.staleMs) {
      if (!this.reloading.has(key)) this.reload(key, hit, load);
      return Promise.resolve(hit.ready.value);
    }
    return this.start(key, load);
  }

  invalidate(key?: string): void {
    if (key === undefined) {
      this.entries.clear();
      this.reloading.clear();
    } else {
      this.entries.delete(key);
      this.reloading.delete(key);
    }
  }

  private start(key: string, load: () => Promise<T>): Promise<T> {
    const value = load();
    const entry: { at: number; value: Promise<T>; ready?: { value: T } } = { at: this.now(), value };
    this.entries.set(key, entry);
    value.then(
      (v) => (entry.ready = { value: v }),
      // A failed load is not remembered: the next caller tries again.
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** One reload behind a stale value; it replaces the entry only if nothing invalidated the key meanwhile. */
  private reload(key: string, stale: object, load: () => Promise<T>): void {
    this.reloading.add(key);
    const started = this.now();
    load().then(
      (v) => {
        if (!this.reloading.delete(key) || this.entries.get(key) !== stale) return;
        this.entries.set(key, { at: started, value: Promise.resolve(v), ready: { value: v } });
      },
      () => this.reloading.delete(key),
    );
  }
}
