import { openProcessServices } from '../shared/core/process-services.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import type { CoreConfig } from '../shared/config.js';
import type { CoreContext } from '../shared/core/context.js';
import type { Logger } from '../shared/logger.js';
import { instrumentWorker, registerModelMetrics, withJobLogContext } from '../shared/metrics/index.js';
import { startHeartbeat } from '../shared/queue/heartbeat.js';
import { type DailyQuizJob, type ForecastPostJob, QUEUE, type SentimentJob, type TickBatchJob, type TrainingJob } from '../shared/queue/names.js';
import { DEFAULT_SENTIMENT_ARTIFACT_DIR, METRICS_FILE } from '../shared/sentiment/artifact.js';
import { type Clock, systemClock } from '../shared/time.js';
import { createWorkerHttpServer } from './http-server.js';
import { createDailyQuizProcessor } from './quiz/daily-quiz-processor.js';
import { reconcileForecastSchedules, reconcileQuizSchedules } from './quiz/reconcile-schedules.js';
import { createForecastPostProcessor } from './forecast/forecast-post-processor.js';
import { createTickBatchProcessor } from './ticks/tick-batch-processor.js';
import { processSentimentJob, sentimentScorer } from './sentiment/process-sentiment-job.js';

const TRAINING_SANDBOX = fileURLToPath(new URL('./forecast/training-sandbox.mjs', import.meta.url));

export interface WorkerOptions {
  config: CoreConfig;
  databaseUrl: string;
  redisUrl: string;
  logger: Logger;
  clock?: Clock;
}

export interface RunningWorker {
  core: Omit<CoreContext, 'messenger'>;
  /** The worker's HTTP server (/healthz, /metrics) on HTTP_HOST:WORKER_HTTP_PORT. */
  url: string;
  stop(): Promise<void>;
}

/** The composition root of the worker process: every BullMQ processor and the schedule reconciler. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const services = openProcessServices({ config, logger, databaseUrl: options.databaseUrl, redisUrl: options.redisUrl, service: 'worker' });
  const { db, connections, redis, queues, metrics } = services;
  registerModelMetrics(metrics, { db, sentimentMetricsFile: path.join(DEFAULT_SENTIMENT_ARTIFACT_DIR, METRICS_FILE) }, logger);
  const core = { db, clock, logger, config, queues, metrics };
  const connection = () => connections.create();

  const shared = { prefix: config.QUEUE_PREFIX, lockDuration: config.JOB_LOCK_MS, stalledInterval: config.JOB_LOCK_MS };
  const workers: Worker[] = [
    new Worker<DailyQuizJob>(QUEUE.dailyQuiz, withJobLogContext(QUEUE.dailyQuiz, createDailyQuizProcessor(core, queues.outbox)), {
      ...shared,
      connection: connection(),
      concurrency: 4,
    }),
    new Worker<TickBatchJob>(QUEUE.ticks, withJobLogContext(QUEUE.ticks, createTickBatchProcessor(core, queues.training)), {
      ...shared,
      connection: connection(),
      concurrency: 2,
    }),
    // Training runs in a child process (BullMQ sandbox): the CPU-bound fit cannot starve this event loop.
    new Worker<TrainingJob>(QUEUE.training, TRAINING_SANDBOX, {
      ...shared,
      connection: connection(),
      concurrency: 1,
      lockDuration: 120_000,
      workerForkOptions: {
        env: { ...process.env, DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl, QUEUE_PREFIX: config.QUEUE_PREFIX },
      },
    }),
    new Worker<SentimentJob>(QUEUE.sentiment, withJobLogContext(QUEUE.sentiment, processSentimentJob), {
      ...shared,
      connection: connection(),
      concurrency: 1,
    }),
    new Worker<ForecastPostJob>(QUEUE.forecastPosts, withJobLogContext(QUEUE.forecastPosts, createForecastPostProcessor(core, redis, queues.outbox)), {
      ...shared,
      connection: connection(),
      concurrency: 2,
    }),
  ];
  for (const worker of workers) instrumentWorker(worker, metrics, logger);
  await reconcileQuizSchedules(core, queues.dailyQuiz);
  await reconcileForecastSchedules(core, queues.forecastPosts);
  // Load the sentiment model before declaring readiness, so the first /sentiment is not the slow one.
  await sentimentScorer(undefined, logger);
  const stopHeartbeat = startHeartbeat(redis, config.QUEUE_PREFIX);
  const http = createWorkerHttpServer(logger, metrics.registry, services.healthChecks);
  const stop = async () => {
    await http.close();
    stopHeartbeat();
    // close() waits for active jobs to finish: SIGTERM drains instead of abandoning work.
    await Promise.all(workers.map((worker) => worker.close()));
    await services.close();
  };
  let url: string;
  try {
    url = await http.listen({ host: config.HTTP_HOST, port: config.WORKER_HTTP_PORT });
  } catch (error) {
    // A taken port must not leave workers consuming in a process that is about to report failure.
    await stop().catch((cleanupError: unknown) => logger.warn({ err: cleanupError }, 'cleanup after a failed start'));
    throw error;
  }
  logger.info({ url }, 'worker ready');

  return { core, url, stop };
}
