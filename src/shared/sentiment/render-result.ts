import type { OutgoingMessage } from '../chat/types.js';
import type { LexiconVerdict } from './lexicon.js';
import type { SentimentScore } from './scorer.js';

const BAR_CELLS = 10;
const LEXICON_TITLES: Record<LexiconVerdict['lexicon'], string> = { afinn: 'AFINN', vader: 'VADER' };

/** AFINN's score is a sum of integer valences; VADER's compound is a −1..1 fraction. */
function lexiconNumber(lexicon: LexiconVerdict): string {
  const sign = lexicon.polarity > 0 ? '+' : '';
  return lexicon.lexicon === 'afinn'
    ? `score ${sign}${lexicon.polarity}`
    : `compound ${sign}${lexicon.polarity.toFixed(2)}`;
}

/** "▓▓▓▓▓▓▓░░░" for 0.7: the score as filled cells, rounded to the nearest tenth. */
export function scoreBar(score: number, cells = BAR_CELLS): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(score) ? score : 0));
  const filled = Math.round(clamped * cells);
  return '▓'.repeat(filled) + '░'.repeat(cells - filled);
}

function labelWithEmoji(label: 'positive' | 'negative'): string {
  return label === 'positive' ? '🙂 positive' : '🙁 negative';
}

/**
 * The /sentiment reply: the model's score as a number and a bar, its label, and the lexicon's verdict
 * on the same text beside it so readers can see where the two disagree.
 */
export function renderSentimentResult(result: SentimentScore, lexicon: LexiconVerdict, modelVersion?: string): OutgoingMessage {
  const lines = [
    `**Sentiment:** ${labelWithEmoji(result.label)} \`${scoreBar(result.score)}\` ${result.score.toFixed(2)}`,
    `**${LEXICON_TITLES[lexicon.lexicon]} lexicon:** ${labelWithEmoji(lexicon.label)} (${lexiconNumber(lexicon)})`,
  ];
  if (modelVersion) lines.push(`_model ${modelVersion} · score 0 = negative, 1 = positive_`);
  return { kind: 'text', markdown: lines.join('\n') };
}
