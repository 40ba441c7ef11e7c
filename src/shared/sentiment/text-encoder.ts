import { padSequence, padSequences } from './padding.js';
import { tokenize } from './text-cleaning.js';
import type { Vocabulary } from './vocabulary.js';

/** Raw text → fixed-length id sequence, the one path both training and inference use. */
export function encodeText(text: string, vocabulary: Vocabulary, sequenceLength: number): Int32Array {
  return padSequence(vocabulary.encode(tokenize(text)), sequenceLength);
}

export function encodeTexts(texts: readonly string[], vocabulary: Vocabulary, sequenceLength: number): Int32Array {
  return padSequences(
    texts.map((text) => vocabulary.encode(tokenize(text))),
    sequenceLength,
  );
}
