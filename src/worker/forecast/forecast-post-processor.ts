import type { Job, Queue } from 'bullmq';
import type { CoreContext } from '../../shared/core/context.js';
import { ForecastCacheReader } from '../../shared/market/forecast-cache.js';
import { renderForecastReplies } from '../../shared/market/forecast-message.js';
import { type ForecastPostJob, jobId, type OutboxJob, serializeMessage } from '../../shared/queue/names.js';
import { claimForecastPost, forecastPostClaimed } from '../../shared/repositories/forecast-subscription-repository.js';
import type { Redis } from 'ioredis';

/**
 * A subscribed conversation's daily forecast: posted once per (conversation, symbol, target date),
 * recorded in Postgres and keyed in the outbox by the same triple, so a scheduler firing twice posts once.
 */
export function createForecastPostProcessor(
  core: Pick<CoreContext, 'db' | 'config' | 'logger'>,
  redis: Redis,
  outbox: Queue<OutboxJob>,
) {
  const forecasts = new ForecastCacheReader(redis, core.config.QUEUE_PREFIX);
  return async (job: Job<ForecastPostJob>): Promise<{ posted: boolean; targetDate?: string }> => {
    const { conversation, symbol } = job.data;
    const cached = await forecasts.latest(symbol);
    if (!cached) {
      core.logger.warn({ symbol, conversation }, 'no forecast to post yet');
      return { posted: false };
    }
    const targetDate = cached.forecast.targetDate;
    const claim = { conversation, symbol, targetDate };
    if (await forecastPostClaimed(core.db, claim)) return { posted: false, targetDate };
    // Queue first, then record: the job id makes a re-run after a crash between the two queue nothing new.
    await outbox.add(
      'forecast',
      { kind: 'messages', conversation, messages: renderForecastReplies(cached).map((item) => serializeMessage(item.message)) },
      { jobId: jobId('forecast', conversation, symbol, targetDate) },
    );
    return { posted: await claimForecastPost(core.db, claim), targetDate };
  };
}
