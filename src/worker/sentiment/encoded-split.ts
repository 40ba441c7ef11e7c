import * as tf from '@tensorflow/tfjs';
import { encodeTexts } from '../../shared/sentiment/text-encoder.js';
import type { Vocabulary } from '../../shared/sentiment/vocabulary.js';
import type { LabelledText } from './imdb-dataset.js';

/** A split as the network sees it: `count` rows of `length` ids, row-major, and 0/1 labels. */
export interface EncodedSplit {
  ids: Int32Array;
  labels: Float32Array;
  count: number;
  length: number;
}

export function encodeSplit(examples: readonly LabelledText[], vocabulary: Vocabulary, length: number): EncodedSplit {
  return {
    ids: encodeTexts(
      examples.map((example) => example.text),
      vocabulary,
      length,
    ),
    labels: Float32Array.from(examples, (example) => example.label),
    count: examples.length,
    length,
  };
}

/** Rows `rows` of the split as a batch of tensors (the caller disposes them). */
export function batchTensors(split: EncodedSplit, rows: readonly number[]): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const ids = new Int32Array(rows.length * split.length);
  const labels = new Float32Array(rows.length);
  rows.forEach((row, i) => {
    ids.set(split.ids.subarray(row * split.length, (row + 1) * split.length), i * split.length);
    labels[i] = split.labels[row] as number;
  });
  return { xs: tf.tensor2d(ids, [rows.length, split.length], 'int32'), ys: tf.tensor2d(labels, [rows.length, 1]) };
}

/** P(positive) for every row, in chunks so memory stays bounded. */
export function predictSplit(model: tf.LayersModel, split: EncodedSplit, chunk = 512): Float32Array {
  const out = new Float32Array(split.count);
  for (let start = 0; start < split.count; start += chunk) {
    const end = Math.min(split.count, start + chunk);
    const probabilities = tf.tidy(() => {
      const xs = tf.tensor2d(split.ids.subarray(start * split.length, end * split.length), [end - start, split.length], 'int32');
      return (model.predict(xs) as tf.Tensor).dataSync();
    });
    out.set(probabilities, start);
  }
  return out;
}

/** Mean binary cross-entropy and accuracy at threshold 0.5. */
export function lossAndAccuracy(probabilities: Float32Array, labels: Float32Array): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  const eps = 1e-7;
  probabilities.forEach((p, i) => {
    const y = labels[i] as number;
    const clipped = Math.min(1 - eps, Math.max(eps, p));
    loss -= y * Math.log(clipped) + (1 - y) * Math.log(1 - clipped);
    if ((p >= 0.5 ? 1 : 0) === y) correct++;
  });
  return { loss: loss / labels.length, accuracy: correct / labels.length };
}
