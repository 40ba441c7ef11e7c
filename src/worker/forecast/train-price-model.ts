import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { type PriceModelArtifact, type StoredMetrics, toStoredMetrics } from '../../shared/forecast/artifact.js';
import { priceModelConfigSchema } from '../../shared/forecast/config.js';
import { trainPriceModel } from '../../shared/forecast/train.js';
import { walkForward } from '../../shared/forecast/walk-forward.js';

const dailyClosesSchema = z
  .array(z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), close: z.number().positive().finite() }))
  .refine((closes) => closes.every((c, i) => i === 0 || (closes[i - 1] as { day: string }).day < c.day), {
    message: 'closes must be in strictly increasing day order',
  });

export const trainPriceModelOptionsSchema = z.object({
  config: priceModelConfigSchema.partial().default({}),
  /**
   * Also score a walk-forward holdout of this many final days (a model trained without them, then the
   * published model retrained on everything). 0, the default, skips it and keeps a retrain to one fit.
   */
  holdoutDays: z.number().int().min(0).default(0),
});
export type TrainPriceModelOptions = z.input<typeof trainPriceModelOptionsSchema>;

export interface PriceModelMetrics {
  /** The validation tail inside the training data: what the gate decided on. */
  validation: { rnn: StoredMetrics; naive: StoredMetrics };
  holdout: { rnn: StoredMetrics; naive: StoredMetrics; published: StoredMetrics } | null;
  closes: number;
  dataThrough: string;
  epochs: number;
  bestEpoch: number;
  trainMs: number;
}

export interface TrainPriceModelResult {
  artifact: PriceModelArtifact;
  metrics: PriceModelMetrics;
  published: 'rnn' | 'naive';
}

/**
 * Retrains a symbol's price model on all its daily closes. Plain JSON in and out, so a BullMQ sandboxed
 * processor (or a worker thread) can call it and post the result back; the artifact goes to the
 * PriceModel row as is. Throws InsufficientHistoryError (code 'insufficient-history') on a short series.
 */
export async function trainPriceModelForSeries(
  closes: readonly { day: string; close: number }[],
  options: TrainPriceModelOptions = {},
): Promise<TrainPriceModelResult> {
  const series = dailyClosesSchema.parse(closes);
  const { config, holdoutDays } = trainPriceModelOptionsSchema.parse(options);
  const values = series.map((c) => c.close);
  const last = series[series.length - 1];
  const started = performance.now();

  let holdout: PriceModelMetrics['holdout'] = null;
  if (holdoutDays > 0) {
    const result = await walkForward(values, { config, cut: values.length - holdoutDays });
    holdout = {
      rnn: toStoredMetrics(result.rnn),
      naive: toStoredMetrics(result.naive),
      published: toStoredMetrics(result.published),
    };
  }
  const { artifact, model } = await trainPriceModel(values, config, last ? { lastDay: last.day } : {});
  model.dispose();

  return {
    artifact,
    published: artifact.published,
    metrics: {
      validation: artifact.validation,
      holdout,
      closes: values.length,
      dataThrough: last?.day ?? '',
      epochs: artifact.training.epochs,
      bestEpoch: artifact.training.bestEpoch,
      trainMs: Math.round(performance.now() - started),
    },
  };
}
