import { createHash } from 'node:crypto';
import { seededRandom, shuffledIndices } from '../../shared/random.js';
import { cleanText } from '../../shared/sentiment/text-cleaning.js';
import type { LabelledText } from './imdb-dataset.js';

export interface SplitOptions {
  seed: number;
  validationFraction: number;
  testFraction: number;
}

export interface DatasetSplit {
  train: LabelledText[];
  validation: LabelledText[];
  test: LabelledText[];
  summary: SplitSummary;
}

export interface SplitSummary {
  seed: number;
  source: number;
  duplicatesDropped: number;
  conflictingLabelsDropped: number;
  sizes: { train: number; validation: number; test: number };
  positives: { train: number; validation: number; test: number };
  /** SHA-256 (first 16 hex) of the test texts in order: proves two runs scored the same test set. */
  testFingerprint: string;
}

/**
 * Drops duplicates (same text after cleaning, so markup or spacing differences do not leak a review
 * into two splits), dropping every copy when copies disagree on the label; then shuffles with `seed`
 * and cuts test, validation and train, in that order.
 */
export function splitDataset(examples: readonly LabelledText[], options: SplitOptions): DatasetSplit {
  const byKey = new Map<string, { example: LabelledText; conflicting: boolean; copies: number }>();
  for (const example of examples) {
    const key = cleanText(example.text);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { example, conflicting: false, copies: 1 });
    else {
      seen.copies++;
      if (seen.example.label !== example.label) seen.conflicting = true;
    }
  }
  const groups = [...byKey.values()];
  const unique = groups.filter((group) => !group.conflicting).map((group) => group.example);
  const conflictingLabelsDropped = groups.filter((group) => group.conflicting).reduce((sum, group) => sum + group.copies, 0);
  const duplicatesDropped = examples.length - unique.length - conflictingLabelsDropped;

  const order = shuffledIndices(unique.length, seededRandom(options.seed));
  const shuffled = order.map((i) => unique[i] as LabelledText);
  const testSize = Math.round(shuffled.length * options.testFraction);
  const validationSize = Math.round(shuffled.length * options.validationFraction);
  const test = shuffled.slice(0, testSize);
  const validation = shuffled.slice(testSize, testSize + validationSize);
  const train = shuffled.slice(testSize + validationSize);

  const positives = (split: LabelledText[]) => split.filter((example) => example.label === 1).length;
  const fingerprint = createHash('sha256');
  for (const example of test) fingerprint.update(example.text).update('\n');
  return {
    train,
    validation,
    test,
    summary: {
      seed: options.seed,
      source: examples.length,
      duplicatesDropped,
      conflictingLabelsDropped,
      sizes: { train: train.length, validation: validation.length, test: test.length },
      positives: { train: positives(train), validation: positives(validation), test: positives(test) },
      testFingerprint: fingerprint.digest('hex').slice(0, 16),
    },
  };
}
