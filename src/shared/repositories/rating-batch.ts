import type { UserRef } from '../chat/types.js';
import { replayReviews, type ReviewCardState } from '../quiz/fsrs.js';
import type { Database, Transaction } from './database.js';
import { sqlTimestamp } from './sql-timestamp.js';

export type RatingSource = 'button' | 'reaction';

export type RatingChange =
  | { kind: 'set'; postId: number; cardId: number; user: UserRef; confidence: number; source: RatingSource; at: Date }
  | { kind: 'withdraw'; postId: number; cardId: number; userId: string; confidence: number };

export interface RatingOutcome {
  postId: number;
  cardId: number;
  confidence: number | undefined;
  /** The user's FSRS state for the card after this change (undefined when no rating remains). */
  review: ReviewCardState | undefined;
}

/**
 * What became of one change: `applied` (a withdrawal that matched nothing is applied with no outcome),
 * or `duplicate` when its delivery key had already been committed — a redelivered event.
 */
export type ChangeResult = { status: 'applied'; outcome: RatingOutcome | undefined } | { status: 'duplicate' };

/**
 * A burst of clicks queues for the pool: wait for a connection rather than fail after Prisma's default
 * 2 s (a failed rating is a lost rating once the platform has been acknowledged).
 */
const RATING_TRANSACTION = { maxWait: 30_000, timeout: 30_000 };
/** Changes per transaction: large enough to amortise the round trips, small enough to keep locks short. */
const MAX_BATCH = 256;
/** Transactions in flight per client; more only contend for the same advisory locks and pool. */
const MAX_FLUSHES = 2;

interface Pending {
  change: RatingChange;
  deliveryKey: string | undefined;
  resolve: (result: ChangeResult) => void;
  reject: (error: unknown) => void;
}

const userOf = (change: RatingChange) => (change.kind === 'set' ? change.user.id : change.userId);
const marksOf = (pending: Pending) => [
  `pair\u0000${userOf(pending.change)}\u0000${pending.change.cardId}`,
  ...(pending.deliveryKey === undefined ? [] : [`delivery\u0000${pending.deliveryKey}`]),
];


/**
 * Group commit for rating changes. Every change that arrives while a transaction is in flight joins the
 * next one, so a burst of clicks costs a handful of round trips per batch instead of nine per click,
 * while a lone click still goes straight to the database. The delivery id is claimed inside the same
 * transaction as the rating, so a change is either stored with its claim or not at all: a redelivery
 * after a crash is processed, a redelivery after a commit is recognised.
 *
 * Within one transaction each (user, card) appears at most once (a second change waits for the next
 * batch), which keeps every change's effect exactly what it would have been alone and in order.
 */
export class RatingBatchWriter {
  private readonly queue: Pending[] = [];
  private flushing = 0;
  /** Pairs and delivery keys of the transactions in flight: a later change of either waits for them. */
  private readonly busy = new Map<string, number>();

  constructor(private readonly db: Database) {}

