import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { createPrismaClient, type PrismaClient } from '../../src/shared/db/client.js';
import { replayReviews } from '../../src/shared/quiz/fsrs.js';
import { createOnDemandPost } from '../../src/shared/repositories/post-repository.js';
import { recordRating, withdrawReactionRating } from '../../src/shared/repositories/rating-repository.js';
import { seededRandom } from '../../src/shared/random.js';
import { holdLocks, lockWaiters } from '../chaos/support.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually } from '../support/processes.js';

const FOOTER = 'How well did you know this?\n1\nNot at all\n2\n3\n4\n5\nPerfectly\n';
const DECK = ['first', 'second', 'third'].map((word, i) => `${i + 1}\nQ\nThe ${word}?\nA\nYes.\n${FOOTER}`).join('');

/** Group commit must not change what a sequence of rating changes means, however they are batched. */
describe('rating changes in batches (group commit)', () => {
  let database: TestDatabase;
  let posts: { id: number; cardId: number }[];

  beforeAll(async () => {
    database = await createTestDatabase();
    await importDeckBytes(database.prisma, Buffer.from(`Batch\n${DECK}`), { maxBytes: 1 << 20 });
    const cards = await database.prisma.card.findMany({ orderBy: { number: 'asc' } });
    posts = [];
    // Two posts of the first card: a user's ratings of both are replayed together into one FSRS state.
    for (const card of [cards[0], cards[0], cards[1], cards[2]]) {
      const post = await createOnDemandPost(database.prisma, 'test:batch', card?.id ?? 0);
      posts.push({ id: post.id, cardId: post.card.id });
    }
  });
  afterAll(() => database.drop());

  it('ends in the state the same changes give one at a time, with every FSRS state a replay of its ratings', async () => {
    const random = seededRandom(11);
    const users = Array.from({ length: 12 }, (_, i) => `test:batch-user${i}`);
    const base = Date.parse('2026-03-01T09:00:00Z');
    // The expected final state, change by change, per (post, user).
    const expected = new Map<string, { value: number; source: string } | undefined>();
    const changes = Array.from({ length: 600 }, (_, i) => {
      const post = posts[Math.floor(random() * posts.length)] as { id: number; cardId: number };
      const user = users[Math.floor(random() * users.length)] as string;
      const confidence = 1 + Math.floor(random() * 5);
      const key = `${post.id}|${user}`;
      const current = expected.get(key);
      const roll = random();
      if (roll < 0.2) {
        if (current?.source === 'reaction' && current.value === confidence) expected.set(key, undefined);
        return () => withdrawReactionRating(database.prisma, { postId: post.id, cardId: post.cardId, userId: user, confidence });
      }
      const source = roll < 0.6 ? 'button' : 'reaction';
      expected.set(key, { value: confidence, source });
      const at = new Date(base + i * 60_000);
      return () =>
        recordRating(database.prisma, { postId: post.id, cardId: post.cardId, user: { id: user, displayName: user }, confidence, source, at });
    });
    // All issued at once, in order: the writer batches them as it likes.
    const results = await Promise.all(changes.map((change) => change()));
    expect(results.every((result) => result.status === 'applied')).toBe(true);

    const rows = await database.prisma.rating.findMany({ where: { post: { conversation: { ref: 'test:batch' } } } });
    const stored = new Map(rows.map((row) => [`${row.postId}|${row.userId}`, { value: row.value, source: row.source }]));
    const wanted = new Map([...expected].filter(([, state]) => state !== undefined));
    expect(Object.fromEntries(stored)).toEqual(Object.fromEntries(wanted));

    const states = await database.prisma.reviewState.findMany({ where: { userId: { startsWith: 'test:batch-user' } } });
    const replays = new Map<string, { confidence: number; at: Date }[]>();
    for (const row of [...rows].sort((a, b) => a.ratedAt.getTime() - b.ratedAt.getTime() || a.id - b.id)) {
      const cardId = posts.find((post) => post.id === row.postId)?.cardId;
      const key = `${row.userId}|${cardId}`;
      replays.set(key, [...(replays.get(key) ?? []), { confidence: row.value, at: row.ratedAt }]);
    }
    expect(states).toHaveLength(replays.size);
    for (const state of states) {
      const replayed = replayReviews(replays.get(`${state.userId}|${state.cardId}`) ?? []);
      expect({ due: state.due, reps: state.reps, stability: state.stability }).toEqual({
        due: replayed?.due,
        reps: replayed?.reps,
        stability: replayed?.stability,
      });
    }
  });

  it('claims a delivery id with its rating: the same delivery twice at once is stored once, the second a duplicate', async () => {
    const post = posts[2] as { id: number; cardId: number };
    const input = { postId: post.id, cardId: post.cardId, user: { id: 'test:dup', displayName: 'dup' }, confidence: 4, source: 'button' as const, at: new Date() };
    const results = await Promise.all([recordRating(database.prisma, input, 'action:T1'), recordRating(database.prisma, input, 'action:T1')]);
    expect(results.map((result) => result.status).sort()).toEqual(['applied', 'duplicate']);
    expect(await database.prisma.processedEvent.count({ where: { key: 'action:T1' } })).toBe(1);
    expect(await database.prisma.rating.count({ where: { userId: 'test:dup' } })).toBe(1);
  });

  it('fails a change that cannot be stored on its own, without failing or losing the ones batched with it', async () => {
    const post = posts[3] as { id: number; cardId: number };
    const at = new Date();
    const good = Array.from({ length: 20 }, (_, i) =>
      recordRating(database.prisma, { postId: post.id, cardId: post.cardId, user: { id: `test:ok${i}`, displayName: 'ok' }, confidence: 3, source: 'button', at }, `action:ok${i}`),
    );
    // A post that does not exist (deleted between lookup and write): a foreign-key violation.
    const bad = recordRating(database.prisma, { postId: 999_999, cardId: post.cardId, user: { id: 'test:bad', displayName: 'bad' }, confidence: 3, source: 'button', at }, 'action:bad');
    const [goodResults, badResult] = await Promise.all([Promise.all(good), bad.then(() => 'stored', (error: unknown) => String(error))]);
    expect(goodResults.every((result) => result.status === 'applied')).toBe(true);
    expect(badResult).toMatch(/foreign key|Foreign key|constraint/i);
    expect(await database.prisma.rating.count({ where: { userId: { startsWith: 'test:ok' } } })).toBe(20);
    // The failed change's delivery claim was rolled back with it, so a redelivery would be processed.
    expect(await database.prisma.processedEvent.count({ where: { key: 'action:bad' } })).toBe(0);
  });
});

