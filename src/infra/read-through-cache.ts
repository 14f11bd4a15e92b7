/**
 * A small in-process cache for read paths whose source publishes change events: an entry is
 * dropped as soon as its key's change is announced (`invalidate`), and in any case after `maxAgeMs`,
 * which bounds staleness should an event be missed. Concurrent misses for one key share one load,
 * and a load that an invalidation overtook is handed to its callers but not kept, so an answer read
 * before a change can never outlive the change's event.
 *
 * When full, the entry loaded longest ago goes first: it is also the next to expire. (Keeping a
 * least-recently-used order instead would mean re-inserting into the Map on every hit, and V8 makes
 * that cost time proportional to the Map's size: ~25 µs per hit at 10,000 entries.)
 */
export interface ReadThroughCacheOptions<V> {
  clock: () => number;
  maxAgeMs: number;
  maxEntries: number;
  /** With `maxWeight`: bounds the sum of `weigh(value)` (e.g. characters) over all entries. */
  weigh?: (value: V) => number;
  maxWeight?: number;
}

/** A full cache is trimmed to this share of its bounds. */
const EVICTION_GOAL = 0.9;

export class ReadThroughCache<V> {
  private readonly entries = new Map<string, { value: V; loadedAt: number; weight: number }>();
  private readonly loading = new Map<string, Promise<V | undefined>>();
  private totalWeight = 0;

  constructor(private readonly options: ReadThroughCacheOptions<V>) {}

  /** The cached value, or `load()`'s; an `undefined` result (nothing there yet) is not kept. */
  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const entry = this.entries.get(key);
    if (entry) {
      if (this.options.clock() - entry.loadedAt < this.options.maxAgeMs) return Promise.resolve(entry.value);
      this.forget(key);
    }
    return this.loading.get(key) ?? this.load(key, load);
  }

  invalidate(key: string): void {
    this.forget(key);
    this.loading.delete(key);
  }

  private load(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const loadedAt = this.options.clock();
    const loading: Promise<V | undefined> = load().then(
      (value) => {
        if (this.loading.get(key) === loading) {
          this.loading.delete(key);
          if (value !== undefined) this.remember(key, value, loadedAt);
        }
        return value;
      },
      (err: unknown) => {
        if (this.loading.get(key) === loading) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, loading);
    return loading;
  }

  private remember(key: string, value: V, loadedAt: number): void {
    const weight = this.options.weigh?.(value) ?? 0;
    this.forget(key);
    this.entries.set(key, { value, loadedAt, weight });
    this.totalWeight += weight;
    if (this.entries.size > this.options.maxEntries || this.totalWeight > this.maxWeight) this.evictOldest();
  }

  private get maxWeight(): number {
    return this.options.maxWeight ?? Infinity;
  }

  /**
   * Frees a tenth of the room in one pass, oldest first, keeping at least the newest entry. Evicting
   * a single entry per load would walk, every time, the holes that earlier deletions left at the
   * front of the Map (until V8 compacts it).
   */
  private evictOldest(): void {
    const entriesGoal = Math.floor(this.options.maxEntries * EVICTION_GOAL);
    const weightGoal = this.maxWeight * EVICTION_GOAL;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= entriesGoal && this.totalWeight <= weightGoal)) return;
      this.entries.delete(key);
      this.totalWeight -= entry.weight;
    }
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalWeight -= entry.weight;
  }
}
