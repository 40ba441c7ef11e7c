import * as tf from '@tensorflow/tfjs';
import type { SentimentModelConfig } from './model-config.js';

/**
 * The seed's recipe: Embedding → one recurrent layer → Dense(1, sigmoid). Every initialiser takes a
 * seed derived from `seed`, so the same seed gives the same starting weights.
 */
export function buildSentimentModel(config: SentimentModelConfig, seed: number): tf.Sequential {
  const model = tf.sequential({ name: 'sentiment' });
  model.add(
    tf.layers.embedding({
      inputDim: config.vocabularySize,
      outputDim: config.embeddingDim,
      inputLength: config.sequenceLength,
      embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed + 1 }),
      name: 'embedding',
    }),
  );
  const recurrentArgs = {
    units: config.units,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }),
    recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 3 }),
    dropout: config.dropout,
    name: 'recurrent',
  };
  // GRU/LSTM gates use the logistic sigmoid (Keras 2's default) rather than tfjs' default hardSigmoid,
  // whose piecewise gradient costs five extra kernels per gate per step on the wasm backend.
  const gatedArgs = { ...recurrentArgs, recurrentActivation: 'sigmoid' as const };
  const recurrent =
    config.recurrent === 'gru'
      ? tf.layers.gru(gatedArgs)
      : config.recurrent === 'lstm'
        ? tf.layers.lstm(gatedArgs)
        : tf.layers.simpleRNN(recurrentArgs);
  model.add(recurrent);
  model.add(
    tf.layers.dense({
      units: 1,
      activation: 'sigmoid',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 4 }),
      name: 'output',
    }),
  );
  return model;
}
