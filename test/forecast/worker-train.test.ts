import { describe, expect, it } from 'vitest';
import { forecastNextClose } from '../../src/shared/forecast/next-close.js';
import { loadPriceModel } from '../../src/shared/forecast/price-model.js';
import { randomWalk } from '../../src/shared/random.js';
import { InsufficientHistoryError, minimumClosesFor } from '../../src/shared/forecast/train.js';
import { trainPriceModelForSeries } from '../../src/worker/forecast/train-price-model.js';

function weekdaySeries(length: number, seed: number) {
  const closes = randomWalk(length, { seed, start: 40 });
  const days: string[] = [];
  const date = new Date(Date.UTC(2022, 0, 3));
  while (days.length < length) {
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) days.push(date.toISOString().slice(0, 10));
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return closes.map((close, i) => ({ day: days[i] as string, close }));
}

describe('trainPriceModelForSeries (the worker entry)', () => {
  it('returns plain JSON that a sandboxed processor can post back, and a model that forecasts from it', async () => {
    const series = weekdaySeries(220, 4);
    const result = await trainPriceModelForSeries(series, { config: { maxEpochs: 2 }, holdoutDays: 30 });
    const copied = JSON.parse(JSON.stringify(result));
    expect(copied).toEqual(result);
    expect(result.published).toBe(result.artifact.published);
    expect(result.metrics.dataThrough).toBe(series[series.length - 1]?.day);
    expect(result.metrics.closes).toBe(220);
    expect(result.metrics.holdout?.rnn.n).toBe(30);
    const model = await loadPriceModel(copied.artifact);
    const forecast = forecastNextClose(model, series);
    model.dispose();
    expect(forecast.lastDay).toBe(series[series.length - 1]?.day);
    expect(forecast.source).toBe(result.published);
  });

  it('is reproducible from its seed', async () => {
    const series = weekdaySeries(150, 9);
    const a = await trainPriceModelForSeries(series, { config: { maxEpochs: 2, seed: 7 } });
    const b = await trainPriceModelForSeries(series, { config: { maxEpochs: 2, seed: 7 } });
    const c = await trainPriceModelForSeries(series, { config: { maxEpochs: 2, seed: 8 } });
    expect(b.artifact).toEqual(a.artifact);
    expect(c.artifact.network.weightsBase64).not.toBe(a.artifact.network.weightsBase64);
  });

  it('rejects unordered or invalid closes and too short a history', async () => {
    const series = weekdaySeries(150, 1);
    await expect(trainPriceModelForSeries([...series].reverse())).rejects.toThrow(/increasing day order/);
    await expect(trainPriceModelForSeries([{ day: '2024-01-02', close: -1 }])).rejects.toThrow();
    const short = series.slice(0, minimumClosesFor() - 1);
    await expect(trainPriceModelForSeries(short)).rejects.toBeInstanceOf(InsufficientHistoryError);
  });
});
