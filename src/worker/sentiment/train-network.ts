/**
 * The training loop: seeded mini-batches, validation after every epoch, early stopping on validation
 * loss with the best weights restored. A hand-written loop rather than model.fit so batch order is
 * ours (seeded) and the progress bar sees every batch.
 */
import * as tf from '@tensorflow/tfjs';
import { shuffledIndices } from '../../shared/random.js';
import type { Logger } from '../../shared/logger.js';
import { buildSentimentModel } from '../../shared/sentiment/model.js';
import type { SentimentModelConfig } from '../../shared/sentiment/model-config.js';
import { batchTensors, type EncodedSplit, lossAndAccuracy, predictSplit } from './encoded-split.js';

export interface TrainingOptions {
  config: SentimentModelConfig;
  seed: number;
  maxEpochs: number;
  batchSize: number;
  learningRate: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /** Training-time budget (the 10-minute target): no epoch is started that would likely overrun it. */
  maxSeconds: number;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationAccuracy: number;
  seconds: number;
}

export interface TrainingProgress {
  startEpoch(epoch: number, epochs: number, batches: number): void;
  batch(done: number, loss: number): void;
  endEpoch(record: EpochRecord): void;
  stop(): void;
}

export interface TrainingDeps {
  random: () => number;
  /** Monotonic seconds, for durations. */
  seconds: () => number;
  progress?: TrainingProgress;
  logger?: Logger;
}

export interface TrainedNetwork {
  model: tf.LayersModel;
  history: EpochRecord[];
  bestEpoch: number;
  stopReason: 'patience' | 'max-epochs' | 'time-budget';
  seconds: number;
}

export async function trainNetwork(
  train: EncodedSplit,
  validation: EncodedSplit,
  options: TrainingOptions,
  deps: TrainingDeps,
): Promise<TrainedNetwork> {
  const model = buildSentimentModel(options.config, options.seed);
  model.compile({ optimizer: tf.train.adam(options.learningRate), loss: 'binaryCrossentropy' });
  const started = deps.seconds();
  const history: EpochRecord[] = [];
  let best: { loss: number; epoch: number; weights: tf.Tensor[] } | undefined;
  let stopReason: TrainedNetwork['stopReason'] = 'max-epochs';
  const batches = Math.ceil(train.count / options.batchSize);

  for (let epoch = 1; epoch <= options.maxEpochs; epoch++) {
    const epochStart = deps.seconds();
    const order = shuffledIndices(train.count, deps.random);
    deps.progress?.startEpoch(epoch, options.maxEpochs, batches);
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      const rows = order.slice(b * options.batchSize, (b + 1) * options.batchSize);
      const { xs, ys } = batchTensors(train, rows);
      const loss = (await model.trainOnBatch(xs, ys)) as number;
      xs.dispose();
      ys.dispose();
      lossSum += loss;
      deps.progress?.batch(b + 1, lossSum / (b + 1));
      // Kernels run synchronously; yielding lets timers (progress redraws, a worker's lock renewal) run.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const scored = lossAndAccuracy(predictSplit(model, validation), validation.labels);
    const record: EpochRecord = {
      epoch,
      trainLoss: lossSum / batches,
      validationLoss: scored.loss,
      validationAccuracy: scored.accuracy,
      seconds: deps.seconds() - epochStart,
    };
    history.push(record);
    deps.progress?.endEpoch(record);
    deps.logger?.info(record, 'sentiment epoch done');

    if (!best || record.validationLoss < best.loss) {
      for (const weight of best?.weights ?? []) weight.dispose();
      best = { loss: record.validationLoss, epoch, weights: model.getWeights().map((weight) => weight.clone()) };
    } else if (epoch - best.epoch >= options.patience) {
      stopReason = 'patience';
      break;
    }
    // Stop when another epoch as long as the slowest so far would overrun the budget.
    const elapsed = deps.seconds() - started;
    const slowestEpoch = Math.max(...history.map((r) => r.seconds));
    if (epoch < options.maxEpochs && elapsed + slowestEpoch > options.maxSeconds) {
      stopReason = 'time-budget';
      break;
    }
  }
  deps.progress?.stop();
  if (!best) throw new Error('training ran no epochs');
  model.setWeights(best.weights);
  for (const weight of best.weights) weight.dispose();
  return { model, history, bestEpoch: best.epoch, stopReason, seconds: deps.seconds() - started };
}
