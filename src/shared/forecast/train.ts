import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from '../tfjs/backend.js';
import { ARTIFACT_FORMAT, type PriceModelArtifact, serialiseNetwork, toStoredMetrics } from './artifact.js';
import {
  MIN_FIT_WINDOWS,
  MIN_VALIDATION_WINDOWS,
  type PriceModelConfig,
  type PriceModelConfigInput,
  resolvePriceModelConfig,
} from './config.js';
import { firstTargetIndex, modelSeries } from './features.js';
import { decideGate } from './gate.js';
import { fitResidualInterval, intervalAround } from './interval.js';
import { type ScoredForecast, scoreForecasts } from './metrics.js';
import { buildPriceNetwork } from './network.js';
import { type PriceModel, predictClosesWith, wrapPriceNetwork } from './price-model.js';
import { shuffledIndices, seededRandom } from '../random.js';
import { type MinMaxScaler, fitMinMaxScaler, scale, trainingPart } from './scaler.js';
import { slidingWindows } from './windows.js';

export class InsufficientHistoryError extends Error {
  override readonly name = 'InsufficientHistoryError';
  readonly code = 'insufficient-history';
  constructor(
    readonly closes: number,
    readonly needed: number,
  ) {
    super(`a price model needs at least ${needed} closes, got ${closes}`);
  }
}

/** The fewest closes `trainPriceModel` accepts for a config. */
export function minimumClosesFor(input: PriceModelConfigInput = {}): number {
  const config = resolvePriceModelConfig(input);
  return firstTargetIndex(config.window, config.target) + MIN_FIT_WINDOWS + MIN_VALIDATION_WINDOWS;
}

export interface TrainedPriceModel {
  artifact: PriceModelArtifact;
  model: PriceModel;
}

/**
 * Trains on exactly the closes it is given: callers pass the history up to their cut, so nothing after
 * it can reach the scaler, early stopping, the gate or the interval. The windows are split in time: the
 * first ones fit the network, the last `validationFraction` of them (the validation tail) pick the epoch,
 * decide the gate and give the interval's residual quantiles. The scaler sees the fit part only.
 */
export async function trainPriceModel(
  closes: readonly number[],
  configInput: PriceModelConfigInput = {},
  options: { lastDay?: string } = {},
): Promise<TrainedPriceModel> {
  await initTfBackend();
  const config = resolvePriceModelConfig(configInput);
  const needed = minimumClosesFor(config);
  if (closes.length < needed) throw new InsufficientHistoryError(closes.length, needed);

  const series = modelSeries(closes, config.target);
  const first = firstTargetIndex(config.window, config.target);
  const windowCount = closes.length - first;
  const validationCount = Math.min(
    windowCount - MIN_FIT_WINDOWS,
    Math.max(MIN_VALIDATION_WINDOWS, Math.round(windowCount * config.validationFraction)),
  );
  const fitEnd = closes.length - validationCount;
  const scaler = fitMinMaxScaler(trainingPart(series, fitEnd));

  const fit = slidingWindows(series, config.window, { from: first, to: fitEnd });
  const validation = slidingWindows(series, config.window, { from: fitEnd });
  const network = buildPriceNetwork(config);
  const { epochs, bestEpoch } = await fitWithEarlyStopping(network, config, scaler, fit, validation);

  const predicted = predictClosesWith(network, { config, scaler }, closes, validation.targetIndex);
  const quantiles = { lower: config.intervalLowerQuantile, upper: config.intervalUpperQuantile };
  const pairs = validation.targetIndex.map((t, i) => ({
    lastClose: closes[t - 1] as number,
    actual: closes[t] as number,
    rnn: predicted[i] as number,
  }));
  const intervals = {
    rnn: fitResidualInterval(pairs.map((p) => ({ actual: p.actual, predicted: p.rnn })), quantiles),
    naive: fitResidualInterval(pairs.map((p) => ({ actual: p.actual, predicted: p.lastClose })), quantiles),
  };
  const scored = (source: 'rnn' | 'naive'): ScoredForecast[] =>
    pairs.map((p) => {
      const value = source === 'rnn' ? p.rnn : p.lastClose;
      return { lastClose: p.lastClose, actual: p.actual, predicted: value, ...intervalAround(intervals[source], value) };
    });
  const rnnMetrics = scoreForecasts(scored('rnn'));
  const naiveMetrics = scoreForecasts(scored('naive'));
  const gate = decideGate(pairs.map((p) => ({ actual: p.actual, lastClose: p.lastClose, network: p.rnn })));

  const artifact: PriceModelArtifact = {
    format: ARTIFACT_FORMAT,
    config,
    scaler,
    network: await serialiseNetwork(network),
    intervals,
    published: gate.source,
    gate,
    validation: { rnn: toStoredMetrics(rnnMetrics), naive: toStoredMetrics(naiveMetrics) },
    training: {
      closes: closes.length,
      lastDay: options.lastDay ?? null,
      lastClose: closes[closes.length - 1] as number,
      fitWindows: fit.targets.length,
      validationWindows: validation.targets.length,
      epochs,
      bestEpoch,
    },
  };
  return { artifact, model: wrapPriceNetwork(network, artifact) };
}

function toTensors(scaler: MinMaxScaler, windows: { inputs: number[][]; targets: number[] }) {
  return {
    x: tf.tensor3d(windows.inputs.map((row) => row.map((v) => [scale(scaler, v)]))),
    y: tf.tensor2d(windows.targets.map((v) => [scale(scaler, v)])),
  };
}

/**
 * One `fit` call per epoch on a seeded shuffle (tfjs shuffles with Math.random), validation loss after
 * each, stop after `patience` epochs without improvement, then put the best epoch's weights back.
 */
async function fitWithEarlyStopping(
  network: tf.LayersModel,
  config: PriceModelConfig,
  scaler: MinMaxScaler,
  fit: { inputs: number[][]; targets: number[] },
  validation: { inputs: number[][]; targets: number[] },
): Promise<{ epochs: number; bestEpoch: number }> {
  const random = seededRandom(config.seed);
  const fitTensors = toTensors(scaler, fit);
  const validationTensors = toTensors(scaler, validation);
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: [] as tf.Tensor[] };
  let epoch = 0;
  try {
    while (epoch < config.maxEpochs && epoch - best.epoch < config.patience) {
      epoch++;
      const order = tf.tensor1d(shuffledIndices(fit.targets.length, random), 'int32');
      const x = tf.gather(fitTensors.x, order);
      const y = tf.gather(fitTensors.y, order);
      await network.fit(x, y, { epochs: 1, batchSize: config.batchSize, shuffle: false, verbose: 0 });
      tf.dispose([order, x, y]);
      const loss = tf.tidy(() => (network.evaluate(validationTensors.x, validationTensors.y) as tf.Scalar).dataSync()[0]);
      if (loss !== undefined && loss < best.loss) {
        tf.dispose(best.weights);
        best = { loss, epoch, weights: network.getWeights().map((w) => w.clone()) };
      }
    }
    if (best.weights.length > 0) network.setWeights(best.weights);
  } finally {
    tf.dispose([fitTensors.x, fitTensors.y, validationTensors.x, validationTensors.y, ...best.weights]);
  }
  return { epochs: epoch, bestEpoch: best.epoch };
}
