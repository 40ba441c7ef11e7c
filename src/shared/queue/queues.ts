import { Queue, QueueEvents, type QueueOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import {
  type DailyQuizJob,
  type ForecastPostJob,
  type OutboxJob,
  QUEUE,
  type SentimentJob,
  type TickBatchJob,
  type TrainingJob,
} from './names.js';

export interface Queues {
  dailyQuiz: Queue<DailyQuizJob>;
  outbox: Queue<OutboxJob>;
  sentiment: Queue<SentimentJob>;
  ticks: Queue<TickBatchJob>;
  training: Queue<TrainingJob>;
  forecastPosts: Queue<ForecastPostJob>;
  close(): Promise<void>;
}

/** Completed jobs are kept for a while so a duplicate job id is recognised and not run again. */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

/**
 * The producer side of every queue. With a logger, a queue's connection errors (Redis restarting) are
 * logged as one line each; without a listener Node would print each as an unhandled 'error' event.
 */
export function createQueues(connection: Redis, prefix: string, logger?: Logger): Queues {
  const options: QueueOptions = { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS };
  const dailyQuiz = new Queue<DailyQuizJob>(QUEUE.dailyQuiz, options);
  const outbox = new Queue<OutboxJob>(QUEUE.outbox, options);
  const sentiment = new Queue<SentimentJob>(QUEUE.sentiment, {
    ...options,
    // A chat answer is worth nothing late: no long retry tail, and results expire quickly.
    defaultJobOptions: { attempts: 2, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
  });
  const ticks = new Queue<TickBatchJob>(QUEUE.ticks, options);
  const training = new Queue<TrainingJob>(QUEUE.training, {
    ...options,
    defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, attempts: 3, removeOnComplete: { age: 24 * 3600, count: 1000 } },
  });
  const forecastPosts = new Queue<ForecastPostJob>(QUEUE.forecastPosts, options);
  const all = [dailyQuiz, outbox, sentiment, ticks, training, forecastPosts];
  for (const queue of all) {
    queue.on('error', (error) => logger?.warn({ queue: queue.name, err: error.message }, 'queue connection error (retrying)'));
  }
  return {
    dailyQuiz,
    outbox,
    sentiment,
    ticks,
    training,
    forecastPosts,
    async close() {
      await Promise.all(all.map((queue) => queue.close()));
    },
  };
}

/**
 * Listens to one queue's job events (completion, failure) on a connection of its own, which it needs
 * for blocking reads. Its connection errors are logged like the queues' own.
 */
export function createQueueEvents(name: string, connection: Redis, prefix: string, logger?: Logger): QueueEvents {
  const events = new QueueEvents(name, { connection, prefix });
  events.on('error', (error) => logger?.warn({ queue: name, err: error.message }, 'queue events connection error (retrying)'));
  return events;
}
