/**
 * The whole training pipeline behind `quizcast sentiment train`: data → split → vocabulary → network
 * → (test split, once) → artifact with metrics.json. Choices (epoch, chat lexicon) use validation only.
 */
import os from 'node:os';
import { seededRandom } from '../../shared/random.js';
import type { Logger } from '../../shared/logger.js';
import { saveSentimentArtifact } from '../../shared/sentiment/artifact.js';
import { lexiconVerdict } from '../../shared/sentiment/lexicon.js';
import type { SentimentModelConfig } from '../../shared/sentiment/model-config.js';
import { tokenize } from '../../shared/sentiment/text-cleaning.js';
import { Vocabulary } from '../../shared/sentiment/vocabulary.js';
import type { Clock } from '../../shared/time.js';
import { initTfBackend } from '../../shared/tfjs/backend.js';
import { CROSS_DOMAIN_SENTENCES } from './cross-domain-sentences.js';
import { splitDataset } from './dataset-split.js';
import { encodeSplit, predictSplit } from './encoded-split.js';
import { evaluateSideBySide } from './evaluate-split.js';
import type { LabelledText } from './imdb-dataset.js';
import { type TrainingOptions, type TrainingProgress, trainNetwork } from './train-network.js';

export interface RunTrainingOptions extends Omit<TrainingOptions, 'config'> {
  model: Omit<SentimentModelConfig, 'vocabularySize'> & { maxVocabularySize: number };
  validationFraction: number;
  testFraction: number;
  outDir: string;
  /** The command line that produced the artifact, recorded for reproducibility. */
  command: string;
}

export interface RunTrainingDeps {
  loadExamples: () => Promise<LabelledText[]>;
  clock: Clock;
  seconds: () => number;
  progress?: TrainingProgress;
  logger?: Logger;
}

const ACCURACY_TARGET = 0.87;
const MARGIN_TARGET = 0.15;
const TRAINING_SECONDS_TARGET = 600;

function round(value: number, digits = 4): number {
  return Number(value.toFixed(digits));
}

export async function runSentimentTraining(options: RunTrainingOptions, deps: RunTrainingDeps) {
  const backend = await initTfBackend(deps.logger);
  const startedAt = deps.clock();
  const split = splitDataset(await deps.loadExamples(), {
    seed: options.seed,
    validationFraction: options.validationFraction,
    testFraction: options.testFraction,
  });
  deps.logger?.info(split.summary, 'sentiment data split');

  const prepStart = deps.seconds();
  const vocabulary = Vocabulary.build(
    split.train.map((example) => tokenize(example.text)),
    options.model.maxVocabularySize,
  );
  const { maxVocabularySize: _unused, ...modelFields } = options.model;
  const config: SentimentModelConfig = { ...modelFields, vocabularySize: vocabulary.size };
  const train = encodeSplit(split.train, vocabulary, config.sequenceLength);
  const validation = encodeSplit(split.validation, vocabulary, config.sequenceLength);
  const preprocessingSeconds = deps.seconds() - prepStart;

  const trained = await trainNetwork(train, validation, { ...options, config }, { ...deps, random: seededRandom(options.seed) });

  const validationResult = evaluateSideBySide(split.validation, predictSplit(trained.model, validation), config.threshold);
  // The test split is encoded and scored exactly once, here, after every choice has been made.
  const test = encodeSplit(split.test, vocabulary, config.sequenceLength);
  const testResult = evaluateSideBySide(split.test, predictSplit(trained.model, test), config.threshold);
  const crossDomainSplit = encodeSplit(CROSS_DOMAIN_SENTENCES, vocabulary, config.sequenceLength);
  const crossDomainProbabilities = predictSplit(trained.model, crossDomainSplit);
  const crossDomain = evaluateSideBySide(CROSS_DOMAIN_SENTENCES, crossDomainProbabilities, config.threshold);

  const metrics = {
    format: 'quizcast.sentiment.metrics.v1',
    command: options.command,
    trainedAt: startedAt.toISOString(),
    backend,
    machine: { nproc: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', node: process.version },
    hyperparameters: {
      seed: options.seed,
      maxEpochs: options.maxEpochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      patience: options.patience,
      maxSeconds: Number.isFinite(options.maxSeconds) ? options.maxSeconds : null,
    },
    model: config,
    split: { ...split.summary, fractions: { validation: options.validationFraction, test: options.testFraction } },
    time: {
      preprocessingSeconds: round(preprocessingSeconds, 1),
      trainingSeconds: round(trained.seconds, 1),
      epochsRun: trained.history.length,
      bestEpoch: trained.bestEpoch,
      stopReason: trained.stopReason,
    },
    history: trained.history.map((record) => ({
      ...record,
      trainLoss: round(record.trainLoss),
      validationLoss: round(record.validationLoss),
      validationAccuracy: round(record.validationAccuracy),
      seconds: round(record.seconds, 1),
    })),
    validation: validationResult,
    test: testResult,
    targets: {
      testAccuracyAtLeast087: testResult.model.accuracy >= ACCURACY_TARGET,
      atLeast15PointsOverBetterLexicon: testResult.marginOverBetterLexicon >= MARGIN_TARGET,
      trainingAtMost600Seconds: trained.seconds <= TRAINING_SECONDS_TARGET,
    },
    crossDomain: {
      ...crossDomain,
      sentences: CROSS_DOMAIN_SENTENCES.map((example, i) => ({
        text: example.text,
        label: example.label,
        model: round(crossDomainProbabilities[i] as number),
        afinn: round(lexiconVerdict('afinn', example.text).polarity),
        vader: round(lexiconVerdict('vader', example.text).polarity),
      })),
    },
  };
  const artifactConfig = await saveSentimentArtifact(
    options.outDir,
    {
      model: trained.model,
      vocabulary,
      config: { format: 'quizcast.sentiment.v1', model: config, chatLexicon: validationResult.betterLexicon },
    },
    metrics,
  );
  trained.model.dispose();
  return { config: artifactConfig, metrics };
}
