import type { Job, Queue } from 'bullmq';
import type { CoreContext } from '../../shared/core/context.js';
import { countTickResults } from '../../shared/metrics/registry.js';
import type { TickBatchJob, TickBatchResult, TrainingJob } from '../../shared/queue/names.js';
import { storeTickBatch } from '../../shared/repositories/tick-repository.js';

/**
 * Throttled retraining: the first new close schedules a retrain `debounceMs` later and later closes in
 * that window join it (the job reads every close when it runs). A steady stream (a replay) therefore
 * retrains about once per window plus training time, never once per tick, and never starves: a pure
 * debounce would keep postponing the retrain for as long as ticks keep coming.
 */
export async function requestRetrain(queue: Queue<TrainingJob>, symbol: string, debounceMs: number): Promise<void> {
  await queue.add('train', { symbol }, { delay: debounceMs, deduplication: { id: `train-${symbol}`, ttl: Math.max(debounceMs, 1) } });
}

/**
 * Stores a batch of validated ticks (idempotent: a re-run after a crash reports duplicates and stores
 * nothing twice), then asks for a retrain of every symbol whose closes changed.
 */
export function createTickBatchProcessor(
  core: Pick<CoreContext, 'db' | 'config' | 'logger' | 'metrics'>,
  training: Queue<TrainingJob>,
) {
  return async (job: Job<TickBatchJob>): Promise<TickBatchResult> => {
    const stored = await storeTickBatch(core.db, job.data.ticks, core.config.MARKET_TIMEZONE);
    countTickResults(core.metrics, stored.results);
    for (const [symbol, change] of stored.changes) {
      if (change.newDays.length > 0 || change.changedDays.length > 0) {
        await requestRetrain(training, symbol, core.config.TRAIN_DEBOUNCE_MS);
      }
      if (change.late) core.logger.info({ symbol, jobId: job.id }, 'late ticks changed history; model marked stale');
    }
    return { results: stored.results };
  };
}
