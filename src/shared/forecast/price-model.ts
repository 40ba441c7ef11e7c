import * as tf from '@tensorflow/tfjs';
import { initTfBackend } from '../tfjs/backend.js';
import { type PriceModelArtifact, deserialiseNetwork, parsePriceModelArtifact } from './artifact.js';
import { closeFromModelValue, firstTargetIndex, modelSeries } from './features.js';
import { scale, unscale } from './scaler.js';
import { windowInputs } from './windows.js';

/** A trained network with the artifact that describes it; predictions use only closes before each target. */
export interface PriceModel {
  readonly artifact: PriceModelArtifact;
  /** The network's forecast of closes[t] for each t, from closes[0..t-1]; t may be closes.length. */
  predictCloses(closes: readonly number[], targetIndices: readonly number[]): number[];
  dispose(): void;
}

export function wrapPriceNetwork(network: tf.LayersModel, artifact: PriceModelArtifact): PriceModel {
  return {
    artifact,
    predictCloses: (closes, targetIndices) => predictClosesWith(network, artifact, closes, targetIndices),
    dispose: () => network.dispose(),
  };
}

/** The network's close forecasts for target indices t, each from a window of closes before t. */
export function predictClosesWith(
  network: tf.LayersModel,
  { config, scaler }: Pick<PriceModelArtifact, 'config' | 'scaler'>,
  closes: readonly number[],
  targetIndices: readonly number[],
): number[] {
  if (targetIndices.length === 0) return [];
  const first = firstTargetIndex(config.window, config.target);
  for (const t of targetIndices) {
    if (t < first || t > closes.length) throw new RangeError(`cannot forecast index ${t} from ${closes.length} closes`);
  }
  const series = modelSeries(closes, config.target);
  const inputs = windowInputs(series, config.window, targetIndices).map((row) => row.map((v) => scale(scaler, v)));
  const scaled = tf.tidy(() => {
    const x = tf.tensor3d(inputs.map((row) => row.map((v) => [v])));
    return (network.predict(x) as tf.Tensor).dataSync();
  });
  return targetIndices.map((t, i) =>
    closeFromModelValue(config.target, unscale(scaler, scaled[i] as number), closes[t - 1] as number),
  );
}

/** Rebuilds a model from a stored artifact (validated); it predicts exactly as the model that was saved. */
export async function loadPriceModel(artifact: unknown): Promise<PriceModel> {
  await initTfBackend();
  const parsed = parsePriceModelArtifact(artifact);
  return wrapPriceNetwork(await deserialiseNetwork(parsed.network), parsed);
}
