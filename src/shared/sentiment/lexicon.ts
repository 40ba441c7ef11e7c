/**
 * The lexicon baselines the model is measured against: AFINN-165 (npm `sentiment`) and VADER
 * (npm `vader-sentiment`). Both see the raw text: their own tokenizers use punctuation, case and emoji.
 */
import Sentiment from 'sentiment';
import vader from 'vader-sentiment';
import { z } from 'zod';

export const lexiconNameSchema = z.enum(['afinn', 'vader']);
export type LexiconName = z.infer<typeof lexiconNameSchema>;
export const LEXICON_NAMES: readonly LexiconName[] = ['afinn', 'vader'];

export interface LexiconVerdict {
  lexicon: LexiconName;
  /**
   * The lexicon's own headline number: AFINN's score (sum of the −5..+5 valences of the words it
   * knows, unbounded) or VADER's compound score (−1..1). Its sign is the verdict.
   */
  polarity: number;
  /**
   * Ties (polarity exactly 0: no sentiment words found) count as positive, so both lexicons answer
   * every text, like the model; IMDB is balanced, so this neither helps nor hurts them on average.
   */
  label: 'positive' | 'negative';
}

const afinn = new Sentiment();

function afinnPolarity(text: string): number {
  return afinn.analyze(text).score;
}

function vaderPolarity(text: string): number {
  return vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
}

export function lexiconVerdict(lexicon: LexiconName, text: string): LexiconVerdict {
  const polarity = lexicon === 'afinn' ? afinnPolarity(text) : vaderPolarity(text);
  return { lexicon, polarity, label: polarity >= 0 ? 'positive' : 'negative' };
}

export function lexiconLabel(lexicon: LexiconName, text: string): 0 | 1 {
  return lexiconVerdict(lexicon, text).label === 'positive' ? 1 : 0;
}
