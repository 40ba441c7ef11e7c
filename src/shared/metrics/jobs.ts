import { type Job, UnrecoverableError, type Worker } from 'bullmq';
import { type Logger, withLogContext } from '../logger.js';
import type { Metrics } from './registry.js';

type JobProcessor<T, R> = (job: Job<T>, token?: string, signal?: AbortSignal) => Promise<R>;

/**
 * Wraps a processor so every line it logs, through any logger, carries the job's queue and id (the
 * processors' loggers were made before the job existed). Sandboxed processors (a file path) run in
 * another process and are passed through unchanged; their start, finish and failure are still logged
 * with the id by `instrumentWorker`.
 */
export function withJobLogContext<T, R>(queue: string, processor: JobProcessor<T, R>): JobProcessor<T, R> {
  return (job, token, signal) => withLogContext({ queue, jobId: job.id }, () => processor(job, token, signal));
}

function durationSeconds(job: Job): number | undefined {
  if (!job.processedOn) return undefined;
  return Math.max(0, (job.finishedOn ?? Date.now()) - job.processedOn) / 1000;
}

/**
 * Logs each job's start, finish and failure through a child logger bound to its queue and id, and
 * observes its duration (active → completed or failed) in the per-queue histogram.
 */
export function instrumentWorker(worker: Worker, metrics: Metrics | undefined, logger: Logger): void {
  const queue = worker.name;
  const forJob = (jobId: string | undefined) => logger.child({ queue, jobId });
  worker.on('active', (job) => {
    forJob(job.id).info({ name: job.name, attempt: job.attemptsMade + 1 }, 'job started');
  });
  worker.on('completed', (job) => {
    const seconds = durationSeconds(job);
    if (seconds !== undefined) metrics?.jobDuration.observe({ queue, status: 'completed' }, seconds);
    forJob(job.id).info({ durationMs: seconds === undefined ? undefined : Math.round(seconds * 1000) }, 'job finished');
  });
  worker.on('failed', (job, error) => {
    const seconds = job ? durationSeconds(job) : undefined;
    if (seconds !== undefined) metrics?.jobDuration.observe({ queue, status: 'failed' }, seconds);
    const willRetry = job !== undefined && !(error instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1);
    forJob(job?.id).error(
      { err: error, attempt: job?.attemptsMade, willRetry },
      'job failed',
    );
  });
  worker.on('stalled', (jobId) => {
    forJob(jobId).warn('job stalled (its worker stopped renewing the lock); it will be re-run');
  });
  worker.on('error', (error) => {
    logger.error({ err: error, queue }, 'worker error');
  });
}
