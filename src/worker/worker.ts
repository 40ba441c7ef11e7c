import { Worker } from 'bullmq';
import type { CoreConfig } from '../shared/config.js';
import type { CoreContext } from '../shared/core/context.js';
import { createPrismaClient } from '../shared/db/client.js';
import type { Logger } from '../shared/logger.js';
import { createRedisConnection } from '../shared/queue/connection.js';
import { startHeartbeat } from '../shared/queue/heartbeat.js';
import { type DailyQuizJob, QUEUE } from '../shared/queue/names.js';
import { createQueues } from '../shared/queue/queues.js';
import { type Clock, systemClock } from '../shared/time.js';
import { createDailyQuizProcessor } from './quiz/daily-quiz-processor.js';
import { reconcileQuizSchedules } from './quiz/reconcile-schedules.js';

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
  const redis = createRedisConnection(options.redisUrl);
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  const core = { db, clock, logger, config, queues, features: {} };
  const connection = () => createRedisConnection(options.redisUrl);

  const workers: Worker[] = [
    new Worker<DailyQuizJob>(QUEUE.dailyQuiz, createDailyQuizProcessor(core, queues.outbox), {
      connection: connection(),
      prefix: config.QUEUE_PREFIX,
      concurrency: 4,
    }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) => logger.error({ err: error, queue: worker.name, jobId: job?.id }, 'job failed'));
  }
  await reconcileQuizSchedules(core, queues.dailyQuiz);
  const stopHeartbeat = startHeartbeat(redis, config.QUEUE_PREFIX);
  logger.info('worker ready');

  return {
    core,
    async stop() {
      stopHeartbeat();
      // close() waits for active jobs to finish: SIGTERM drains instead of abandoning work.
      await Promise.all(workers.map((worker) => worker.close()));
      await queues.close();
      await redis.quit();
      await db.$disconnect();
    },
  };
}
