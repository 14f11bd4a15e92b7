/**
 * Bounds how many expensive jobs run at once, with a bounded wait line: when the line is full the
 * job is refused at once instead of queueing without end (the caller answers "busy, retry").
 */
export class SemaphoreFullError extends Error {
  constructor() {
    super('Too many jobs waiting');
    this.name = 'SemaphoreFullError';
  }
}

export class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxWaiting: number,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new SemaphoreFullError();
      // The slot is handed over by release(), so `running` already counts this job when it wakes.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await job();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}
