import { describe, expect, it } from 'vitest';
import { ReadThroughCache } from '../../src/infra/read-through-cache.js';

function cache(options: { maxEntries?: number; maxWeight?: number } = {}) {
  let now = 0;
  const loads: string[] = [];
  const store = new Map<string, string>();
  const reads = new ReadThroughCache<string>({
    clock: () => now,
    maxAgeMs: 1000,
    maxEntries: options.maxEntries ?? 100,
    weigh: (value) => value.length,
    maxWeight: options.maxWeight,
  });
  const get = (key: string) =>
    reads.get(key, async () => {
      loads.push(key);
      return store.get(key);
    });
  return { reads, get, loads, store, advance: (ms: number) => (now += ms) };
}

describe('ReadThroughCache', () => {
  it('answers from memory until the maximum age, then reads again', async () => {
    const c = cache();
    c.store.set('room', 'v1');
    expect(await c.get('room')).toBe('v1');
    c.store.set('room', 'v2');
    c.advance(999);
    expect(await c.get('room')).toBe('v1');
    c.advance(1);
    expect(await c.get('room')).toBe('v2');
    expect(c.loads).toEqual(['room', 'room']);
  });

  it('reads again at once after an invalidation, and never keeps a missing value', async () => {
    const c = cache();
    expect(await c.get('room')).toBeUndefined();
    c.store.set('room', 'v1');
    expect(await c.get('room')).toBe('v1');
    c.store.set('room', 'v2');
    c.reads.invalidate('room');
    expect(await c.get('room')).toBe('v2');
    expect(c.loads).toEqual(['room', 'room', 'room']);
  });

  it('shares one load between concurrent misses', async () => {
    const c = cache();
    c.store.set('room', 'v1');
    expect(await Promise.all([c.get('room'), c.get('room'), c.get('room')])).toEqual(['v1', 'v1', 'v1']);
    expect(c.loads).toEqual(['room']);
  });

  it('does not keep a load that an invalidation overtook', async () => {
    const c = cache();
    c.store.set('room', 'old');
    const inFlight = c.get('room');
    c.store.set('room', 'new');
    c.reads.invalidate('room');
    expect(await inFlight).toBe('old');
    expect(await c.get('room')).toBe('new');
  });

  it('when full, drops the entries loaded longest ago, however often they were read', async () => {
    const c = cache({ maxEntries: 10 });
    for (let i = 0; i < 10; i++) c.store.set(`k${i}`, 'v');
    for (let i = 0; i < 10; i++) await c.get(`k${i}`);
    for (let i = 0; i < 5; i++) await c.get('k0');
    c.store.set('k10', 'v');
    await c.get('k10');
    c.loads.length = 0;
    // Trimmed to 9 of 10: k0 (despite its reads) and k1 went, the rest stayed.
    for (const key of ['k2', 'k9', 'k10', 'k1', 'k0']) await c.get(key);
    expect(c.loads).toEqual(['k1', 'k0']);
  });

  it('keeps the total weight under its bound but always keeps the newest entry', async () => {
    const c = cache({ maxWeight: 10 });
    c.store.set('a', 'xxxx');
    c.store.set('b', 'xxxx');
    c.store.set('huge', 'x'.repeat(50));
    await c.get('a');
    await c.get('b');
    await c.get('huge');
    c.loads.length = 0;
    await c.get('huge');
    await c.get('a');
    expect(c.loads).toEqual(['a']);
  });
});
