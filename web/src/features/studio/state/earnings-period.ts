/** Earnings periods and the daily bar chart's geometry (pure, tested). */
const DAY_MS = 86_400_000;

export const PERIOD_CHOICES = [7, 30, 90] as const;

/** The last `days` UTC days up to today's, as the report's `from`/`to`. */
export function lastDays(days: number, now: number): { from: string; to: string } {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { from: day(now - (days - 1) * DAY_MS), to: day(now) };
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One bar per day in a width × height box; the best day reaches the top; a zero day has no height. */
export function dailyBars(totals: readonly number[], width: number, height: number): Bar[] {
  if (totals.length === 0) return [];
  const peak = Math.max(1, ...totals);
  const slot = width / totals.length;
  const gap = slot > 6 ? 2 : 0;
  return totals.map((total, i) => {
    const barHeight = (Math.max(0, total) / peak) * height;
    return { x: i * slot + gap / 2, y: height - barHeight, width: slot - gap, height: barHeight };
  });
}
