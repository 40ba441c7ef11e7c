import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { priceModelConfigSchema } from './config.js';
import { gateDecisionSchema } from './gate.js';
import { residualIntervalSchema } from './interval.js';
import type { ForecastMetrics } from './metrics.js';
import { minMaxScalerSchema } from './scaler.js';

export const ARTIFACT_FORMAT = 'quizcast.price-model.v1';

/** Metrics as stored: a metric that is undefined (no moves, a flat series) is null, as JSON has no NaN. */
export const storedMetricsSchema = z.object({
  n: z.number(),
  mae: z.number().nullable(),
  rmse: z.number().nullable(),
  mase: z.number().nullable(),
  directionalAccuracy: z.number().nullable(),
  intervalCoverage: z.number().nullable(),
});
export type StoredMetrics = z.infer<typeof storedMetricsSchema>;

export function toStoredMetrics(metrics: ForecastMetrics): StoredMetrics {
  const finite = (value: number) => (Number.isFinite(value) ? value : null);
  return {
    n: metrics.n,
    mae: finite(metrics.mae),
    rmse: finite(metrics.rmse),
    mase: finite(metrics.mase),
    directionalAccuracy: finite(metrics.directionalAccuracy),
    intervalCoverage: finite(metrics.intervalCoverage),
  };
}

export const forecastSourceSchema = z.enum(['rnn', 'naive']);
export type ForecastSource = z.infer<typeof forecastSourceSchema>;

const weightSpecSchema = z.object({
  name: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.literal('float32'),
});

/**
 * A trained price model as one JSON value (stored in a Postgres Json column): the Keras-style topology,
 * the float32 weights as base64, and everything needed to turn closes into a forecast without the
 * training data: config (window, target), scaler, intervals and which forecast the gate publishes.
 */
export const priceModelArtifactSchema = z.object({
  format: z.literal(ARTIFACT_FORMAT),
  config: priceModelConfigSchema,
  scaler: minMaxScalerSchema,
  network: z.object({
    topology: z.record(z.string(), z.unknown()),
    weightSpecs: z.array(weightSpecSchema),
    weightsBase64: z.string(),
  }),
  intervals: z.object({ rnn: residualIntervalSchema, naive: residualIntervalSchema }),
  published: forecastSourceSchema,
  gate: gateDecisionSchema,
  validation: z.object({ rnn: storedMetricsSchema, naive: storedMetricsSchema }),
  training: z.object({
    closes: z.number().int().positive(),
    lastDay: z.string().nullable(),
    lastClose: z.number(),
    fitWindows: z.number().int(),
    validationWindows: z.number().int(),
    epochs: z.number().int(),
    bestEpoch: z.number().int(),
  }),
});
export type PriceModelArtifact = z.infer<typeof priceModelArtifactSchema>;
export type PriceNetworkJson = PriceModelArtifact['network'];

/** Serialises a network's topology and weights; the weights round-trip bit for bit. */
export async function serialiseNetwork(model: tf.LayersModel): Promise<PriceNetworkJson> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData) {
    throw new Error('tfjs returned no topology or weights for the price network');
  }
  const weights = tf.io.CompositeArrayBuffer.join(saved.weightData);
  return {
    topology: saved.modelTopology as Record<string, unknown>,
    weightSpecs: saved.weightSpecs.map((spec) => {
      if (spec.dtype !== 'float32') throw new Error(`unexpected weight dtype ${spec.dtype} for ${spec.name}`);
      return { name: spec.name, shape: [...spec.shape], dtype: 'float32' as const };
    }),
    weightsBase64: Buffer.from(weights).toString('base64'),
  };
}

export async function deserialiseNetwork(network: PriceNetworkJson): Promise<tf.LayersModel> {
  const bytes = Buffer.from(network.weightsBase64, 'base64');
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: network.topology, weightSpecs: network.weightSpecs, weightData }),
  );
}

/** Validates a stored artifact (it comes back from the database as untyped JSON). */
export function parsePriceModelArtifact(json: unknown): PriceModelArtifact {
  return priceModelArtifactSchema.parse(json);
}
