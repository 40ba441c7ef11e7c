import { type LexiconName, LEXICON_NAMES, lexiconLabel, } from '../../shared/sentiment/lexicon.js';
import { type BinaryLabel, type ClassificationMetrics, classificationMetrics, roundMetrics } from '../../shared/sentiment/metrics.js';
import type { LabelledText } from './imdb-dataset.js';

export interface SideBySide {
  model: ClassificationMetrics;
  afinn: ClassificationMetrics;
  vader: ClassificationMetrics;
  /** The lexicon with the higher accuracy on this data (F1 breaks a tie). */
  betterLexicon: LexiconName;
  /** model accuracy − better lexicon accuracy, in accuracy points (0..1). */
  marginOverBetterLexicon: number;
}

export function betterLexicon(metrics: Record<LexiconName, ClassificationMetrics>): LexiconName {
  const [first, ...rest] = LEXICON_NAMES as [LexiconName, ...LexiconName[]];
  return rest.reduce((best, name) => {
    const a = metrics[name];
    const b = metrics[best];
    return a.accuracy > b.accuracy || (a.accuracy === b.accuracy && a.f1 > b.f1) ? name : best;
  }, first);
}

/** Model (from its P(positive) per example) and both lexicons on the same examples. */
export function evaluateSideBySide(examples: readonly LabelledText[], probabilities: ArrayLike<number>, threshold: number): SideBySide {
  const actual = examples.map((example) => example.label);
  const modelLabels = examples.map((_, i): BinaryLabel => ((probabilities[i] as number) >= threshold ? 1 : 0));
  const lexiconLabels = (name: LexiconName) => examples.map((example) => lexiconLabel(name, example.text));
  const model = classificationMetrics(actual, modelLabels);
  const afinn = classificationMetrics(actual, lexiconLabels('afinn'));
  const vader = classificationMetrics(actual, lexiconLabels('vader'));
  const better = betterLexicon({ afinn, vader });
  return {
    model: roundMetrics(model),
    afinn: roundMetrics(afinn),
    vader: roundMetrics(vader),
    betterLexicon: better,
    marginOverBetterLexicon: Number((model.accuracy - (better === 'afinn' ? afinn : vader).accuracy).toFixed(4)),
  };
}
