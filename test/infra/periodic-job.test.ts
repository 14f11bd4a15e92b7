/**
 * The shared timer of the background jobs (payment reconciliation, idempotency pruning): what an
 * operator relies on when the server starts, stops or a pass fails. Real timers with a short
 * interval; each test waits several intervals where it claims nothing happens.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { recordingLogger } from '../helpers/log.js';
import { LocalClusterLock } from '../../src/infra/cluster-lock.js';
import { PeriodicJob } from '../../src/infra/periodic-job.js';

const INTERVAL_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let job: PeriodicJob<number> | undefined;

afterEach(async () => {
  await job?.stop();
  job = undefined;
});

/** A job counting its passes, logging into `logged`; `run` may be replaced per test. */
function countingJob(run?: (pass: number) => Promise<number>) {
  const { logger, lines: logged } = recordingLogger<{ level: number; msg: string; err?: { message: string } }>();
  const state = { passes: 0 };
  job = new PeriodicJob<number>({
    name: 'test-job',
    intervalMs: INTERVAL_MS,
    lock: new LocalClusterLock(),
    logger,
    run: async () => {
      state.passes += 1;
      return run ? run(state.passes) : state.passes;
    },
  });
  return { job, state, logged };
}

describe('periodic job', () => {
  it('started twice, it still has one schedule: once stopped, no pass runs', async () => {
    const { job, state } = countingJob();
    job.start();
    job.start();
    await job.stop();
    await sleep(5 * INTERVAL_MS);
    expect(state.passes).toBe(0);
  });

  it('stopped during a pass, waits for that pass and runs no other; started again, it runs again', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { job, state } = countingJob(async (pass) => {
      if (pass === 1) await held;
      return pass;
    });
    job.start();
    await expect.poll(() => state.passes).toBe(1);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await sleep(2 * INTERVAL_MS);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await sleep(5 * INTERVAL_MS);
    expect(state.passes).toBe(1);

    job.start();
    await expect.poll(() => state.passes).toBeGreaterThan(1);
  });

  it('logs a failed pass as an error naming the job, with the error, and keeps its schedule', async () => {
    const { state, logged } = countingJob(async (pass) => {
      if (pass === 1) throw new Error('database unreachable');
      return pass;
    });
    job!.start();
    await expect.poll(() => state.passes).toBeGreaterThanOrEqual(3);
    const errors = logged.filter((line) => line.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'test-job pass failed', err: { message: 'database unreachable' } });
  });
});
