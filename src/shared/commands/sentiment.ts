import { UserError } from '../errors.js';
import type { LexiconVerdict } from '../sentiment/lexicon.js';
import { renderSentimentResult } from '../sentiment/render-result.js';
import { MAX_SENTIMENT_TEXT_CHARS, validateSentimentText } from '../sentiment/validate-text.js';
import type { CommandDefinition } from './command.js';

/**
 * /sentiment <text>: validated here, scored by the worker. The reply comes in two parts so the chat is
 * acknowledged at once and a busy model never holds up the platform's deadline.
 */
export const sentimentCommand: CommandDefinition = {
  name: 'sentiment',
  description: 'Score the sentiment of a text with our RNN, with a lexicon’s verdict beside it',
  usage: '/sentiment <text>',
  options: [{ name: 'text', description: `Text to score (at most ${MAX_SENTIMENT_TEXT_CHARS} characters)`, type: 'string', required: true }],
  async handle(event, context) {
    const text = validateSentimentText(event.text);
    const sentiment = context.sentiment;
    if (!sentiment) throw new UserError('unavailable', 'Sentiment scoring is not available here.');
    const followUp = sentiment.score(text).then((result) => [
      {
        message: renderSentimentResult(
          { score: result.score, label: result.label },
          result.lexicon as LexiconVerdict,
          typeof result.modelVersion === 'string' ? result.modelVersion : undefined,
        ),
      },
    ]);
    return { replies: [{ message: { kind: 'text', markdown: '_Scoring…_' }, ephemeral: true }], followUp };
  },
};
