/**
 * `quizcast sentiment train | score | eval`. Machine-readable results go to stdout as one JSON line;
 * progress and logs go to stderr.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { createLogger } from '../shared/logger.js';
import { DEFAULT_SENTIMENT_ARTIFACT_DIR } from '../shared/sentiment/artifact.js';
import { LEXICON_NAMES, lexiconLabel } from '../shared/sentiment/lexicon.js';
import { type BinaryLabel, classificationMetrics } from '../shared/sentiment/metrics.js';
import { DEFAULT_MODEL_CONFIG, recurrentKindSchema } from '../shared/sentiment/model-config.js';
import { SentimentScorer } from '../shared/sentiment/scorer.js';
import { systemClock } from '../shared/time.js';
import { betterLexicon } from '../worker/sentiment/evaluate-split.js';
import { loadImdbReviews } from '../worker/sentiment/imdb-dataset.js';
import { createProgressBar } from '../worker/sentiment/progress-bar.js';
import { runSentimentTraining } from '../worker/sentiment/run-training.js';

/** Defaults of `sentiment train`; the committed artifact was made with exactly these. */
export const TRAIN_DEFAULTS = {
  epochs: 3,
  seed: 42,
  batchSize: 256,
  learningRate: 0.002,
  patience: 1,
  maxSeconds: 600,
  recurrent: DEFAULT_MODEL_CONFIG.recurrent,
  units: DEFAULT_MODEL_CONFIG.units,
  sequenceLength: DEFAULT_MODEL_CONFIG.sequenceLength,
  vocabulary: DEFAULT_MODEL_CONFIG.vocabularySize,
} as const;

const int = z.coerce.number().int();
const trainOptionsSchema = z.object({
  epochs: int.min(1).max(100),
  seed: int.min(0).max(2 ** 31 - 1),
  out: z.string().min(1),
  batchSize: int.min(1).max(4096),
  learningRate: z.coerce.number().positive().max(1),
  patience: int.min(1),
  maxSeconds: z.coerce.number().positive(),
  recurrent: recurrentKindSchema,
  units: int.min(1).max(1024),
  sequenceLength: int.min(1).max(5000),
  vocabulary: int.min(3).max(200_000),
});

const evalLineSchema = z.object({ text: z.string(), label: z.union([z.literal(0), z.literal(1)]) });

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Score to 4 decimals: more is noise, and it keeps the printed JSON short. */
function round4(value: number): number {
  return Number(value.toFixed(4));
}

