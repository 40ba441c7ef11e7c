import { z } from 'zod';

export type BinaryLabel = 0 | 1;

export const classificationMetricsSchema = z.object({
  n: z.number().int().nonnegative(),
  accuracy: z.number(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  confusion: z.object({ tp: z.number(), fp: z.number(), tn: z.number(), fn: z.number() }),
});
export type ClassificationMetrics = z.infer<typeof classificationMetricsSchema>;

/** Binary metrics with "positive" (1) as the positive class; an undefined ratio is reported as 0. */
export function classificationMetrics(actual: readonly BinaryLabel[], predicted: readonly BinaryLabel[]): ClassificationMetrics {
  if (actual.length !== predicted.length) throw new Error('actual and predicted differ in length');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  actual.forEach((truth, i) => {
    const guess = predicted[i];
    if (guess === 1) truth === 1 ? tp++ : fp++;
    else truth === 0 ? tn++ : fn++;
  });
  const ratio = (num: number, den: number) => (den === 0 ? 0 : num / den);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    n: actual.length,
    accuracy: ratio(tp + tn, actual.length),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    confusion: { tp, fp, tn, fn },
  };
}

/** Rounds every number for stable, readable JSON (4 decimals is below any difference we report). */
export function roundMetrics(metrics: ClassificationMetrics, digits = 4): ClassificationMetrics {
  const round = (value: number) => Number(value.toFixed(digits));
  return {
    ...metrics,
    accuracy: round(metrics.accuracy),
    precision: round(metrics.precision),
    recall: round(metrics.recall),
    f1: round(metrics.f1),
  };
}
