import { describe, expect, it } from 'vitest';
import { Semaphore, SemaphoreFullError } from '../../src/infra/semaphore.js';

describe('Semaphore', () => {
  it('never runs more jobs at once than allowed, and runs every admitted job', async () => {
    const line = new Semaphore(2, 100);
    let running = 0;
    let peak = 0;
    const job = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 30 }, () => line.run(job)));
    expect(peak).toBe(2);
    expect(line.active).toBe(0);
    expect(line.queued).toBe(0);
  });

  it('refuses at once when the wait line is full, and frees the slot of a failed job', async () => {
    const line = new Semaphore(1, 1);
    let release!: () => void;
    const first = line.run(() => new Promise<void>((resolve) => (release = resolve)));
    const second = line.run(async () => 'second');
    await expect(line.run(async () => 'third')).rejects.toBeInstanceOf(SemaphoreFullError);
    release();
    await first;
    expect(await second).toBe('second');
    await expect(line.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await line.run(async () => 'after')).toBe('after');
  });
});
