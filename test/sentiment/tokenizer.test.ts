import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padSequence, padSequences } from '../../src/shared/sentiment/padding.js';
import { encodeText } from '../../src/shared/sentiment/text-encoder.js';
import { cleanText, tokenize } from '../../src/shared/sentiment/text-cleaning.js';
import { OOV_ID, OOV_TOKEN, PAD_ID, PAD_TOKEN, Vocabulary } from '../../src/shared/sentiment/vocabulary.js';

describe('cleanText / tokenize', () => {
  it.each([
    ['Great movie!<br /><br />Loved it.', 'great movie loved it'],
    ['<i>Not</i> worth it &amp; boring', 'not worth it boring'],
    ["I didn't like it, 'honestly'.", "i didn't like it honestly"],
    ['It’s 8/10 — really GOOD', "it's 8 10 really good"],
    ['😀 happy 🎉🎉', 'happy'],
    ['Très  bien, ça marche', 'très bien ça marche'],
    ['Это отличный фильм', 'это отличный фильм'],
    ['これは素晴らしい', 'これは素晴らしい'],
    ['<script>alert(1)</script>', 'alert 1'],
    ['   \n\t ', ''],
  ])('%j → %j', (raw, cleaned) => {
    expect(cleanText(raw)).toBe(cleaned);
  });

  it('never throws and yields non-empty, space-free tokens for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        for (const token of tokenize(text)) {
          expect(token).not.toBe('');
          expect(token).not.toMatch(/\s/);
        }
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('is idempotent: cleaning cleaned text changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(cleanText(cleanText(text))).toBe(cleanText(text));
      }),
      { seed: 2, numRuns: 300 },
    );
  });
});

describe('Vocabulary', () => {
  const documents = [tokenize('the film was good good good'), tokenize('the plot was bad'), tokenize('good acting')];
  const vocabulary = Vocabulary.build(documents, 6);

  it('keeps padding and OOV first, then words by frequency with alphabetical ties', () => {
    expect(vocabulary.words).toEqual([PAD_TOKEN, OOV_TOKEN, 'good', 'the', 'was', 'acting']);
  });

  it('round-trips in-vocabulary text and maps unknown words to OOV', () => {
    const tokens = tokenize('The film was GOOD');
    expect(vocabulary.decode(vocabulary.encode(tokens))).toEqual(['the', OOV_TOKEN, 'was', 'good']);
    expect(vocabulary.encode(['zebra'])).toEqual([OOV_ID]);
  });

  it('round-trips any sequence of known words (property)', () => {
    const known = vocabulary.words.slice(2);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...known), { maxLength: 30 }), (tokens) => {
        expect(vocabulary.decode(vocabulary.encode(tokens))).toEqual(tokens);
        expect(tokenize(tokens.join(' '))).toEqual(tokens);
      }),
      { seed: 3 },
    );
  });

  it('survives JSON and rejects malformed vocabularies', () => {
    expect(Vocabulary.fromJson(JSON.parse(JSON.stringify(vocabulary.toJson()))).words).toEqual(vocabulary.words);
    expect(() => Vocabulary.fromJson({ version: 1, words: ['a', 'b'] })).toThrow();
    expect(() => Vocabulary.fromJson({ version: 2, words: [PAD_TOKEN, OOV_TOKEN] })).toThrow();
  });
});

describe('padding', () => {
  it('front-pads short sequences', () => {
    expect([...padSequence([5, 6], 5)]).toEqual([PAD_ID, PAD_ID, PAD_ID, 5, 6]);
  });

  it('keeps the end of long sequences', () => {
    expect([...padSequence([1, 2, 3, 4, 5, 6, 7], 4)]).toEqual([4, 5, 6, 7]);
  });

  it('always returns exactly `length` ids ending with the last min(n, length) input ids (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 999 }), { maxLength: 50 }), fc.integer({ min: 1, max: 40 }), (ids, length) => {
        const padded = [...padSequence(ids, length)];
        const keep = Math.min(ids.length, length);
        expect(padded).toHaveLength(length);
        expect(padded.slice(length - keep)).toEqual(ids.slice(ids.length - keep));
        expect(padded.slice(0, length - keep).every((id) => id === PAD_ID)).toBe(true);
      }),
      { seed: 4 },
    );
  });

  it('packs rows for a batch', () => {
    expect([...padSequences([[1], [2, 3, 4]], 2)]).toEqual([0, 1, 3, 4]);
  });

  it('encodes text end to end, emoji-only text to all padding', () => {
    const vocabulary = Vocabulary.build([['good', 'bad']], 10);
    expect([...encodeText('Bad, bad... GOOD!', vocabulary, 4)]).toEqual([0, vocabulary.idOf('bad'), vocabulary.idOf('bad'), vocabulary.idOf('good')]);
    expect([...encodeText('🎉🎉🎉', vocabulary, 3)]).toEqual([0, 0, 0]);
  });
});
