import type { Job } from 'bullmq';
import { createPrismaClient } from '../../shared/db/client.js';
import { InsufficientHistoryError } from '../../shared/forecast/train.js';
import { publishLatestForecast } from '../../shared/market/publish-forecast.js';
import { createRedisConnection } from '../../shared/queue/connection.js';
import type { TrainingJob } from '../../shared/queue/names.js';
import { savePriceModel } from '../../shared/repositories/price-model-repository.js';
import { loadDailyCloses } from '../../shared/repositories/tick-repository.js';
import { trainPriceModelForSeries } from './train-price-model.js';

export interface TrainingOutcome {
  symbol: string;
  version?: number;
  published?: 'rnn' | 'naive';
  skipped?: string;
  trainMs?: number;
}

/** Connections live for the sandbox process's lifetime, opened on its first job. */
let services: { db: ReturnType<typeof createPrismaClient>; redis: ReturnType<typeof createRedisConnection> } | undefined;

function sandboxServices() {
  const databaseUrl = process.env.DATABASE_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!databaseUrl || !redisUrl) throw new Error('the training sandbox needs DATABASE_URL and REDIS_URL');
  services ??= { db: createPrismaClient(databaseUrl), redis: createRedisConnection(redisUrl) };
  return services;
}

/**
 * Retrains a symbol on all its daily closes, stores the model as a new version and publishes the
 * next-day forecast to the cache. Runs in a BullMQ sandbox (its own process), so training never blocks
 * the worker's event loop: lock renewal and tick ingestion go on meanwhile.
 */
export default async function trainSymbol(job: Job<TrainingJob>): Promise<TrainingOutcome> {
  const { db, redis } = sandboxServices();
  const prefix = process.env.QUEUE_PREFIX ?? 'quizcast';
  const symbol = job.data.symbol;
  const closes = await loadDailyCloses(db, symbol);
  let trained: Awaited<ReturnType<typeof trainPriceModelForSeries>>;
  try {
    trained = await trainPriceModelForSeries(closes);
  } catch (error) {
    if (error instanceof InsufficientHistoryError) return { symbol, skipped: error.message };
    throw error;
  }
  const saved = await savePriceModel(db, {
    symbol,
    dataThrough: trained.metrics.dataThrough,
    published: trained.published,
    metrics: trained.metrics,
    artifact: trained.artifact,
  });
  await publishLatestForecast(db, redis, prefix, symbol);
  return { symbol, version: saved.version, published: trained.published, trainMs: trained.metrics.trainMs };
}
