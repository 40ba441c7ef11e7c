import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSentimentModel } from '../../src/shared/sentiment/model.js';
import { DEFAULT_MODEL_CONFIG, type RecurrentKind } from '../../src/shared/sentiment/model-config.js';
import { extractNetworkWeights, RecurrentForward } from '../../src/shared/sentiment/recurrent-forward.js';
import { initTfBackend } from '../../src/shared/tfjs/backend.js';

beforeAll(async () => {
  await initTfBackend();
});

const LENGTH = 12;
const VOCABULARY = 50;

describe.each<RecurrentKind>(['simpleRNN', 'gru', 'lstm'])('RecurrentForward (%s)', (kind) => {
  it('equals model.predict on random front-padded sequences', () => {
    const config = { ...DEFAULT_MODEL_CONFIG, recurrent: kind, vocabularySize: VOCABULARY, sequenceLength: LENGTH, embeddingDim: 6, units: 5 };
    const model = buildSentimentModel(config, 11);
    // Random initial weights are small; scale them so the non-linearities are actually exercised.
    model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => w.mul(i === 0 ? 20 : 3))));
    const forward = new RecurrentForward(extractNetworkWeights(model, kind, LENGTH));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: VOCABULARY - 1 }), { maxLength: LENGTH + 4 }), (words) => {
        const kept = words.slice(-LENGTH);
        const ids = new Int32Array(LENGTH);
        ids.set(kept, LENGTH - kept.length);
        const expected = tf.tidy(() => (model.predict(tf.tensor2d(ids, [1, LENGTH], 'int32')) as tf.Tensor).dataSync()[0] as number);
        expect(forward.probability(ids)).toBeCloseTo(expected, 5);
      }),
      { seed: 3, numRuns: 40 },
    );
    model.dispose();
  });
});
