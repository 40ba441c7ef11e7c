import { describe, expect, it } from 'vitest';
import { isUserError, UserError } from '../../src/shared/errors.js';
import { lexiconVerdict } from '../../src/shared/sentiment/lexicon.js';
import { renderSentimentResult, scoreBar } from '../../src/shared/sentiment/render-result.js';
import { MAX_SENTIMENT_TEXT_CHARS, validateSentimentText } from '../../src/shared/sentiment/validate-text.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (!isUserError(err)) throw err;
    return err.code;
  }
}

describe('validateSentimentText', () => {
  it.each([[''], ['   '], ['\n\t'], [undefined], [null]])('rejects %j with a usage error', (text) => {
    expect(codeOf(() => validateSentimentText(text as string))).toBe('usage');
  });

  it('rejects text over the limit with a clear too_large error', () => {
    const err = (() => {
      try {
        validateSentimentText('a'.repeat(MAX_SENTIMENT_TEXT_CHARS + 1));
      } catch (e) {
        return e as UserError;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect(err?.code).toBe('too_large');
    expect(err?.message).toContain(String(MAX_SENTIMENT_TEXT_CHARS));
  });

  it('accepts exactly the limit, counting an emoji as one character', () => {
    expect(validateSentimentText('a'.repeat(MAX_SENTIMENT_TEXT_CHARS))).toHaveLength(MAX_SENTIMENT_TEXT_CHARS);
    expect(codeOf(() => validateSentimentText('😀'.repeat(MAX_SENTIMENT_TEXT_CHARS)))).toBeUndefined();
  });

  it.each([
    ['🎉🔥😀'],
    ['これは素晴らしい映画です'],
    ['مرحبا بالعالم'],
    ['<b>bold</b> <script>alert(1)</script> **markdown** `code`'],
    ['\u0000\u200b zero-width and NUL'],
  ])('accepts and renders %j without crashing', (text) => {
    const valid = validateSentimentText(text);
    const message = renderSentimentResult({ score: 0.5, label: 'positive' }, lexiconVerdict('vader', valid));
    expect(message.kind).toBe('text');
  });
});

describe('renderSentimentResult', () => {
  it('shows score, label, a bar and the lexicon verdict', () => {
    const message = renderSentimentResult({ score: 0.83, label: 'positive' }, { lexicon: 'vader', polarity: -0.25, label: 'negative' }, 'abc123');
    expect(message).toEqual({
      kind: 'text',
      markdown: [
        '**Sentiment:** 🙂 positive `▓▓▓▓▓▓▓▓░░` 0.83',
        '**VADER lexicon:** 🙁 negative (compound -0.25)',
        '_model abc123 · score 0 = negative, 1 = positive_',
      ].join('\n'),
    });
  });

  it('shows AFINN as its integer score', () => {
    const message = renderSentimentResult({ score: 0.2, label: 'negative' }, { lexicon: 'afinn', polarity: 3, label: 'positive' });
    expect(message.kind === 'text' && message.markdown).toBe(
      ['**Sentiment:** 🙁 negative `▓▓░░░░░░░░` 0.20', '**AFINN lexicon:** 🙂 positive (score +3)'].join('\n'),
    );
  });

  it('draws bars for the extremes and clamps bad values', () => {
    expect(scoreBar(0)).toBe('░░░░░░░░░░');
    expect(scoreBar(1)).toBe('▓▓▓▓▓▓▓▓▓▓');
    expect(scoreBar(Number.NaN)).toBe('░░░░░░░░░░');
    expect(scoreBar(7)).toBe('▓▓▓▓▓▓▓▓▓▓');
  });
});
