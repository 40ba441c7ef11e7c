import { describe, expect, it } from 'vitest';
import { modelSeries } from '../../src/shared/forecast/features.js';
import { randomWalk } from '../../src/shared/random.js';
import { fitMinMaxScaler, scale, trainingPart, unscale } from '../../src/shared/forecast/scaler.js';
import { trainPriceModel } from '../../src/shared/forecast/train.js';
import { walkForward } from '../../src/shared/forecast/walk-forward.js';
import { slidingWindows, windowInputs } from '../../src/shared/forecast/windows.js';

/** An array that throws when anything reads at or after `cut`: a stand-in for "the future". */
function guardedSeries(values: number[], cut: number): number[] {
  return new Proxy(values, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key) && Number(key) >= cut) {
        throw new Error(`read index ${key} at or after the cut ${cut}`);
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

describe('sliding windows', () => {
  it('pairs the past `window` values with the next one', () => {
    const windows = slidingWindows([1, 2, 3, 4, 5, 6], 3);
    expect(windows.inputs).toEqual([
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 5],
    ]);
    expect(windows.targets).toEqual([4, 5, 6]);
    expect(windows.targetIndex).toEqual([3, 4, 5]);
  });

  it('defaults to the seed window of 10 and honours a range', () => {
    const values = Array.from({ length: 15 }, (_, i) => i);
    const windows = slidingWindows(values, 10, { from: 12, to: 14 });
    expect(windows.inputs).toEqual([values.slice(2, 12), values.slice(3, 13)]);
    expect(windows.targets).toEqual([12, 13]);
  });

  it('builds tomorrow’s input and refuses windows that reach outside the series', () => {
    expect(windowInputs([1, 2, 3, 4], 2, [4])).toEqual([[3, 4]]);
    expect(() => windowInputs([1, 2, 3, 4], 2, [5])).toThrow(RangeError);
    expect(() => windowInputs([1, 2, 3, 4], 2, [1])).toThrow(RangeError);
  });
});

describe('min-max scaler', () => {
  it('reads nothing at or after the cut', () => {
    const values = [5, 1, 9, 3, 1000, -1000];
    const scaler = fitMinMaxScaler(trainingPart(guardedSeries(values, 4), 4));
    expect(scaler).toEqual({ min: 1, max: 9 });
  });

  it('maps the training range to [0, 1] and back, and leaves later values outside it', () => {
    const scaler = fitMinMaxScaler(trainingPart([2, 4, 6, 100], 3));
    expect(scale(scaler, 2)).toBe(0);
    expect(scale(scaler, 6)).toBe(1);
    expect(scale(scaler, 100)).toBe(24.5);
    expect(unscale(scaler, scale(scaler, 5))).toBe(5);
  });

  it('a trained model’s scaler covers the fit windows only, not the validation tail', async () => {
    const closes = randomWalk(200, { seed: 3 });
    // A spike in the validation tail: it must not widen the scaler.
    closes[190] = (closes[189] as number) * 1.5;
    const { artifact, model } = await trainPriceModel(closes, { maxEpochs: 1, window: 5 });
    model.dispose();
    const fitEnd = closes.length - artifact.training.validationWindows;
    const returns = modelSeries(closes, 'logReturn').slice(1, fitEnd);
    expect(artifact.scaler).toEqual({ min: Math.min(...returns), max: Math.max(...returns) });
    expect(artifact.scaler.max).toBeLessThan(Math.log(1.5));
  });

  it('walk-forward trains on data before the cut only: changing the test part changes no scaler', async () => {
    const closes = randomWalk(220, { seed: 11 });
    const cut = 180;
    const shocked = closes.map((close, t) => (t >= cut ? close * (t % 2 === 0 ? 3 : 0.3) : close));
    const config = { maxEpochs: 2, window: 5 };
    const plain = await walkForward(closes, { cut, config });
    const withShock = await walkForward(shocked, { cut, config });
    expect(withShock.segments[0]?.scaler).toEqual(plain.segments[0]?.scaler);
    // The shocked days are far outside the training range; a scaler fit on them would be much wider.
    expect(plain.segments[0]?.scaler.max).toBeLessThan(0.2);
    expect(withShock.rnn.mae).toBeGreaterThan(plain.rnn.mae);
  });
});
