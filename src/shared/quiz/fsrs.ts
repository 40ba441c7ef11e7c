import { type Card as FsrsCard, createEmptyCard, fsrs, type Grade, Rating } from 'ts-fsrs';

/**
 * Confidence (1–5, as the card footer asks) → FSRS grade. 1 and 2 both mean "did not know it" (Again);
 * 3 is Hard, 4 Good, 5 Easy.
 */
export function gradeForConfidence(confidence: number): Grade {
  switch (confidence) {
    case 1:
    case 2:
      return Rating.Again;
    case 3:
      return Rating.Hard;
    case 4:
      return Rating.Good;
    case 5:
      return Rating.Easy;
    default:
      throw new RangeError(`confidence must be 1..5, got ${confidence}`);
  }
}

export const CONFIDENCE_LABELS: Record<number, string> = {
  1: 'Not at all',
  2: '',
  3: '',
  4: '',
  5: 'Perfectly',
};

export const GRADE_NAMES: Record<Grade, string> = {
  [Rating.Again]: 'Again',
  [Rating.Hard]: 'Hard',
  [Rating.Good]: 'Good',
  [Rating.Easy]: 'Easy',
};

/**
 * A card is shown at most once a day, so minute-scale learning steps mean nothing here: short-term
 * scheduling is off. Fuzz is off so the same ratings always give the same schedule.
 */
const scheduler = fsrs({ enable_short_term: false, enable_fuzz: false });

export interface Review {
  confidence: number;
  at: Date;
}

export type ReviewCardState = FsrsCard;

/**
 * The card's state after these reviews, replayed from scratch in time order. Replaying (instead of
 * updating incrementally) is what makes a changed rating leave the state exactly as if only the final
 * rating had been given.
 */
export function replayReviews(reviews: readonly Review[]): ReviewCardState | undefined {
  if (reviews.length === 0) return undefined;
  const ordered = [...reviews].sort((a, b) => a.at.getTime() - b.at.getTime());
  let card: FsrsCard = createEmptyCard(ordered[0]?.at);
  for (const review of ordered) {
    card = scheduler.next(card, review.at, gradeForConfidence(review.confidence)).card;
  }
  return card;
}

export function retrievability(card: ReviewCardState, now: Date): number {
  return scheduler.get_retrievability(card, now, false);
}
