import type { ConversationRef } from '../chat/types.js';
import { type ReviewCardState, retrievability } from '../quiz/fsrs.js';
import type { CandidateCard } from '../quiz/card-selection.js';
import type { Database, DatabaseOrTransaction } from './database.js';

export function toFsrsCard(row: {
  due: Date;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: Date | null;
}): ReviewCardState {
  return {
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsedDays,
    scheduled_days: row.scheduledDays,
    learning_steps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    ...(row.lastReview ? { last_review: row.lastReview } : {}),
  };
}

export async function findReviewState(db: DatabaseOrTransaction, userId: string, cardId: number) {
  return db.reviewState.findUnique({ where: { userId_cardId: { userId, cardId } } });
}

/** Every card with the review states of the members who have rated in this conversation. */
export async function loadCandidateCards(
  db: Database,
  conversation: ConversationRef,
  now: Date,
): Promise<CandidateCard[]> {
  const members = await db.rating.findMany({
    where: { post: { conversation: { ref: conversation } } },
    distinct: ['userId'],
    select: { userId: true },
  });
  const memberIds = members.map((member) => member.userId);
  const cards = await db.card.findMany({
    orderBy: [{ deckId: 'asc' }, { number: 'asc' }],
    include: { reviews: { where: { userId: { in: memberIds } } } },
  });
  return cards.map((card, order) => ({
    cardId: card.id,
    order,
    memberStates: card.reviews.map((review) => ({
      retrievability: retrievability(toFsrsCard(review), now),
      due: review.due,
    })),
  }));
}

/** The user's review state that is due soonest, with its card. */
export async function findMostDueReview(db: Database, userId: string) {
  return db.reviewState.findFirst({
    where: { userId },
    orderBy: [{ due: 'asc' }, { cardId: 'asc' }],
    include: { card: { include: { deck: { select: { name: true } } } } },
  });
}
