import { describe, expect, it } from 'vitest';
import { parsePriceModelArtifact } from '../../src/shared/forecast/artifact.js';
import { forecastNextClose } from '../../src/shared/forecast/next-close.js';
import { loadPriceModel } from '../../src/shared/forecast/price-model.js';
import { randomWalk } from '../../src/shared/random.js';
import { trainPriceModel } from '../../src/shared/forecast/train.js';

describe('price model artifact', () => {
  it('survives JSON (as in a Postgres Json column) and the reloaded model predicts identically', async () => {
    const closes = randomWalk(300, { seed: 5, start: 250 });
    const { artifact, model } = await trainPriceModel(closes, { maxEpochs: 3, cell: 'simpleRNN' }, { lastDay: '2024-03-01' });
    const stored: unknown = JSON.parse(JSON.stringify(artifact));
    const reloaded = await loadPriceModel(stored);
    try {
      const targets = Array.from({ length: 60 }, (_, i) => 240 + i + 1);
      const original = model.predictCloses(closes, targets);
      const fromArtifact = reloaded.predictCloses(closes, targets);
      expect(fromArtifact).toEqual(original);
      expect(original.every(Number.isFinite)).toBe(true);
      // The weights really are in the artifact: an untrained network would predict differently.
      const days = closes.map((close, i) => ({ day: `2023-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, close }));
      expect(forecastNextClose(reloaded, days)).toEqual(forecastNextClose(model, days));
      expect(reloaded.artifact).toEqual(artifact);
    } finally {
      model.dispose();
      reloaded.dispose();
    }
  });

  it('round-trips GRU and LSTM networks too', async () => {
    const closes = randomWalk(160, { seed: 8 });
    for (const cell of ['gru', 'lstm'] as const) {
      const { artifact, model } = await trainPriceModel(closes, { maxEpochs: 1, cell, units: 4 });
      const reloaded = await loadPriceModel(JSON.parse(JSON.stringify(artifact)));
      expect(reloaded.predictCloses(closes, [150, 160])).toEqual(model.predictCloses(closes, [150, 160]));
      model.dispose();
      reloaded.dispose();
    }
  });

  it('rejects a stored value that is not an artifact', () => {
    expect(() => parsePriceModelArtifact({ format: 'something else' })).toThrow();
  });
});
