import { z } from 'zod';

/**
 * Residuals are log(actual / predicted), so an interval scales with the price level: a 1% miss at 800 and
 * at 3,000 are the same miss. The interval is [predicted·e^lowerQ, predicted·e^upperQ] with the
 * quantiles taken on the validation tail (5% and 95% by default: a nominal 90% interval).
 */
export const residualIntervalSchema = z.object({
  lowerQuantile: z.number(),
  upperQuantile: z.number(),
  lowerLogResidual: z.number(),
  upperLogResidual: z.number(),
});
export type ResidualInterval = z.infer<typeof residualIntervalSchema>;

export const DEFAULT_INTERVAL_QUANTILES = { lower: 0.05, upper: 0.95 } as const;

export function fitResidualInterval(
  pairs: readonly { actual: number; predicted: number }[],
  quantiles: { lower: number; upper: number } = DEFAULT_INTERVAL_QUANTILES,
): ResidualInterval {
  const residuals = pairs.map((p) => Math.log(p.actual / p.predicted)).filter(Number.isFinite);
  if (residuals.length === 0) throw new RangeError('no residuals to fit an interval on');
  residuals.sort((a, b) => a - b);
  return {
    lowerQuantile: quantiles.lower,
    upperQuantile: quantiles.upper,
    lowerLogResidual: quantileOfSorted(residuals, quantiles.lower),
    upperLogResidual: quantileOfSorted(residuals, quantiles.upper),
  };
}

export function intervalAround(interval: ResidualInterval, predicted: number): { lower: number; upper: number } {
  return {
    lower: predicted * Math.exp(interval.lowerLogResidual),
    upper: predicted * Math.exp(interval.upperLogResidual),
  };
}

/** Linear interpolation between order statistics (type 7, the numpy/R default). */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * Math.min(Math.max(q, 0), 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] as number;
  const high = sorted[above] as number;
  return low + (high - low) * (position - below);
}
