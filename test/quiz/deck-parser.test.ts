import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeckParseError, parseDeck } from '../../src/shared/quiz/deck-parser.js';

const shipped = readFileSync(new URL('../../decks/rnn-flashcards.txt', import.meta.url));
const footer = 'How well did you know this?\n1\nNot at all\n2\n3\n4\n5\nPerfectly\n';

describe('parseDeck', () => {
  it('reads the shipped deck: 9 cards, the empty 10th skipped with a warning naming it', () => {
    const deck = parseDeck(shipped);
    expect(deck.title).toBe('RNN Flashcards');
    expect(deck.cards).toHaveLength(9);
    expect(deck.cards.map((card) => card.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(deck.warnings).toEqual([{ cardNumber: 10, message: expect.stringContaining('card 10') }]);
    expect(deck.cards[0]?.question).toBe('What is the big idea behind RNN?');
    expect(deck.cards[4]?.answer).toContain('hₜ = tanh(Wᵢ · xₜ + Wₕ · hₜ₋₁ + b)');
    // Card 7's answer is a numbered list: its bare numbers must not end the card.
    expect(deck.cards[6]?.answer).toContain('9. Prediction');
    expect(deck.cards[8]?.answer.endsWith('predicted price of day 11')).toBe(true);
  });

  it('parses the same cards from CRLF line ends and a BOM', () => {
    const crlf = `\uFEFF${shipped.toString('utf8').replaceAll('\n', '\r\n')}`;
    expect(parseDeck(crlf).cards).toEqual(parseDeck(shipped).cards);
  });

  it('keeps multi-line questions and answers with blank lines, numbers and emoji, trimmed', () => {
    const text = `Deck\n1\nQ\n\nLine one\n\n3\nline three 🎉\n\nA\n\n  first\n\n2\n\nlast ✅\n\n${footer}2\nQ\nSecond?\nA\nYes\n${footer}`;
    const deck = parseDeck(text);
    expect(deck.cards).toEqual([
      { number: 1, question: 'Line one\n\n3\nline three 🎉', answer: 'first\n\n2\n\nlast ✅' },
      { number: 2, question: 'Second?', answer: 'Yes' },
    ]);
  });

  it('accepts a truncated footer on the last card and a footer digit that is the next card number', () => {
    const text = `T\n1\nQ\nq1\nA\na1\nHow well did you know this?\n1\nNot at all\n2\nQ\nq2\nA\na2\nHow well did you know this?\n1\n`;
    expect(parseDeck(text).cards.map((card) => card.question)).toEqual(['q1', 'q2']);
  });

  it('names the line and what was expected for a malformed file', () => {
    const text = `T\n1\nQ\nq1\nA\na1\n${footer}3\nQ\nq\nA\na\n${footer}`;
    expect(() => parseDeck(text)).toThrowError(DeckParseError);
    try {
      parseDeck(text);
    } catch (error) {
      expect((error as DeckParseError).line).toBe(15);
      expect((error as Error).message).toBe('line 15: expected card number 2 or end of file, found "3"');
    }
    expect(() => parseDeck('T\n1\nq without marker\n')).toThrowError(/line 3: expected "Q"/);
    expect(() => parseDeck('T\n1\nQ\nq\nA\nanswer with no footer\n')).toThrowError(/expected "How well did you know this\?"/);
    expect(() => parseDeck('just a title\n')).toThrowError(/expected card number 1/);
  });

  it('refuses files over the size limit before parsing', () => {
    expect(() => parseDeck(shipped, 100)).toThrowError(/at most 100 bytes/);
  });

  it('never throws anything but DeckParseError on random input', () => {
    const lineArb = fc.oneof(
      fc.constantFrom('Q', 'A', '1', '2', '3', 'Not at all', 'Perfectly', 'How well did you know this?', '', '\r'),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 60 }), fc.boolean(), (lines, crlf) => {
        const text = lines.join(crlf ? '\r\n' : '\n');
        try {
          const deck = parseDeck(text);
          for (const card of deck.cards) expect(card.question.length * card.answer.length).toBeGreaterThan(0);
        } catch (error) {
          if (!(error instanceof DeckParseError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
