import { readFile } from 'node:fs/promises';
import { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import type { Logger } from '../logger.js';
import type { Queues } from '../queue/queues.js';
import type { Database } from '../repositories/database.js';
import { type LatestPriceModelMetrics, latestPriceModelMetrics } from '../repositories/model-metrics-repository.js';
import type { Metrics } from './registry.js';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/**
 * Several gauges filled from one read: the registry collects metrics concurrently, so every gauge of a
 * scrape shares the one read in flight instead of each issuing its own.
 */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | undefined;
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

/**
 * Queue depths, read from Redis on each scrape. They describe the shared queues, not this process, so
 * every process reports the same values: aggregate with max(), not sum(). If Redis does not answer, the
 * series disappear for that scrape (and a warning is logged) rather than failing the whole /metrics.
 */
export function registerQueueDepths(metrics: Metrics, queues: Queues, logger?: Logger): void {
  const all = Object.values(queues).filter((value): value is Queue => value instanceof Queue);
  new Gauge({
    name: 'quizcast_queue_jobs',
    help: 'Jobs in each queue by state (waiting, active, delayed, failed), read from Redis at scrape time',
    labelNames: ['queue', 'state'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      try {
        const counts = await Promise.all(all.map((queue) => queue.getJobCounts(...QUEUE_STATES)));
        all.forEach((queue, i) => {
          for (const state of QUEUE_STATES) this.set({ queue: queue.name, state }, counts[i]?.[state] ?? 0);
        });
      } catch (error) {
        logger?.warn({ err: error }, 'queue depths unavailable for this scrape');
      }
    },
  });
}

interface SentimentMetricsFile {
  modelVersion?: unknown;
  test?: { model?: { accuracy?: unknown } };
}

async function readSentimentAccuracy(file: string): Promise<{ modelVersion: string; accuracy: number } | undefined> {
  let parsed: SentimentMetricsFile;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as SentimentMetricsFile;
  } catch {
    return undefined; // No trained artifact (or an unreadable one): no series, not an error.
  }
  const accuracy = parsed.test?.model?.accuracy;
  if (typeof accuracy !== 'number') return undefined;
  return { modelVersion: typeof parsed.modelVersion === 'string' ? parsed.modelVersion : 'unknown', accuracy };
}

/**
 * Model quality, read at scrape time: each symbol's newest price model (validation MASE of the RNN and
 * of the naive baseline, its version and whether late ticks made it stale), and the sentiment model's
 * test accuracy from its metrics.json when the artifact has one.
 */
export function registerModelMetrics(
  metrics: Metrics,
  sources: { db: Database; sentimentMetricsFile?: string },
  logger?: Logger,
): void {
  const registers = [metrics.registry];
  const priceModels = sharedRead(async (): Promise<LatestPriceModelMetrics[]> => {
    try {
      return await latestPriceModelMetrics(sources.db);
    } catch (error) {
      logger?.warn({ err: error }, 'price model metrics unavailable for this scrape');
      return [];
    }
  });
  new Gauge({
    name: 'quizcast_price_model_validation_mase',
    help: 'Validation MASE of each symbol’s newest price model (model="rnn") and of the naive baseline (model="naive")',
    labelNames: ['symbol', 'model'],
    registers,
    async collect() {
      this.reset();
      for (const row of await priceModels()) {
        if (row.rnnMase !== null) this.set({ symbol: row.symbol, model: 'rnn' }, row.rnnMase);
        if (row.naiveMase !== null) this.set({ symbol: row.symbol, model: 'naive' }, row.naiveMase);
      }
    },
  });
  new Gauge({
    name: 'quizcast_price_model_version',
    help: 'Version of each symbol’s newest price model',
    labelNames: ['symbol'],
    registers,
    async collect() {
      this.reset();
      for (const row of await priceModels()) this.set({ symbol: row.symbol }, row.version);
    },
  });
  new Gauge({
    name: 'quizcast_price_model_stale',
    help: '1 when late ticks changed the history each symbol’s newest price model learned from',
    labelNames: ['symbol'],
    registers,
    async collect() {
      this.reset();
      for (const row of await priceModels()) this.set({ symbol: row.symbol }, row.stale ? 1 : 0);
    },
  });
  const file = sources.sentimentMetricsFile;
  if (!file) return;
  new Gauge({
    name: 'quizcast_sentiment_model_test_accuracy',
    help: 'Test-split accuracy of the deployed sentiment model, from its metrics.json',
    labelNames: ['model_version'],
    registers,
    async collect() {
      this.reset();
      const read = await readSentimentAccuracy(file);
      if (read) this.set({ model_version: read.modelVersion }, read.accuracy);
    },
  });
}
