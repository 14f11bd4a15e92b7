import { describe, expect, it } from 'vitest';
import { dailyBars, lastDays } from './earnings-period.ts';

describe('earnings periods', () => {
  it('the last N UTC days end today', () => {
    const now = Date.UTC(2026, 11, 2, 23, 30);
    expect(lastDays(7, now)).toEqual({ from: '2026-11-26', to: '2026-12-02' });
    expect(lastDays(1, now)).toEqual({ from: '2026-12-02', to: '2026-12-02' });
  });

  it('scales bars to the best day and leaves zero days flat', () => {
    const bars = dailyBars([0, 50, 100], 30, 100);
    expect(bars.map((bar) => bar.height)).toEqual([0, 50, 100]);
    expect(bars[2]).toEqual({ x: 21, y: 0, width: 8, height: 100 });
    expect(dailyBars([0, 0], 10, 10).every((bar) => bar.height === 0)).toBe(true);
    expect(dailyBars([], 10, 10)).toEqual([]);
  });
});
