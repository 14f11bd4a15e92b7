/** Viewers over time for the dashboard's small chart (pure, tested). */
export interface ViewerSample {
  at: number;
  viewers: number;
}

/** The chart shows the last half hour; older samples are dropped. */
export const SAMPLE_WINDOW_MS = 30 * 60_000;
const MAX_SAMPLES = 720;

/** Adds a reading; a reading equal to the last one within 10 s replaces nothing (the line is flat). */
export function addSample(samples: readonly ViewerSample[], at: number, viewers: number): ViewerSample[] {
  const last = samples[samples.length - 1];
  if (last && last.viewers === viewers && at - last.at < 10_000) return samples as ViewerSample[];
  return [...samples, { at, viewers }].filter((sample) => at - sample.at <= SAMPLE_WINDOW_MS).slice(-MAX_SAMPLES);
}

/**
 * SVG polyline points for the samples in a width × height box: time left to right over the window
 * ending at `now`, viewers bottom to top up to the peak (at least 1, so a zero line lies flat on the floor).
 */
export function chartPoints(samples: readonly ViewerSample[], now: number, width: number, height: number): string {
  if (samples.length === 0) return '';
  const peak = Math.max(1, ...samples.map((sample) => sample.viewers));
  const x = (at: number) => Math.max(0, Math.min(width, ((at - (now - SAMPLE_WINDOW_MS)) / SAMPLE_WINDOW_MS) * width));
  const y = (viewers: number) => height - (viewers / peak) * height;
  const points = samples.map((sample) => `${round(x(sample.at))},${round(y(sample.viewers))}`);
  // The count holds until now: the line runs on to the right edge.
  points.push(`${round(x(now))},${round(y(samples[samples.length - 1]!.viewers))}`);
  return points.join(' ');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
