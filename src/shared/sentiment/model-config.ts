import { z } from 'zod';
import { CLEANING_VERSION } from './text-cleaning.js';

export const recurrentKindSchema = z.enum(['simpleRNN', 'gru', 'lstm']);
export type RecurrentKind = z.infer<typeof recurrentKindSchema>;

/** Everything needed to rebuild the network and to encode text exactly as training did. */
export const sentimentModelConfigSchema = z.object({
  cleaningVersion: z.literal(CLEANING_VERSION),
  vocabularySize: z.number().int().min(3),
  sequenceLength: z.number().int().positive(),
  embeddingDim: z.number().int().positive(),
  recurrent: recurrentKindSchema,
  units: z.number().int().positive(),
  dropout: z.number().min(0).max(0.9),
  /** score ≥ threshold → positive. */
  threshold: z.number().min(0).max(1),
});
export type SentimentModelConfig = z.infer<typeof sentimentModelConfigSchema>;

/**
 * The shipped model. GRU rather than the seed's SimpleRNN because it measurably wins on validation
 * (0.888 vs 0.853 accuracy, same data, seed and budget; see docs/sentiment.md).
 */
export const DEFAULT_MODEL_CONFIG: SentimentModelConfig = {
  cleaningVersion: CLEANING_VERSION,
  vocabularySize: 10_000,
  sequenceLength: 200,
  embeddingDim: 32,
  recurrent: 'gru',
  units: 32,
  dropout: 0,
  threshold: 0.5,
};
