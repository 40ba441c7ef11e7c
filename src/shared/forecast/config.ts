import { z } from 'zod';
import { targetKindSchema } from './features.js';

/**
 * Everything that shapes a trained price model. Defaults: the seed's window of 10 past closes, a small
 * SimpleRNN (the seed's layer; GRU and LSTM are options), log-return targets, early stopping on the last
 * 20% of windows, a nominal 90% interval. All of it is stored in the artifact.
 */
export const priceModelConfigSchema = z.object({
  window: z.number().int().min(1).max(250).default(10),
  cell: z.enum(['simpleRNN', 'gru', 'lstm']).default('simpleRNN'),
  units: z.number().int().min(1).max(256).default(16),
  target: targetKindSchema.default('logReturn'),
  maxEpochs: z.number().int().min(1).max(500).default(25),
  /** Epochs without a better validation loss before training stops (the best weights are kept). */
  patience: z.number().int().min(1).max(100).default(4),
  batchSize: z.number().int().min(1).max(4096).default(256),
  learningRate: z.number().positive().max(1).default(0.004),
  /** Share of the training windows held out, at the end, for early stopping, the gate and the interval. */
  validationFraction: z.number().gt(0).lt(1).default(0.2),
  intervalLowerQuantile: z.number().gt(0).lt(0.5).default(0.05),
  intervalUpperQuantile: z.number().gt(0.5).lt(1).default(0.95),
  seed: z.number().int().default(42),
});
export type PriceModelConfig = z.infer<typeof priceModelConfigSchema>;
export type PriceModelConfigInput = z.input<typeof priceModelConfigSchema>;

/** Fewest windows for a fit that means anything, and for a validation tail that can judge it. */
export const MIN_FIT_WINDOWS = 30;
export const MIN_VALIDATION_WINDOWS = 20;

export function resolvePriceModelConfig(input: PriceModelConfigInput = {}): PriceModelConfig {
  return priceModelConfigSchema.parse(input);
}
