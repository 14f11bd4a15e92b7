/**
 * Group commit for small, independent inserts: each caller submits one item and awaits its own
 * result; the items waiting when a write starts go to the database together, in one transaction.
 * Under load, items arriving while a batch is being written make up the next batch; an item that
 * arrives alone is written on the next turn of the event loop, with no waiting window.
 *
 * One batch is in flight at a time, so results (ids) come back in submission order batch after
 * batch. A batch that fails is written again item by item, so one bad item fails only its own
 * caller and every other caller still gets its row stored exactly once (the failed batch wrote
 * nothing: it was one transaction).
 */
export interface WriteBatcherOptions<T, R> {
  /** Writes the items in one transaction; returns one result per item, in the items' order. */
  write(items: T[]): Promise<R[]>;
  /** Most items in one write (bound-parameter limits, transaction size). */
  maxBatch: number;
}

interface Waiter<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class WriteBatcher<T, R> {
  private queue: Waiter<T, R>[] = [];
  private draining = false;

  constructor(private readonly options: WriteBatcherOptions<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        // The next turn, so every request already read in this one joins the batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      await this.writeBatch(batch);
    }
    this.draining = false;
  }

  private async writeBatch(batch: Waiter<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.options.write(batch.map((waiter) => waiter.item));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const waiter of batch) await this.writeBatch([waiter]);
      return;
    }
    batch.forEach((waiter, index) => waiter.resolve(results[index]!));
  }
}
