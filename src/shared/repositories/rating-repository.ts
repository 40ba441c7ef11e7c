import type { UserRef } from '../chat/types.js';
import { replayReviews, type ReviewCardState } from '../quiz/fsrs.js';
import type { Database, Transaction } from './database.js';
import { saveReviewState } from './review-repository.js';

export type RatingSource = 'button' | 'reaction';

/**
 * A burst of clicks queues for the pool: wait for a connection rather than fail after Prisma's default
 * 2 s (a failed rating is a lost rating once the platform has been acknowledged).
 */
const RATING_TRANSACTION = { maxWait: 30_000, timeout: 30_000 };

export interface RatingOutcome {
  postId: number;
  cardId: number;
  confidence: number | undefined;
  /** The user's FSRS state for the card after this change (undefined when no rating remains). */
  review: ReviewCardState | undefined;
}

/**
 * Serialises all rating changes of one (user, card) so the replayed FSRS state always reflects every
 * committed rating, even when two clicks arrive at once.
 */
async function lockUserCard(tx: Transaction, userId: string, cardId: number): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${userId}), ${cardId}::int)`;
}

async function replayUserCard(tx: Transaction, userId: string, cardId: number): Promise<ReviewCardState | undefined> {
  const ratings = await tx.rating.findMany({
    where: { userId, post: { cardId } },
    select: { value: true, ratedAt: true },
    orderBy: [{ ratedAt: 'asc' }, { id: 'asc' }],
  });
  const review = replayReviews(ratings.map((rating) => ({ confidence: rating.value, at: rating.ratedAt })));
  await saveReviewState(tx, userId, cardId, review);
  return review;
}

/**
 * Records a user's rating of a post: one row per (post, user), latest value wins, first answer's time
 * kept. Repeating the same rating changes nothing.
 */
export async function recordRating(
  db: Database,
  input: { postId: number; cardId: number; user: UserRef; confidence: number; source: RatingSource; at: Date },
): Promise<RatingOutcome> {
  return db.$transaction(async (tx) => {
    await lockUserCard(tx, input.user.id, input.cardId);
    await tx.$executeRaw`
      INSERT INTO "ChatUser" ("id", "displayName", "statsOptOut", "createdAt")
      VALUES (${input.user.id}, ${input.user.displayName}, false, ${input.at})
      ON CONFLICT ("id") DO UPDATE SET "displayName" = EXCLUDED."displayName"`;
    await tx.$executeRaw`
      INSERT INTO "Rating" ("postId", "userId", "value", "source", "ratedAt", "updatedAt")
      VALUES (${input.postId}, ${input.user.id}, ${input.confidence}, ${input.source}, ${input.at}, ${input.at})
      ON CONFLICT ("postId", "userId") DO UPDATE
        SET "value" = EXCLUDED."value", "source" = EXCLUDED."source", "updatedAt" = EXCLUDED."updatedAt"
        WHERE "Rating"."value" IS DISTINCT FROM EXCLUDED."value" OR "Rating"."source" IS DISTINCT FROM EXCLUDED."source"`;
    const review = await replayUserCard(tx, input.user.id, input.cardId);
    return { postId: input.postId, cardId: input.cardId, confidence: input.confidence, review };
  }, RATING_TRANSACTION);
}

/**
 * Withdraws a reaction rating: only when the user's current rating on the post is that very reaction,
 * so removing an old emoji after choosing a new one (or after clicking a button) withdraws nothing.
 */
export async function withdrawReactionRating(
  db: Database,
  input: { postId: number; cardId: number; userId: string; confidence: number },
): Promise<RatingOutcome | undefined> {
  return db.$transaction(async (tx) => {
    await lockUserCard(tx, input.userId, input.cardId);
    const deleted = await tx.rating.deleteMany({
      where: { postId: input.postId, userId: input.userId, value: input.confidence, source: 'reaction' },
    });
    if (deleted.count === 0) return undefined;
    const review = await replayUserCard(tx, input.userId, input.cardId);
    return { postId: input.postId, cardId: input.cardId, confidence: undefined, review };
  }, RATING_TRANSACTION);
}

export interface ExportedRating {
  conversation: string;
  deck: string;
  cardNumber: number;
  question: string;
  user: string;
  userName: string;
  rating: number;
  source: string;
  ratedAt: string;
  updatedAt: string;
}

export async function exportRatings(db: Database): Promise<ExportedRating[]> {
  const rows = await db.rating.findMany({
    orderBy: [{ ratedAt: 'asc' }, { id: 'asc' }],
    include: {
      user: { select: { displayName: true } },
      post: {
        select: {
          conversation: { select: { ref: true } },
          card: { select: { number: true, question: true, deck: { select: { name: true } } } },
        },
      },
    },
  });
  return rows.map((row) => ({
    conversation: row.post.conversation.ref,
    deck: row.post.card.deck.name,
    cardNumber: row.post.card.number,
    question: row.post.card.question,
    user: row.userId,
    userName: row.user.displayName,
    rating: row.value,
    source: row.source,
    ratedAt: row.ratedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}
