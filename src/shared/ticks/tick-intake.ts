import type { Queue, QueueEvents } from 'bullmq';
import { countTickResults, type Metrics } from '../metrics/registry.js';
import type { TickBatchJob, TickBatchResult } from '../queue/names.js';
import { type TickResult, validateTicks } from './tick.js';

export interface IntakeSummary {
  accepted: number;
  stored: number;
  storedLate: number;
  duplicates: number;
  rejected: number;
  results: TickResult[];
  /** Set when the worker had not answered in time: the batch is queued and will be stored. */
  pendingJobIds?: string[];
}

export function summarise(results: TickResult[], pendingJobIds?: string[]): IntakeSummary {
  const count = (status: TickResult['status']) => results.filter((result) => result.status === status).length;
  return {
    accepted: results.filter((result) => result.status !== 'rejected').length,
    stored: count('stored'),
    storedLate: count('stored_late'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    results,
    ...(pendingJobIds && pendingJobIds.length > 0 ? { pendingJobIds } : {}),
  };
}

/**
 * The one path every tick takes after its entry point (HTTP, CSV import, replay): validate here,
 * queue the valid ones in chunks, and (when asked) wait for the worker's per-tick verdicts.
 */
export async function submitTicks(
  raw: readonly unknown[],
  deps: {
    queue: Queue<TickBatchJob>;
    events?: QueueEvents;
    now: Date;
    futureToleranceMs: number;
    chunkSize: number;
    waitMs: number;
    /** Counts the rejections decided here; the worker counts the verdicts of the store. */
    metrics?: Metrics;
  },
): Promise<IntakeSummary> {
  const { valid, rejected } = validateTicks(raw, deps.now, deps.futureToleranceMs);
  countTickResults(deps.metrics, rejected);
  const results: TickResult[] = [...rejected];
  const jobs = [];
  for (let start = 0; start < valid.length; start += deps.chunkSize) {
    jobs.push(await deps.queue.add('batch', { ticks: valid.slice(start, start + deps.chunkSize) }));
  }
  const pending: string[] = [];
  for (const job of jobs) {
    if (!deps.events) {
      pending.push(job.id ?? '');
      continue;
    }
    try {
      const outcome = (await job.waitUntilFinished(deps.events, deps.waitMs)) as TickBatchResult;
      results.push(...outcome.results);
    } catch (error) {
      if (!(error as Error).message.includes('timed out')) throw error;
      pending.push(job.id ?? '');
    }
  }
  results.sort((a, b) => a.index - b.index);
  return summarise(results, pending);
}
