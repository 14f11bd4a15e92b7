import { describe, expect, it } from 'vitest';
import { WriteBatcher } from '../../src/infra/write-batcher.js';

/** A fake store: numbers rows as they land, and fails a whole write holding a row marked bad. */
function fakeStore() {
  const stored: string[] = [];
  const writes: string[][] = [];
  const write = async (rows: string[]) => {
    writes.push(rows);
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (rows.some((row) => row.startsWith('bad'))) throw new Error(`bad row in ${rows.join(',')}`);
    return rows.map((row) => stored.push(row));
  };
  return { stored, writes, write };
}

describe('WriteBatcher', () => {
  it('writes concurrent items together and gives each caller its own result', async () => {
    const store = fakeStore();
    const batcher = new WriteBatcher({ write: store.write, maxBatch: 100 });
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map((row) => batcher.submit(row)));
    expect(store.writes).toEqual([['a', 'b', 'c', 'd']]);
    expect(ids).toEqual([1, 2, 3, 4]);
  });

  it('items arriving during a write go in the next one, never more than maxBatch at once', async () => {
    const store = fakeStore();
    const batcher = new WriteBatcher({ write: store.write, maxBatch: 2 });
    const first = ['a', 'b', 'c'].map((row) => batcher.submit(row));
    await new Promise((resolve) => setImmediate(resolve));
    const late = batcher.submit('d');
    expect(await Promise.all([...first, late])).toEqual([1, 2, 3, 4]);
    expect(store.writes).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('a failing write fails only the bad item: every other caller gets its row stored exactly once', async () => {
    const store = fakeStore();
    const batcher = new WriteBatcher({ write: store.write, maxBatch: 100 });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((row) => batcher.submit(row)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(store.stored).toEqual(['a', 'c']);
    expect(results[0]).toEqual({ status: 'fulfilled', value: 1 });
    expect(results[2]).toEqual({ status: 'fulfilled', value: 2 });
    // The batcher carries on afterwards.
    expect(await batcher.submit('e')).toBe(3);
  });
});
