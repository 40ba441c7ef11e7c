import { z } from 'zod';

/**
 * What the network predicts. `logReturn` (the default) feeds it the last `window` daily log returns and
 * predicts the next one; `level` is the seed's literal recipe on raw closes. Levels break down once the
 * price leaves the training range (min-max scaled inputs above 1, a tanh layer saturating), which the
 * S&P backtest shows; returns are stationary enough for the training range to keep applying.
 */
export const targetKindSchema = z.enum(['logReturn', 'level']);
export type TargetKind = z.infer<typeof targetKindSchema>;

/** The per-day value the model sees, aligned so that entry t belongs to close t (NaN where undefined). */
export function modelSeries(closes: readonly number[], kind: TargetKind): number[] {
  if (kind === 'level') return [...closes];
  return closes.map((close, t) => (t === 0 ? Number.NaN : Math.log(close / (closes[t - 1] as number))));
}

/** The first close index that has a full window of defined inputs before it. */
export function firstTargetIndex(window: number, kind: TargetKind): number {
  return kind === 'level' ? window : window + 1;
}

export function closeFromModelValue(kind: TargetKind, value: number, lastClose: number): number {
  return kind === 'level' ? value : lastClose * Math.exp(value);
}
