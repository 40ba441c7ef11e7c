import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import type { CoreConfig } from '../shared/config.js';
import type { CoreContext } from '../shared/core/context.js';
import { createPrismaClient } from '../shared/db/client.js';
import type { Logger } from '../shared/logger.js';
import { RedisConnections } from '../shared/queue/connection.js';
import { startHeartbeat } from '../shared/queue/heartbeat.js';
import { type DailyQuizJob, type ForecastPostJob, QUEUE, type TickBatchJob, type TrainingJob } from '../shared/queue/names.js';
import { createQueues } from '../shared/queue/queues.js';
import { type Clock, systemClock } from '../shared/time.js';
import { createDailyQuizProcessor } from './quiz/daily-quiz-processor.js';
import { reconcileForecastSchedules, reconcileQuizSchedules } from './quiz/reconcile-schedules.js';
import { createForecastPostProcessor } from './forecast/forecast-post-processor.js';
import { createTickBatchProcessor } from './ticks/tick-batch-processor.js';

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
  stop(): Promise<void>;
}

/** The composition root of the worker process: every BullMQ processor and the schedule reconciler. */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const db = createPrismaClient(options.databaseUrl);
  const connections = new RedisConnections(options.redisUrl, logger);
  const redis = connections.create();
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const core = { db, clock, logger, config, queues };
  const connection = () => connections.create();

  const shared = { prefix: config.QUEUE_PREFIX, lockDuration: config.JOB_LOCK_MS, stalledInterval: config.JOB_LOCK_MS };
  const workers: Worker[] = [
    new Worker<DailyQuizJob>(QUEUE.dailyQuiz, createDailyQuizProcessor(core, queues.outbox), {
      ...shared,
      connection: connection(),
      concurrency: 4,
    }),
    new Worker<TickBatchJob>(QUEUE.ticks, createTickBatchProcessor(core, queues.training), {
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
    new Worker<ForecastPostJob>(QUEUE.forecastPosts, createForecastPostProcessor(core, redis, queues.outbox), {
      ...shared,
      connection: connection(),
      concurrency: 2,
    }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) => logger.error({ err: error, queue: worker.name, jobId: job?.id }, 'job failed'));
  }
  await reconcileQuizSchedules(core, queues.dailyQuiz);
  await reconcileForecastSchedules(core, queues.forecastPosts);
  const stopHeartbeat = startHeartbeat(redis, config.QUEUE_PREFIX);
  logger.info('worker ready');

  return {
    core,
    async stop() {
      stopHeartbeat();
      // close() waits for active jobs to finish: SIGTERM drains instead of abandoning work.
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      await connections.closeAll();
      await db.$disconnect();
    },
  };
}