/** Examples of a JSONL file; errors name the file and line. */
async function readEvalFile(file: string): Promise<Array<z.infer<typeof evalLineSchema>>> {
  const lines = (await readFile(file, 'utf8').catch(() => Promise.reject(new Error(`${file}: cannot read`)))).split(/\r?\n/);
  const examples: Array<z.infer<typeof evalLineSchema>> = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${index + 1}: not JSON`);
    }
    const result = evalLineSchema.safeParse(parsed);
    if (!result.success) throw new Error(`${file}:${index + 1}: expected {"text": string, "label": 0|1}`);
    examples.push(result.data);
  });
  if (examples.length === 0) throw new Error(`${file}: no examples`);
  return examples;
}

export function registerSentimentCommands(program: Command): void {
  const sentiment = program.command('sentiment').description('Train, run and evaluate the sentiment model.');

  sentiment
    .command('train')
    .description('Train the RNN on IMDB and write an artifact (progress on stderr, summary JSON on stdout).')
    .option('--epochs <n>', 'maximum epochs (early stopping may end sooner)', String(TRAIN_DEFAULTS.epochs))
    .option('--seed <n>', 'seed for the split, initial weights and batch order', String(TRAIN_DEFAULTS.seed))
    .option('--out <dir>', 'artifact directory', DEFAULT_SENTIMENT_ARTIFACT_DIR)
    .option('--batch-size <n>', 'mini-batch size', String(TRAIN_DEFAULTS.batchSize))
    .option('--learning-rate <x>', 'Adam learning rate', String(TRAIN_DEFAULTS.learningRate))
    .option('--patience <n>', 'epochs without validation improvement before stopping', String(TRAIN_DEFAULTS.patience))
    .option('--max-seconds <n>', 'stop after the epoch that crosses this training time', String(TRAIN_DEFAULTS.maxSeconds))
    .option('--recurrent <kind>', 'simpleRNN | gru | lstm', TRAIN_DEFAULTS.recurrent)
    .option('--units <n>', 'recurrent units', String(TRAIN_DEFAULTS.units))
    .option('--sequence-length <n>', 'tokens per text (front-padded/truncated)', String(TRAIN_DEFAULTS.sequenceLength))
    .option('--vocabulary <n>', 'vocabulary size including padding and OOV', String(TRAIN_DEFAULTS.vocabulary))
    .action(async (raw: unknown) => {
      const options = trainOptionsSchema.parse(raw);
      const logger = createLogger('sentiment-train', process.env.LOG_LEVEL ?? 'warn');
      const { config, metrics } = await runSentimentTraining(
        {
          seed: options.seed,
          maxEpochs: options.epochs,
          batchSize: options.batchSize,
          learningRate: options.learningRate,
          patience: options.patience,
          maxSeconds: options.maxSeconds,
          validationFraction: 0.1,
          testFraction: 0.1,
          outDir: options.out,
          command: ['quizcast', ...process.argv.slice(2)].join(' '),
          model: {
            ...DEFAULT_MODEL_CONFIG,
            recurrent: options.recurrent,
            units: options.units,
            sequenceLength: options.sequenceLength,
            maxVocabularySize: options.vocabulary,
          },
        },
        {
          loadExamples: loadImdbReviews,
          clock: systemClock,
          seconds: () => performance.now() / 1000,
          progress: createProgressBar(),
          logger,
        },
      );
      printJson({
        out: options.out,
        modelVersion: config.modelVersion,
        backend: metrics.backend,
        trainingSeconds: metrics.time.trainingSeconds,
        test: {
          model: metrics.test.model.accuracy,
          afinn: metrics.test.afinn.accuracy,
          vader: metrics.test.vader.accuracy,
        },
        crossDomain: {
          model: metrics.crossDomain.model.accuracy,
          afinn: metrics.crossDomain.afinn.accuracy,
          vader: metrics.crossDomain.vader.accuracy,
        },
        targets: metrics.targets,
      });
    });

  sentiment
    .command('score')
    .description('Score one text: prints {"score": 0..1, "label": "positive"|"negative"}.')
    .argument('<text>', 'the text to score')
    .option('--model <dir>', 'artifact directory', DEFAULT_SENTIMENT_ARTIFACT_DIR)
    .action(async (text: string, options: { model: string }, command: Command) => {
      if (text.trim() === '') command.error('error: nothing to score; usage: quizcast sentiment score "<text>"');
      const scorer = await SentimentScorer.load(options.model, createLogger('sentiment', process.env.LOG_LEVEL ?? 'warn'));
      const { score, label } = scorer.score(text);
      printJson({ score: round4(score), label });
    });

  sentiment
    .command('eval')
    .description('Evaluate on a JSONL file of {"text", "label": 0|1}; lexicon = the better of AFINN and VADER.')
    .argument('<file>', 'JSONL file')
    .option('--model <dir>', 'artifact directory', DEFAULT_SENTIMENT_ARTIFACT_DIR)
    .action(async (file: string, options: { model: string }, command: Command) => {
      const examples = await readEvalFile(file).catch((err: unknown) =>
        command.error(`error: ${err instanceof Error ? err.message : String(err)}`),
      );
      const scorer = await SentimentScorer.load(options.model, createLogger('sentiment', process.env.LOG_LEVEL ?? 'warn'));
      const actual = examples.map((example) => example.label);
      const model = classificationMetrics(
        actual,
        scorer.scoreMany(examples.map((example) => example.text)).map((s): BinaryLabel => (s.label === 'positive' ? 1 : 0)),
      );
      const [afinn, vader] = LEXICON_NAMES.map((name) =>
        classificationMetrics(
          actual,
          examples.map((example) => lexiconLabel(name, example.text)),
        ),
      ) as [ReturnType<typeof classificationMetrics>, ReturnType<typeof classificationMetrics>];
      const better = betterLexicon({ afinn, vader });
      const lexicon = better === 'afinn' ? afinn : vader;
      process.stderr.write(`lexicon: ${better} (afinn accuracy ${afinn.accuracy.toFixed(4)}, vader ${vader.accuracy.toFixed(4)})\n`);
      printJson({
        n: examples.length,
        model: { accuracy: round4(model.accuracy), f1: round4(model.f1) },
        lexicon: { accuracy: round4(lexicon.accuracy), f1: round4(lexicon.f1) },
      });
    });
}
