/** One one-step-ahead forecast next to what happened. */
export interface ScoredForecast {
  lastClose: number;
  actual: number;
  predicted: number;
  lower: number;
  upper: number;
}

export interface ForecastMetrics {
  n: number;
  mae: number;
  rmse: number;
  /**
   * MAE divided by the naive ("tomorrow = today") MAE on the same days: below 1 beats naive, and the naive
   * forecast itself scores exactly 1. (Hyndman's MASE scales by the in-sample naive MAE instead; on a
   * trending price that mixes the price level into the score, so the same days are used here.)
   */
  mase: number;
  /** Share of days with a non-zero move whose sign the forecast got right; a forecast of no change is wrong. */
  directionalAccuracy: number;
  /** Share of days whose close fell inside [lower, upper]. */
  intervalCoverage: number;
}

export function meanAbsoluteError(forecasts: readonly ScoredForecast[]): number {
  return mean(forecasts.map((f) => Math.abs(f.actual - f.predicted)));
}

export function rootMeanSquaredError(forecasts: readonly ScoredForecast[]): number {
  return Math.sqrt(mean(forecasts.map((f) => (f.actual - f.predicted) ** 2)));
}

export function naiveMeanAbsoluteError(forecasts: readonly ScoredForecast[]): number {
  return mean(forecasts.map((f) => Math.abs(f.actual - f.lastClose)));
}

export function directionalAccuracy(forecasts: readonly ScoredForecast[]): number {
  const moved = forecasts.filter((f) => f.actual !== f.lastClose);
  const right = moved.filter((f) => Math.sign(f.predicted - f.lastClose) === Math.sign(f.actual - f.lastClose));
  return moved.length === 0 ? Number.NaN : right.length / moved.length;
}

/** The directional accuracy of always saying "up": the baseline a direction call has to beat. */
export function upDayShare(forecasts: readonly ScoredForecast[]): number {
  const moved = forecasts.filter((f) => f.actual !== f.lastClose);
  return moved.length === 0 ? Number.NaN : moved.filter((f) => f.actual > f.lastClose).length / moved.length;
}

export function intervalCoverage(forecasts: readonly ScoredForecast[]): number {
  return mean(forecasts.map((f) => (f.actual >= f.lower && f.actual <= f.upper ? 1 : 0)));
}

export function scoreForecasts(forecasts: readonly ScoredForecast[]): ForecastMetrics {
  const mae = meanAbsoluteError(forecasts);
  const naiveMae = naiveMeanAbsoluteError(forecasts);
  return {
    n: forecasts.length,
    mae,
    rmse: rootMeanSquaredError(forecasts),
    mase: naiveMae === 0 ? Number.NaN : mae / naiveMae,
    directionalAccuracy: directionalAccuracy(forecasts),
    intervalCoverage: intervalCoverage(forecasts),
  };
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
