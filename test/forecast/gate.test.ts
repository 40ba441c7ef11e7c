import { describe, expect, it } from 'vitest';
import { GATE_CRITICAL_VALUE, decideGate } from '../../src/shared/forecast/gate.js';
import { forecastNextClose } from '../../src/shared/forecast/next-close.js';
import { normalDraw, randomWalk, seededRandom } from '../../src/shared/random.js';
import { trainPriceModel } from '../../src/shared/forecast/train.js';

function withDays(closes: number[]) {
  const start = Date.UTC(2015, 0, 1);
  return closes.map((close, i) => ({ day: new Date(start + i * 86_400_000).toISOString().slice(0, 10), close }));
}

/** Log returns that reverse: r_t = −0.7·r_{t−1} + noise. Tomorrow is predictable, so naive should lose. */
function meanRevertingSeries(length: number, seed: number): number[] {
  const random = seededRandom(seed);
  const closes = [100];
  let lastReturn = 0;
  for (let t = 1; t < length; t++) {
    lastReturn = -0.7 * lastReturn + 0.01 * normalDraw(random);
    closes.push((closes[t - 1] as number) * Math.exp(lastReturn));
  }
  return closes;
}

describe('publication gate', () => {
  it('needs a significant improvement, not just a lower MAE', () => {
    // Network errors 1 vs naive 2 on every day: a consistent win.
    const consistent = Array.from({ length: 30 }, (_, i) => ({ actual: 100 + (i % 2), lastClose: 98 + (i % 2), network: 99 + (i % 2) }));
    expect(decideGate(consistent).source).toBe('rnn');
    // Lower MAE overall (one lucky day), but no better on the other days: not significant.
    const lucky = Array.from({ length: 30 }, (_, i) => ({ actual: 100, lastClose: i === 0 ? 90 : 99, network: i % 2 ? 101.05 : 98.95 }));
    const decision = decideGate(lucky);
    expect(decision.source).toBe('naive');
    expect(decideGate([]).source).toBe('naive');
  });

  it('shows the naive forecast on a seeded random walk, and says so', async () => {
    const closes = randomWalk(1500, { seed: 2024 });
    const { artifact, model } = await trainPriceModel(closes);
    try {
      // The network may edge naive on the validation tail by luck; the gate must not take that as a win.
      expect(artifact.gate.statistic ?? 0).toBeLessThan(GATE_CRITICAL_VALUE);
      expect(artifact.published).toBe('naive');
      const forecast = forecastNextClose(model, withDays(closes));
      expect(forecast.source).toBe('naive');
      expect(forecast.value).toBe(closes[closes.length - 1]);
      expect(forecast.change).toBe(0);
      expect(forecast.explanation).toMatch(/^Naive forecast \(tomorrow = today\)/);
      expect(forecast.lower).toBeLessThan(forecast.value);
      expect(forecast.upper).toBeGreaterThan(forecast.value);
    } finally {
      model.dispose();
    }
  });

  it('shows the network’s forecast when it beats naive on validation', async () => {
    const closes = meanRevertingSeries(1500, 7);
    const { artifact, model } = await trainPriceModel(closes);
    try {
      expect(artifact.validation.rnn.mase as number).toBeLessThan(1);
      expect(artifact.gate.statistic as number).toBeGreaterThan(GATE_CRITICAL_VALUE);
      expect(artifact.published).toBe('rnn');
      const forecast = forecastNextClose(model, withDays(closes));
      expect(forecast.source).toBe('rnn');
      expect(forecast.value).toBe(forecast.network);
      expect(forecast.explanation).toMatch(/^Model forecast/);
    } finally {
      model.dispose();
    }
  });
});
