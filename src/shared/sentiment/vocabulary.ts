import { z } from 'zod';

export const PAD_TOKEN = '<pad>';
export const OOV_TOKEN = '<oov>';
export const PAD_ID = 0;
export const OOV_ID = 1;

export const vocabularyJsonSchema = z.object({
  version: z.literal(1),
  /** words[id]; words[0] is the padding token and words[1] the out-of-vocabulary token. */
  words: z.array(z.string()).min(2),
});
export type VocabularyJson = z.infer<typeof vocabularyJsonSchema>;

/** A fixed word ↔ id mapping: the most frequent training words, everything else → OOV_ID. */
export class Vocabulary {
  private readonly ids: Map<string, number>;

  constructor(readonly words: readonly string[]) {
    if (words[PAD_ID] !== PAD_TOKEN || words[OOV_ID] !== OOV_TOKEN) {
      throw new Error(`vocabulary must start with ${PAD_TOKEN}, ${OOV_TOKEN}`);
    }
    this.ids = new Map(words.map((word, id) => [word, id]));
    if (this.ids.size !== words.length) throw new Error('vocabulary has duplicate words');
  }

  /**
   * The `maxSize - 2` most frequent tokens (plus padding and OOV). Ties break alphabetically so the
   * same corpus always gives the same ids.
   */
  static build(documents: Iterable<readonly string[]>, maxSize: number): Vocabulary {
    const counts = new Map<string, number>();
    for (const tokens of documents) {
      for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    counts.delete(PAD_TOKEN);
    counts.delete(OOV_TOKEN);
    const ranked = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, Math.max(0, maxSize - 2))
      .map(([word]) => word);
    return new Vocabulary([PAD_TOKEN, OOV_TOKEN, ...ranked]);
  }

  static fromJson(value: unknown): Vocabulary {
    return new Vocabulary(vocabularyJsonSchema.parse(value).words);
  }

  get size(): number {
    return this.words.length;
  }

  idOf(token: string): number {
    return this.ids.get(token) ?? OOV_ID;
  }

  encode(tokens: readonly string[]): number[] {
    return tokens.map((token) => this.idOf(token));
  }

  decode(ids: readonly number[]): string[] {
    return ids.filter((id) => id !== PAD_ID).map((id) => this.words[id] ?? OOV_TOKEN);
  }

  toJson(): VocabularyJson {
    return { version: 1, words: [...this.words] };
  }
}
