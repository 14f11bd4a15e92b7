import { describe, expect, it } from 'vitest';
import { addSample, chartPoints, SAMPLE_WINDOW_MS } from './viewer-samples.ts';

describe('viewer samples', () => {
  it('keeps changes, skips repeats within 10 s, and forgets readings older than the window', () => {
    let samples = addSample([], 0, 3);
    samples = addSample(samples, 5_000, 3);
    expect(samples).toHaveLength(1);
    samples = addSample(samples, 6_000, 4);
    samples = addSample(samples, 20_000, 4);
    expect(samples.map((s) => s.viewers)).toEqual([3, 4, 4]);
    samples = addSample(samples, SAMPLE_WINDOW_MS + 10_000, 5);
    expect(samples.map((s) => s.at)).toEqual([20_000, SAMPLE_WINDOW_MS + 10_000]);
  });

  it('draws the peak at the top, zero at the bottom, and runs on to now', () => {
    const now = SAMPLE_WINDOW_MS;
    const points = chartPoints(
      [
        { at: 0, viewers: 0 },
        { at: SAMPLE_WINDOW_MS / 2, viewers: 10 },
      ],
      now,
      100,
      40,
    );
    expect(points).toBe('0,40 50,0 100,0');
    expect(chartPoints([], now, 100, 40)).toBe('');
    // An empty room stays on the floor rather than dividing by zero.
    expect(chartPoints([{ at: now, viewers: 0 }], now, 100, 40)).toBe('100,40 100,40');
  });
});
