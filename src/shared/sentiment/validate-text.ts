import { UserError } from '../errors.js';

/** Longest text /sentiment accepts: a few paragraphs; the model reads at most its last 200 words anyway. */
export const MAX_SENTIMENT_TEXT_CHARS = 2000;

export const SENTIMENT_USAGE = 'Usage: `/sentiment <text>` — e.g. `/sentiment The demo went really well today!`';

/**
 * Checks chat input before it reaches the model: empty or whitespace-only → usage error; longer than
 * MAX_SENTIMENT_TEXT_CHARS (counted in Unicode code points, so an emoji is one) → a clear error rather
 * than a silent truncation. Any other text — emoji, any script, markup — is accepted as is.
 */
export function validateSentimentText(text: string | undefined | null): string {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') throw new UserError('usage', SENTIMENT_USAGE);
  const length = [...trimmed].length;
  if (length > MAX_SENTIMENT_TEXT_CHARS) {
    throw new UserError(
      'too_large',
      `That text is ${length} characters; /sentiment reads at most ${MAX_SENTIMENT_TEXT_CHARS}. Please send a shorter excerpt.`,
      { length, max: MAX_SENTIMENT_TEXT_CHARS },
    );
  }
  return trimmed;
}
