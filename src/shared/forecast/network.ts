import * as tf from '@tensorflow/tfjs';
import type { PriceModelConfig } from './config.js';

/**
 * recurrent layer → dense(1), as in the seed. Every initializer is seeded so the same data and config
 * give the same weights; there is no dropout, which would need a random source tfjs does not let us seed.
 */
export function buildPriceNetwork(config: PriceModelConfig): tf.LayersModel {
  // Fixed names (tfjs numbers layers per process otherwise), so the same training gives the same artifact.
  const recurrentArgs = {
    name: 'recurrent',
    units: config.units,
    inputShape: [config.window, 1],
    kernelInitializer: tf.initializers.glorotUniform({ seed: config.seed }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: config.seed + 1, gain: 1 }),
  };
  const recurrent =
    config.cell === 'gru'
      ? tf.layers.gru(recurrentArgs)
      : config.cell === 'lstm'
        ? tf.layers.lstm(recurrentArgs)
        : tf.layers.simpleRNN(recurrentArgs);
  const output = tf.layers.dense({
    name: 'output',
    units: 1,
    kernelInitializer: tf.initializers.glorotUniform({ seed: config.seed + 2 }),
  });
  const model = tf.sequential({ name: 'price_rnn', layers: [recurrent, output] });
  compilePriceNetwork(model, config);
  return model;
}

export function compilePriceNetwork(model: tf.LayersModel, config: PriceModelConfig): void {
  model.compile({ optimizer: tf.train.adam(config.learningRate), loss: 'meanSquaredError' });
}
