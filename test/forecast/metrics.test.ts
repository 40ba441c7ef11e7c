import { describe, expect, it } from 'vitest';
import { fitResidualInterval, intervalAround, quantileOfSorted } from '../../src/shared/forecast/interval.js';
import { type ScoredForecast, scoreForecasts, upDayShare } from '../../src/shared/forecast/metrics.js';
import { walkForward } from '../../src/shared/forecast/walk-forward.js';

describe('forecast metrics on a hand-checkable series', () => {
  // closes 100 → 102 → 101 → 101 → 104, forecast one day ahead.
  const forecasts: ScoredForecast[] = [
    { lastClose: 100, actual: 102, predicted: 101, lower: 99, upper: 103 }, // err 1, up/up right, inside
    { lastClose: 102, actual: 101, predicted: 103, lower: 101.5, upper: 104 }, // err 2, down/up wrong, outside
    { lastClose: 101, actual: 101, predicted: 100, lower: 99, upper: 101 }, // err 1, no move (not counted), inside (edge)
    { lastClose: 101, actual: 104, predicted: 101, lower: 100, upper: 102 }, // err 3, flat call = wrong, outside
  ];

  it('computes MAE, RMSE, MASE, directional accuracy and coverage', () => {
    const metrics = scoreForecasts(forecasts);
    expect(metrics.n).toBe(4);
    expect(metrics.mae).toBeCloseTo((1 + 2 + 1 + 3) / 4, 12);
    expect(metrics.rmse).toBeCloseTo(Math.sqrt((1 + 4 + 1 + 9) / 4), 12);
    // naive errors |actual − lastClose|: 2, 1, 0, 3 → MAE 1.5
    expect(metrics.mase).toBeCloseTo(1.75 / 1.5, 12);
    expect(metrics.directionalAccuracy).toBeCloseTo(1 / 3, 12);
    expect(metrics.intervalCoverage).toBe(0.5);
    expect(upDayShare(forecasts)).toBeCloseTo(2 / 3, 12);
  });

  it('scores the naive forecast at MASE 1 and directional accuracy 0', () => {
    const naive = scoreForecasts(forecasts.map((f) => ({ ...f, predicted: f.lastClose })));
    expect(naive.mase).toBe(1);
    expect(naive.directionalAccuracy).toBe(0);
  });
});

describe('residual-quantile interval', () => {
  it('interpolates quantiles like numpy and scales with the forecast', () => {
    expect(quantileOfSorted([1, 2, 3, 4, 5], 0.05)).toBeCloseTo(1.2, 12);
    expect(quantileOfSorted([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    const pairs = [0.98, 0.99, 1, 1.01, 1.02].map((ratio) => ({ actual: 100 * ratio, predicted: 100 }));
    const interval = fitResidualInterval(pairs, { lower: 0, upper: 1 });
    expect(interval.lowerLogResidual).toBeCloseTo(Math.log(0.98), 12);
    const around = intervalAround(interval, 200);
    expect(around.lower).toBeCloseTo(196, 9);
    expect(around.upper).toBeCloseTo(204, 9);
  });
});

describe('walk-forward', () => {
  it('forecasts every day after the cut and scores naive exactly as by hand', async () => {
    const closes = Array.from({ length: 90 }, (_, t) => 100 + 5 * Math.sin(t / 4) + (t % 3));
    const cut = 80;
    const result = await walkForward(closes, { cut, config: { window: 4, maxEpochs: 2 } });
    expect(result.n).toBe(10);
    let absolute = 0;
    let squared = 0;
    for (let t = cut; t < closes.length; t++) {
      const move = (closes[t] as number) - (closes[t - 1] as number);
      absolute += Math.abs(move);
      squared += move * move;
    }
    expect(result.naive.mae).toBeCloseTo(absolute / 10, 10);
    expect(result.naive.rmse).toBeCloseTo(Math.sqrt(squared / 10), 10);
    expect(result.rnn.mase).toBeCloseTo(result.rnn.mae / result.naive.mae, 12);
    expect(result.segments).toHaveLength(1);
  });

  it('retrains every `refitEvery` days', async () => {
    const closes = Array.from({ length: 100 }, (_, t) => 50 + t / 10 + Math.cos(t));
    const result = await walkForward(closes, { cut: 88, refitEvery: 5, config: { window: 3, maxEpochs: 1 } });
    expect(result.segments.map((s) => [s.from, s.to])).toEqual([
      [88, 93],
      [93, 98],
      [98, 100],
    ]);
    expect(result.n).toBe(12);
  });
});
