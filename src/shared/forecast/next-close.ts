import type { ForecastSource } from './artifact.js';
import { firstTargetIndex } from './features.js';
import { intervalAround } from './interval.js';
import type { PriceModel } from './price-model.js';
import { nextTradingDay } from './trading-days.js';

export interface DailyClose {
  day: string;
  close: number;
}

export interface NextCloseForecast {
  /** The next weekday after the last close (holidays are not modelled). */
  targetDate: string;
  /** The forecast that is shown: the network's when the gate passed it, else the naive one. */
  value: number;
  lower: number;
  upper: number;
  /** The naive "tomorrow = today" forecast, always given beside the value. */
  naive: number;
  lastClose: number;
  lastDay: string;
  /** value − lastClose. */
  change: number;
  source: ForecastSource;
  /** The network's own forecast, shown or not (for the record and the chart). */
  network: number;
  /** Nominal coverage of [lower, upper], e.g. 0.9. */
  intervalLevel: number;
  /** One plain sentence saying which forecast this is and why. */
  explanation: string;
}

/**
 * Tomorrow's close from the latest closes (oldest first; at least window + 1 of them). `source` says
 * plainly which forecast `value` is: 'naive' means the network did not beat "tomorrow = today" on its
 * validation tail, so the last close is what is forecast.
 */
export function forecastNextClose(model: PriceModel, closes: readonly DailyClose[]): NextCloseForecast {
  const { config, intervals, published, validation, gate } = model.artifact;
  const needed = firstTargetIndex(config.window, config.target);
  if (closes.length < needed) throw new RangeError(`need at least ${needed} closes to forecast, got ${closes.length}`);
  for (let i = 1; i < closes.length; i++) {
    if ((closes[i - 1] as DailyClose).day >= (closes[i] as DailyClose).day) {
      throw new RangeError('closes must be in strictly increasing day order');
    }
  }
  const last = closes[closes.length - 1] as DailyClose;
  const values = closes.slice(-needed).map((c) => c.close);
  const [network] = model.predictCloses(values, [values.length]);
  if (network === undefined || !Number.isFinite(network)) throw new Error('the price network returned no finite forecast');
  const value = published === 'rnn' ? network : last.close;
  const interval = intervalAround(intervals[published], value);
  const level = intervals[published].upperQuantile - intervals[published].lowerQuantile;
  const evidence = `validation MASE ${formatNumber(validation.rnn.mase)}, DM statistic ${formatNumber(gate.statistic)}`;
  const explanation =
    published === 'rnn'
      ? `Model forecast: the ${config.cell} beat the naive forecast on validation (${evidence}).`
      : `Naive forecast (tomorrow = today): the ${config.cell} did not clearly beat it on validation (${evidence}).`;
  return {
    targetDate: nextTradingDay(last.day),
    value,
    lower: interval.lower,
    upper: interval.upper,
    naive: last.close,
    lastClose: last.close,
    lastDay: last.day,
    change: value - last.close,
    source: published,
    network,
    intervalLevel: Math.round(level * 1000) / 1000,
    explanation,
  };
}

function formatNumber(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}