/** Two bots (two clients, so two writers) whose batches touch the same users in opposite orders. */
describe('rating batches from two bots at once', () => {
  let database: TestDatabase;
  let other: PrismaClient;
  let posts: { id: number; cardId: number }[];

  beforeAll(async () => {
    database = await createTestDatabase();
    other = createPrismaClient(database.url);
    await importDeckBytes(database.prisma, Buffer.from(`Two\n${DECK}`), { maxBytes: 1 << 20 });
    const cards = await database.prisma.card.findMany({ orderBy: { number: 'asc' } });
    posts = [];
    for (const card of cards) {
      const post = await createOnDemandPost(database.prisma, 'test:two', card.id);
      posts.push({ id: post.id, cardId: post.card.id });
    }
  });
  afterAll(async () => {
    await other.$disconnect();
    await database.drop();
  });

  it('do not deadlock when their batches name the same users in opposite orders', async () => {
    const deadlocks = async () =>
      Number((await database.prisma.$queryRaw<{ n: bigint }[]>`SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()`)[0]?.n);
    const [first, second, third] = posts as [{ id: number; cardId: number }, { id: number; cardId: number }, { id: number; cardId: number }];
    const rate = (db: PrismaClient, post: { id: number; cardId: number }, user: string, confidence: number) =>
      recordRating(db, { postId: post.id, cardId: post.cardId, user: { id: user, displayName: user }, confidence, source: 'button', at: new Date() });
    const users = Array.from({ length: 30 }, (_, i) => `test:u${String(i).padStart(2, '0')}`);
    await Promise.all(users.map((user) => rate(database.prisma, first, user, 1)));
    const before = await deadlocks();
    // Another session holds the first user's row: each bot's batch queues on it, the one naming the
    // users in reverse while holding all the others. Released, the first batch takes that row and wants
    // the next one — a deadlock, unless both batches lock users in the same (sorted) order.
    const lock = await holdLocks(database.url, [{ text: 'SELECT 1 FROM "ChatUser" WHERE "id" = $1 FOR UPDATE', values: [users[0]] }]);
    const waiting = (count: number) => async () => ((await lockWaiters(database.url, lock.pid)).length >= count ? true : undefined);
    const changes: Promise<unknown>[] = [];
    try {
      // Two one-change batches fill each writer's two flush slots, so the 30 changes after them share one batch.
      changes.push(rate(database.prisma, third, 'test:pad1', 3), rate(database.prisma, third, 'test:pad2', 3));
      changes.push(...users.map((user) => rate(database.prisma, first, user, 2)));
      await eventually(waiting(1), 10_000, 'the first batch to wait for the held row');
      changes.push(rate(other, third, 'test:pad3', 3), rate(other, third, 'test:pad4', 3));
      changes.push(...[...users].reverse().map((user) => rate(other, second, user, 4)));
      await eventually(waiting(2), 10_000, 'the second batch to wait too');
    } finally {
      await lock.release();
    }
    await Promise.all(changes);
    expect(await deadlocks()).toBe(before);
    expect(await database.prisma.rating.count({ where: { userId: { startsWith: 'test:u' } } })).toBe(60);
  }, 60_000);
});
