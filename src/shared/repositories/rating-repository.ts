import type { UserRef } from '../chat/types.js';
import type { Database } from './database.js';
import { type ChangeResult, RatingBatchWriter, type RatingSource } from './rating-batch.js';

export type { ChangeResult, RatingSource } from './rating-batch.js';

/** One group-commit writer per client, so every caller of this process shares its batches. */
const writers = new WeakMap<Database, RatingBatchWriter>();

function writerFor(db: Database): RatingBatchWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new RatingBatchWriter(db);
    writers.set(db, writer);
  }
  return writer;
}

/**
 * Records a user's rating of a post: one row per (post, user), latest value wins, first answer's time
 * kept, FSRS state replayed. Repeating the same rating changes nothing. With a delivery key, a key
 * already committed makes this a `duplicate` that changes nothing.
 */
export function recordRating(
  db: Database,
  input: { postId: number; cardId: number; user: UserRef; confidence: number; source: RatingSource; at: Date },
  deliveryKey?: string,
): Promise<ChangeResult> {
  return writerFor(db).apply({ kind: 'set', ...input }, deliveryKey);
}

/**
 * Withdraws a reaction rating: only when the user's current rating on the post is that very reaction
 * (the outcome is undefined when nothing was withdrawn).
 */
export function withdrawReactionRating(
  db: Database,
  input: { postId: number; cardId: number; userId: string; confidence: number },
  deliveryKey?: string,
): Promise<ChangeResult> {
  return writerFor(db).apply({ kind: 'withdraw', ...input }, deliveryKey);
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
