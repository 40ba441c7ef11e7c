import type { ForecastSource } from './artifact.js';
import type { PriceModelConfigInput } from './config.js';
import { intervalAround } from './interval.js';
import { type ForecastMetrics, type ScoredForecast, scoreForecasts, upDayShare } from './metrics.js';
import type { MinMaxScaler } from './scaler.js';
import { trainPriceModel } from './train.js';

export interface WalkForwardOptions {
  config?: PriceModelConfigInput;
  /** First close index that is forecast; everything before it is training data. Default: 80% of the series. */
  cut?: number;
  /** Retrain on all closes so far every this many forecast days (as the worker does); default never. */
  refitEvery?: number;
  /** Called after each segment, e.g. for progress on stderr. */
  onSegment?: (segment: WalkForwardSegment) => void;
}

export interface WalkForwardSegment {
  from: number;
  to: number;
  published: ForecastSource;
  validationMase: number | null;
  epochs: number;
  /** The scaler this segment's model was fit with (from data before `from` only). */
  scaler: MinMaxScaler;
}

export interface WalkForwardResult {
  n: number;
  cut: number;
  rnn: ForecastMetrics;
  naive: ForecastMetrics;
  /** What the gate would have posted on each day: the network's or the naive forecast, with its interval. */
  published: ForecastMetrics;
  /** Directional accuracy of always answering "up" on the same days. */
  alwaysUpDirectionalAccuracy: number;
  segments: WalkForwardSegment[];
}

export const DEFAULT_TRAIN_FRACTION = 0.8;

/**
 * Walk-forward evaluation: a model trained on closes[0..cut) forecasts each later close t one day ahead
 * from the actual closes before t (never from its own forecasts), and is retrained on all closes before
 * the segment every `refitEvery` days when asked. Every forecast is scored against the naive one.
 */
export async function walkForward(closes: readonly number[], options: WalkForwardOptions = {}): Promise<WalkForwardResult> {
  const cut = options.cut ?? Math.floor(closes.length * DEFAULT_TRAIN_FRACTION);
  if (!Number.isInteger(cut) || cut < 1 || cut >= closes.length) {
    throw new RangeError(`cut must leave closes on both sides, got ${cut} of ${closes.length}`);
  }
  const step = options.refitEvery ?? closes.length;
  const rnn: ScoredForecast[] = [];
  const naive: ScoredForecast[] = [];
  const published: ScoredForecast[] = [];
  const segments: WalkForwardSegment[] = [];

  for (let from = cut; from < closes.length; from += step) {
    const to = Math.min(closes.length, from + step);
    const { artifact, model } = await trainPriceModel(closes.slice(0, from), options.config);
    try {
      const targets = Array.from({ length: to - from }, (_, i) => from + i);
      const predictions = model.predictCloses(closes.slice(0, to), targets);
      targets.forEach((t, i) => {
        const lastClose = closes[t - 1] as number;
        const actual = closes[t] as number;
        const network = predictions[i] as number;
        const rnnForecast = { lastClose, actual, predicted: network, ...intervalAround(artifact.intervals.rnn, network) };
        const naiveForecast = { lastClose, actual, predicted: lastClose, ...intervalAround(artifact.intervals.naive, lastClose) };
        rnn.push(rnnForecast);
        naive.push(naiveForecast);
        published.push(artifact.published === 'rnn' ? rnnForecast : naiveForecast);
      });
    } finally {
      model.dispose();
    }
    const segment = {
      from,
      to,
      published: artifact.published,
      validationMase: artifact.validation.rnn.mase,
      epochs: artifact.training.epochs,
      scaler: artifact.scaler,
    };
    segments.push(segment);
    options.onSegment?.(segment);
  }

  return {
    n: rnn.length,
    cut,
    rnn: scoreForecasts(rnn),
    naive: scoreForecasts(naive),
    published: scoreForecasts(published),
    alwaysUpDirectionalAccuracy: upDayShare(rnn),
    segments,
  };
}
