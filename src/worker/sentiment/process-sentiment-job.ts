import { type Job, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { isUserError } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { LexiconVerdict } from '../../shared/sentiment/lexicon.js';
import { type SentimentLabel, SentimentScorer } from '../../shared/sentiment/scorer.js';
import { validateSentimentText } from '../../shared/sentiment/validate-text.js';

export const sentimentJobSchema = z.object({ text: z.string() });
export type SentimentJobData = z.infer<typeof sentimentJobSchema>;

export interface SentimentJobResult {
  score: number;
  label: SentimentLabel;
  lexicon: LexiconVerdict;
  modelVersion: string;
}

let scorer: Promise<SentimentScorer> | undefined;

/**
 * The scorer for this process, loaded on first use and then shared. A failed load is not cached, so
 * the next job retries it.
 */
export function sentimentScorer(directory?: string, logger?: Logger): Promise<SentimentScorer> {
  scorer ??= SentimentScorer.load(directory, logger).catch((err: unknown) => {
    scorer = undefined;
    throw err;
  });
  return scorer;
}

/** BullMQ processor: score one text. Bad input fails the job for good (retrying cannot fix it). */
export async function processSentimentJob(job: Job<SentimentJobData>): Promise<SentimentJobResult> {
  let text: string;
  try {
    text = validateSentimentText(sentimentJobSchema.parse(job.data).text);
  } catch (err) {
    if (isUserError(err)) throw new UnrecoverableError(`${err.code}: ${err.message}`);
    if (err instanceof z.ZodError) throw new UnrecoverableError(`invalid_input: ${err.message}`);
    throw err;
  }
  const loaded = await sentimentScorer();
  const { score, label } = loaded.score(text);
  return { score, label, lexicon: loaded.lexicon(text), modelVersion: loaded.modelVersion };
}
