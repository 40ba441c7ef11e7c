/**
 * Which card a channel sees next. Pure: the caller gathers the members' review states.
 *
 * 1. Among cards that are due for at least one member who has rated in the channel, the one with the
 *    lowest mean retrievability across the members who have reviewed it.
 * 2. Otherwise the first card nobody in the channel has reviewed yet, in deck order.
 * 3. Otherwise (everything reviewed, nothing due) the lowest mean retrievability overall.
 * The card shown last time is never chosen again unless it is the only card.
 */
export interface CandidateCard {
  cardId: number;
  /** Deck order: deck id then card number, flattened by the caller. */
  order: number;
  memberStates: { retrievability: number; due: Date }[];
}

export function chooseNextCard(
  cards: readonly CandidateCard[],
  now: Date,
  previousCardId: number | undefined,
): number | undefined {
  if (cards.length === 0) return undefined;
  if (cards.length === 1) return cards[0]?.cardId;
  const eligible = cards.filter((card) => card.cardId !== previousCardId);
  const reviewed = eligible.filter((card) => card.memberStates.length > 0);
  const due = reviewed.filter((card) => card.memberStates.some((state) => state.due.getTime() <= now.getTime()));
  if (due.length > 0) return lowestMeanRetrievability(due);
  const fresh = eligible.filter((card) => card.memberStates.length === 0).sort((a, b) => a.order - b.order);
  if (fresh[0]) return fresh[0].cardId;
  return lowestMeanRetrievability(reviewed);
}

function lowestMeanRetrievability(cards: readonly CandidateCard[]): number | undefined {
  let best: { cardId: number; mean: number; order: number } | undefined;
  for (const card of cards) {
    const mean = card.memberStates.reduce((sum, state) => sum + state.retrievability, 0) / card.memberStates.length;
    if (!best || mean < best.mean || (mean === best.mean && card.order < best.order)) {
      best = { cardId: card.cardId, mean, order: card.order };
    }
  }
  return best?.cardId;
}