  apply(change: RatingChange, deliveryKey?: string): Promise<ChangeResult> {
    return new Promise<ChangeResult>((resolve, reject) => {
      this.queue.push({ change, deliveryKey, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.flushing < MAX_FLUSHES && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const marks = batch.flatMap(marksOf);
      for (const mark of marks) this.busy.set(mark, (this.busy.get(mark) ?? 0) + 1);
      this.flushing += 1;
      void this.flush(batch).finally(() => {
        for (const mark of marks) {
          const left = (this.busy.get(mark) ?? 1) - 1;
          if (left === 0) this.busy.delete(mark);
          else this.busy.set(mark, left);
        }
        this.flushing -= 1;
        this.pump();
      });
    }
  }

  /**
   * The oldest changes, skipping (and keeping in order for later) any whose pair or delivery is already
   * in this batch, waiting before it, or in a transaction in flight.
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const seen = new Set<string>();
    for (const pending of this.queue) {
      const marks = marksOf(pending);
      const blocked = batch.length >= MAX_BATCH || marks.some((mark) => seen.has(mark) || this.busy.has(mark));
      // Once a change is deferred, later changes of its pair must wait too, or they would overtake it.
      for (const mark of marks) seen.add(mark);
      (blocked ? rest : batch).push(pending);
    }
    this.queue.splice(0, this.queue.length, ...rest);
    return batch;
  }

  private async flush(batch: Pending[]): Promise<void> {
    try {
      const results = await this.db.$transaction((tx) => applyBatch(tx, batch), RATING_TRANSACTION);
      for (const [i, pending] of batch.entries()) pending.resolve(results[i] as ChangeResult);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One bad change (say, a post deleted meanwhile) must not fail the clicks batched with it.
      await Promise.all(batch.map((pending) => this.flush([pending])));
    }
  }
}

async function applyBatch(tx: Transaction, batch: Pending[]): Promise<ChangeResult[]> {
  const results: (ChangeResult | undefined)[] = batch.map(() => undefined);
  const keyed = batch.flatMap((pending) => (pending.deliveryKey === undefined ? [] : [pending.deliveryKey]));
  if (keyed.length > 0) {
    // Claimed in key order, like the locks below, so two bots' batches sharing keys cannot deadlock.
    const claimed = await tx.$queryRaw<{ key: string }[]>`
      INSERT INTO "ProcessedEvent" ("key", "processedAt") SELECT k, now() FROM unnest(${keyed}::text[]) AS k ORDER BY k
      ON CONFLICT ("key") DO NOTHING RETURNING "key"`;
    const fresh = new Set(claimed.map((row) => row.key));
    batch.forEach((pending, i) => {
      if (pending.deliveryKey !== undefined && !fresh.has(pending.deliveryKey)) results[i] = { status: 'duplicate' };
    });
  }
  const live = batch.map((pending, i) => ({ change: pending.change, i })).filter(({ i }) => results[i] === undefined);
  if (live.length === 0) return results as ChangeResult[];

  // Serialises every change of one (user, card) across transactions and processes, so the replayed FSRS
  // state reflects every committed rating; taken in one sorted order, so two batches cannot deadlock.
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(h, c) FROM (
      SELECT DISTINCT hashtext(u) AS h, c FROM unnest(${live.map(({ change }) => userOf(change))}::text[], ${live.map(({ change }) => change.cardId)}::int[]) AS pair(u, c)
      ORDER BY h, c) AS sorted`;

  const sets = live.flatMap(({ change, i }) => (change.kind === 'set' ? [{ change, i }] : []));
  const withdrawals = live.flatMap(({ change, i }) => (change.kind === 'withdraw' ? [{ change, i }] : []));
  if (sets.length > 0) {
    const users = new Map(sets.map(({ change }) => [change.user.id, change]));
    // In id order: a user's row is not covered by the (user, card) locks, and two batches (or bots)
    // upserting the same users in different orders would deadlock.
    await tx.$executeRaw`
      INSERT INTO "ChatUser" ("id", "displayName", "statsOptOut", "createdAt")
      SELECT id, name, false, at FROM unnest(
        ${[...users.keys()]}::text[], ${[...users.values()].map((change) => change.user.displayName)}::text[],
        ${[...users.values()].map((change) => sqlTimestamp(change.at))}::timestamp(3)[]) AS u(id, name, at)
      ORDER BY id
      ON CONFLICT ("id") DO UPDATE SET "displayName" = EXCLUDED."displayName"`;
    // Latest value wins; the first answer's time is kept (it is the review time FSRS sees).
    await tx.$executeRaw`
      INSERT INTO "Rating" ("postId", "userId", "value", "source", "ratedAt", "updatedAt")
      SELECT p, u, v, s, at, at FROM unnest(
        ${sets.map(({ change }) => change.postId)}::int[], ${sets.map(({ change }) => change.user.id)}::text[],
        ${sets.map(({ change }) => change.confidence)}::int[], ${sets.map(({ change }) => change.source)}::text[],
        ${sets.map(({ change }) => sqlTimestamp(change.at))}::timestamp(3)[]) AS r(p, u, v, s, at)
      ON CONFLICT ("postId", "userId") DO UPDATE
        SET "value" = EXCLUDED."value", "source" = EXCLUDED."source", "updatedAt" = EXCLUDED."updatedAt"
        WHERE "Rating"."value" IS DISTINCT FROM EXCLUDED."value" OR "Rating"."source" IS DISTINCT FROM EXCLUDED."source"`;
  }
  const withdrawn = new Set<string>();
  if (withdrawals.length > 0) {
    // Only the user's current rating, and only when it is that very reaction: removing an old emoji after
    // choosing another (or after clicking a button) withdraws nothing.
    const deleted = await tx.$queryRaw<{ postId: number; userId: string }[]>`
      DELETE FROM "Rating" AS r USING unnest(
        ${withdrawals.map(({ change }) => change.postId)}::int[], ${withdrawals.map(({ change }) => change.userId)}::text[],
        ${withdrawals.map(({ change }) => change.confidence)}::int[]) AS w(p, u, v)
      WHERE r."postId" = w.p AND r."userId" = w.u AND r."value" = w.v AND r."source" = 'reaction'
      RETURNING r."postId", r."userId"`;
    for (const row of deleted) withdrawn.add(`${row.postId}\u0000${row.userId}`);
  }

  const replayed = [
    ...sets.map(({ change, i }) => ({ change, i, userId: change.user.id })),
    ...withdrawals
      .filter(({ change }) => withdrawn.has(`${change.postId}\u0000${change.userId}`))
      .map(({ change, i }) => ({ change, i, userId: change.userId })),
  ];
  for (const { i } of withdrawals) results[i] = { status: 'applied', outcome: undefined };
  if (replayed.length === 0) return results as ChangeResult[];

  const history = await tx.$queryRaw<{ userId: string; cardId: number; value: number; ratedAt: Date }[]>`
    SELECT r."userId", p."cardId", r."value", r."ratedAt"
    FROM "Rating" AS r JOIN "Post" AS p ON p."id" = r."postId"
    JOIN unnest(${replayed.map(({ userId }) => userId)}::text[], ${replayed.map(({ change }) => change.cardId)}::int[]) AS pair(u, c)
      ON r."userId" = pair.u AND p."cardId" = pair.c
    ORDER BY r."ratedAt", r."id"`;
  const reviewsByPair = new Map<string, { confidence: number; at: Date }[]>();
  for (const row of history) {
    const key = `${row.userId}\u0000${row.cardId}`;
    const reviews = reviewsByPair.get(key) ?? [];
    reviews.push({ confidence: row.value, at: row.ratedAt });
    reviewsByPair.set(key, reviews);
  }
  const states = replayed.map(({ change, i, userId }) => ({
    change,
    i,
    userId,
    review: replayReviews(reviewsByPair.get(`${userId}\u0000${change.cardId}`) ?? []),
  }));
  for (const { change, i, review } of states) {
    results[i] = {
      status: 'applied',
      outcome: { postId: change.postId, cardId: change.cardId, confidence: change.kind === 'set' ? change.confidence : undefined, review },
    };
  }
  await saveReviewStates(tx, states);
  return results as ChangeResult[];
}

/** The derived FSRS state of each replayed (user, card): upserted, or deleted when no rating remains. */
async function saveReviewStates(
  tx: Transaction,
  states: { userId: string; change: RatingChange; review: ReviewCardState | undefined }[],
): Promise<void> {
  const kept = states.flatMap(({ userId, change, review }) => (review ? [{ userId, cardId: change.cardId, review }] : []));
  const gone = states.filter(({ review }) => !review);
  if (gone.length > 0) {
    await tx.$executeRaw`
      DELETE FROM "ReviewState" AS s USING unnest(${gone.map(({ userId }) => userId)}::text[], ${gone.map(({ change }) => change.cardId)}::int[]) AS g(u, c)
      WHERE s."userId" = g.u AND s."cardId" = g.c`;
  }
  if (kept.length === 0) return;
  const column = <T>(pick: (review: ReviewCardState) => T) => kept.map(({ review }) => pick(review));
  await tx.$executeRaw`
    INSERT INTO "ReviewState" ("userId", "cardId", "due", "stability", "difficulty", "elapsedDays", "scheduledDays",
      "learningSteps", "reps", "lapses", "state", "lastReview")
    SELECT * FROM unnest(
      ${kept.map(({ userId }) => userId)}::text[], ${kept.map(({ cardId }) => cardId)}::int[],
      ${column((review) => sqlTimestamp(review.due))}::timestamp(3)[], ${column((review) => review.stability)}::float8[],
      ${column((review) => review.difficulty)}::float8[], ${column((review) => review.elapsed_days)}::int[],
      ${column((review) => review.scheduled_days)}::int[], ${column((review) => review.learning_steps)}::int[],
      ${column((review) => review.reps)}::int[], ${column((review) => review.lapses)}::int[], ${column((review) => review.state)}::int[],
      ${column((review) => (review.last_review ? sqlTimestamp(review.last_review) : null))}::timestamp(3)[])
    ON CONFLICT ("userId", "cardId") DO UPDATE SET
      "due" = EXCLUDED."due", "stability" = EXCLUDED."stability", "difficulty" = EXCLUDED."difficulty",
      "elapsedDays" = EXCLUDED."elapsedDays", "scheduledDays" = EXCLUDED."scheduledDays",
      "learningSteps" = EXCLUDED."learningSteps", "reps" = EXCLUDED."reps", "lapses" = EXCLUDED."lapses",
      "state" = EXCLUDED."state", "lastReview" = EXCLUDED."lastReview"`;
}
