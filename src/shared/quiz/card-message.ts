import type { Button, OutgoingMessage } from '../chat/types.js';
import { RATING_EMOJI } from '../chat/types.js';
import { CONFIDENCE_LABELS } from './fsrs.js';

export const FOOTER_PROMPT = 'How well did you know this?';

/** Button ids carry the post id so a click needs no server-side message lookup. */
export type CardAction =
  | { kind: 'rate'; postId: number; confidence: number }
  | { kind: 'reveal'; postId: number }
  | { kind: 'reveal-card'; cardId: number };

export function rateActionId(postId: number, confidence: number): string {
  return `rate:${postId}:${confidence}`;
}

export function revealActionId(postId: number): string {
  return `reveal:${postId}`;
}

/** For private reviews, which are not posts: reveals a card's answer to the clicking user. */
export function revealCardActionId(cardId: number): string {
  return `reveal-card:${cardId}`;
}

export function parseCardAction(actionId: string): CardAction | undefined {
  const rate = /^rate:(\d{1,12}):([1-5])$/.exec(actionId);
  if (rate) return { kind: 'rate', postId: Number(rate[1]), confidence: Number(rate[2]) };
  const reveal = /^reveal:(\d{1,12})$/.exec(actionId);
  if (reveal) return { kind: 'reveal', postId: Number(reveal[1]) };
  const revealCard = /^reveal-card:(\d{1,12})$/.exec(actionId);
  if (revealCard) return { kind: 'reveal-card', cardId: Number(revealCard[1]) };
  return undefined;
}

export function confidenceFromEmoji(emoji: string): number | undefined {
  const index = RATING_EMOJI.indexOf(emoji as (typeof RATING_EMOJI)[number]);
  return index === -1 ? undefined : index + 1;
}

export function ratingButtonLabel(confidence: number): string {
  const label = CONFIDENCE_LABELS[confidence];
  return label ? `${confidence} · ${label}` : String(confidence);
}

export interface CardView {
  postId: number;
  deckName: string;
  cardNumber: number;
  question: string;
}

export function renderCardMessage(card: CardView): OutgoingMessage {
  const buttons: Button[] = [
    { id: revealActionId(card.postId), label: 'Show answer', style: 'secondary' },
    ...[1, 2, 3, 4, 5].map((confidence) => ({
      id: rateActionId(card.postId, confidence),
      label: ratingButtonLabel(confidence),
      style: 'primary' as const,
    })),
  ];
  const title = `${card.deckName} · card ${card.cardNumber}`;
  return {
    kind: 'card',
    title,
    body: `${card.question}\n\n${FOOTER_PROMPT} 1 Not at all … 5 Perfectly`,
    buttons,
    fallbackText: `${title}: ${card.question}`,
    reactions: [...RATING_EMOJI],
  };
}
