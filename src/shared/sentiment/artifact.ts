/**
 * The sentiment artifact: one directory holding the network (model.json + weights.bin), the
 * vocabulary, the config needed to encode text as training did, and the metrics of the run.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { WEIGHTS_FILE, fileSystemIOHandler } from './file-io-handler.js';
import { lexiconNameSchema } from './lexicon.js';
import { sentimentModelConfigSchema } from './model-config.js';
import { Vocabulary } from './vocabulary.js';

export const SENTIMENT_ARTIFACT_FORMAT = 'quizcast.sentiment.v1';
export const VOCABULARY_FILE = 'vocabulary.json';
export const CONFIG_FILE = 'config.json';
export const METRICS_FILE = 'metrics.json';

/** The committed default artifact, resolved from this file so it works from any working directory. */
export const DEFAULT_SENTIMENT_ARTIFACT_DIR = fileURLToPath(new URL('../../../models/sentiment/', import.meta.url));

export const artifactConfigSchema = z.object({
  format: z.literal(SENTIMENT_ARTIFACT_FORMAT),
  /** First 12 hex digits of the SHA-256 of weights.bin: names this exact model in logs and replies. */
  modelVersion: z.string(),
  model: sentimentModelConfigSchema,
  /** The lexicon shown beside the model in chat: the better one on the *validation* split. */
  chatLexicon: lexiconNameSchema,
});
export type ArtifactConfig = z.infer<typeof artifactConfigSchema>;

export interface SentimentArtifact {
  model: tf.LayersModel;
  vocabulary: Vocabulary;
  config: ArtifactConfig;
}

export function weightsVersion(weights: Uint8Array): string {
  return createHash('sha256').update(weights).digest('hex').slice(0, 12);
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes the artifact; returns the config as written (with its modelVersion filled in). */
export async function saveSentimentArtifact(
  directory: string,
  artifact: { model: tf.LayersModel; vocabulary: Vocabulary; config: Omit<ArtifactConfig, 'modelVersion'> },
  metrics: unknown,
): Promise<ArtifactConfig> {
  await artifact.model.save(fileSystemIOHandler(directory));
  const weights = await readFile(path.join(directory, WEIGHTS_FILE));
  const config = artifactConfigSchema.parse({ ...artifact.config, modelVersion: weightsVersion(weights) });
  await writeFile(path.join(directory, VOCABULARY_FILE), `${JSON.stringify(artifact.vocabulary.toJson())}\n`);
  await writeFile(path.join(directory, CONFIG_FILE), json(config));
  await writeFile(path.join(directory, METRICS_FILE), json({ modelVersion: config.modelVersion, ...(metrics as object) }));
  return config;
}

export async function loadSentimentArtifact(directory: string): Promise<SentimentArtifact> {
  const [configText, vocabularyText] = await Promise.all([
    readFile(path.join(directory, CONFIG_FILE), 'utf8'),
    readFile(path.join(directory, VOCABULARY_FILE), 'utf8'),
  ]);
  const config = artifactConfigSchema.parse(JSON.parse(configText));
  const vocabulary = Vocabulary.fromJson(JSON.parse(vocabularyText));
  if (vocabulary.size !== config.model.vocabularySize) {
    throw new Error(`vocabulary has ${vocabulary.size} words, config says ${config.model.vocabularySize}`);
  }
  const model = await tf.loadLayersModel(fileSystemIOHandler(directory));
  return { model, vocabulary, config };
}
