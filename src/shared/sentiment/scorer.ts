import type * as tf from '@tensorflow/tfjs';
import type { Logger } from '../logger.js';
import { initTfBackend } from '../tfjs/backend.js';
import { type ArtifactConfig, DEFAULT_SENTIMENT_ARTIFACT_DIR, loadSentimentArtifact, type SentimentArtifact } from './artifact.js';
import { type LexiconVerdict, lexiconVerdict } from './lexicon.js';
import { extractNetworkWeights, RecurrentForward } from './recurrent-forward.js';
import { encodeText } from './text-encoder.js';
import type { Vocabulary } from './vocabulary.js';

export type SentimentLabel = 'positive' | 'negative';

export interface SentimentScore {
  /** The model's probability that the text is positive, 0..1. */
  score: number;
  label: SentimentLabel;
}

/**
 * Scores text with a loaded artifact. Load once per process (`SentimentScorer.load`); scoring never
 * trains, never touches the disk, and runs the network through RecurrentForward (see there for why
 * not model.predict). `network` stays available for batch work and as the reference in tests.
 */
export class SentimentScorer {
  private readonly forward: RecurrentForward;

  private constructor(
    readonly network: tf.LayersModel,
    readonly vocabulary: Vocabulary,
    readonly config: ArtifactConfig,
  ) {
    this.forward = new RecurrentForward(extractNetworkWeights(network, config.model.recurrent, config.model.sequenceLength));
  }

  static async load(directory = DEFAULT_SENTIMENT_ARTIFACT_DIR, logger?: Logger): Promise<SentimentScorer> {
    await initTfBackend(logger);
    const artifact = await loadSentimentArtifact(directory);
    logger?.info({ directory, modelVersion: artifact.config.modelVersion }, 'sentiment model loaded');
    return SentimentScorer.fromArtifact(artifact);
  }

  static fromArtifact({ model, vocabulary, config }: SentimentArtifact): SentimentScorer {
    return new SentimentScorer(model, vocabulary, config);
  }

  get modelVersion(): string {
    return this.config.modelVersion;
  }

  /** Text exactly as the model sees it: ids of the cleaned tokens, padded/truncated. */
  encode(text: string): Int32Array {
    return encodeText(text, this.vocabulary, this.config.model.sequenceLength);
  }

  score(text: string): SentimentScore {
    return this.scoreIds(this.encode(text));
  }

  /** Scores an already encoded text (see `encode`). */
  scoreIds(ids: Int32Array): SentimentScore {
    return this.toScore(this.forward.probability(ids));
  }

  scoreMany(texts: readonly string[]): SentimentScore[] {
    return texts.map((text) => this.score(text));
  }

  /** The lexicon chosen on validation data, for showing beside the model. */
  lexicon(text: string): LexiconVerdict {
    return lexiconVerdict(this.config.chatLexicon, text);
  }

  dispose(): void {
    this.network.dispose();
  }

  private toScore(probability: number): SentimentScore {
    return { score: probability, label: probability >= this.config.model.threshold ? 'positive' : 'negative' };
  }
}
