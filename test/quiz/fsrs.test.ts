import { describe, expect, it } from 'vitest';
import { chooseNextCard } from '../../src/shared/quiz/card-selection.js';
import { gradeForConfidence, replayReviews } from '../../src/shared/quiz/fsrs.js';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n, 9));

describe('FSRS mapping and replay', () => {
  it('maps confidence 1–2 to Again, 3 Hard, 4 Good, 5 Easy', () => {
    expect([1, 2, 3, 4, 5].map(gradeForConfidence)).toEqual([1, 1, 2, 3, 4]);
    expect(() => gradeForConfidence(6)).toThrow(RangeError);
  });

  it('gives a better rating a later due date', () => {
    const easy = replayReviews([{ confidence: 5, at: day(0) }]);
    const again = replayReviews([{ confidence: 1, at: day(0) }]);
    expect(easy?.due.getTime()).toBeGreaterThan(again?.due.getTime() ?? Number.POSITIVE_INFINITY);
  });

  it('replays in time order regardless of input order', () => {
    const reviews = [
      { confidence: 4, at: day(3) },
      { confidence: 2, at: day(0) },
    ];
    expect(replayReviews(reviews)).toEqual(replayReviews([...reviews].reverse()));
    expect(replayReviews([])).toBeUndefined();
  });
});

describe('chooseNextCard', () => {
  const now = day(10);
  const state = (retrievability: number, dueInDays: number) => ({ retrievability, due: day(10 + dueInDays) });

  it('takes the due card with the lowest mean retrievability', () => {
    const cards = [
      { cardId: 1, order: 0, memberStates: [state(0.5, -1), state(0.9, 3)] },
      { cardId: 2, order: 1, memberStates: [state(0.6, -2)] },
      { cardId: 3, order: 2, memberStates: [] },
    ];
    expect(chooseNextCard(cards, now, undefined)).toBe(2);
  });

  it('brings in new cards in deck order when nothing is due', () => {
    const cards = [
      { cardId: 1, order: 0, memberStates: [state(0.95, 5)] },
      { cardId: 3, order: 2, memberStates: [] },
      { cardId: 2, order: 1, memberStates: [] },
    ];
    expect(chooseNextCard(cards, now, undefined)).toBe(2);
  });

  it('never repeats yesterday’s card unless it is the only one', () => {
    const cards = [
      { cardId: 1, order: 0, memberStates: [state(0.1, -1)] },
      { cardId: 2, order: 1, memberStates: [state(0.9, 4)] },
    ];
    expect(chooseNextCard(cards, now, 1)).toBe(2);
    expect(chooseNextCard([cards[0]!], now, 1)).toBe(1);
    expect(chooseNextCard([], now, undefined)).toBeUndefined();
  });
});
