import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { createOnDemandPost } from '../../src/shared/repositories/post-repository.js';
import { recordRating } from '../../src/shared/repositories/rating-repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { runCli } from '../support/processes.js';

const footer = 'How well did you know this?\n1\nNot at all\n2\n3\n4\n5\nPerfectly\n';
const deck = (answer: string) => Buffer.from(`Deck\n1\nQ\nWhat is h?\nA\n${answer}\n${footer}2\nQ\nAnd y?\nA\nThe output.\n${footer}`);

describe('deck import', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('changes nothing on a second import, and updates an edited card in place keeping its ratings', async () => {
    const first = await importDeckBytes(database.prisma, deck('The hidden state.'), { maxBytes: 1 << 20 });
    expect(first).toMatchObject({ created: 2, updated: 0, unchanged: 0 });
    const card = await database.prisma.card.findFirstOrThrow({ where: { number: 1 } });
    const post = await createOnDemandPost(database.prisma, 'test:deck', card.id);
    await recordRating(database.prisma, {
      postId: post.id,
      cardId: card.id,
      user: { id: 'test:u', displayName: 'u' },
      confidence: 4,
      source: 'button',
      at: new Date('2026-01-01T00:00:00Z'),
    });
    const before = await database.prisma.card.findMany({ orderBy: { number: 'asc' } });

    const again = await importDeckBytes(database.prisma, deck('The hidden state.'), { maxBytes: 1 << 20 });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await database.prisma.card.findMany({ orderBy: { number: 'asc' } })).toEqual(before);

    const edited = await importDeckBytes(database.prisma, deck('The hidden state: the RNN’s memory.'), { maxBytes: 1 << 20 });
    expect(edited).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const after = await database.prisma.card.findUniqueOrThrow({ where: { id: card.id } });
    expect(after.answer).toBe('The hidden state: the RNN’s memory.');
    expect(await database.prisma.rating.count({ where: { post: { cardId: card.id } } })).toBe(1);
    expect(await database.prisma.reviewState.count({ where: { cardId: card.id } })).toBe(1);
  });

  it('quizcast deck parse prints only the cards on stdout, warnings on stderr, and names a bad line', async () => {
    const parsed = await runCli(['deck', 'parse', 'decks/rnn-flashcards.txt', '--json'], {});
    expect(parsed.code).toBe(0);
    const cards = JSON.parse(parsed.stdout) as { question: string; answer: string }[];
    expect(cards).toHaveLength(9);
    expect(Object.keys(cards[0] ?? {})).toEqual(['question', 'answer']);
    expect(cards[2]?.answer).toContain('\n');
    expect(parsed.stderr).toContain('card 10');
    const bad = await runCli(['deck', 'parse', 'package.json'], {});
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/line \d+: expected card number 1/);
    expect(bad.stdout).toBe('');
  });
});
