import type { Queue } from 'bullmq';
import type { CoreContext } from '../../shared/core/context.js';
import { type DailyQuizJob, type ForecastPostJob, jobId } from '../../shared/queue/names.js';
import { scheduleDailyQuiz } from '../../shared/quiz/quiz-scheduler.js';
import { listQuizSubscriptions } from '../../shared/repositories/subscription-repository.js';
import { listForecastSubscriptions } from '../../shared/repositories/forecast-subscription-repository.js';
import { scheduleForecastPosts } from '../../shared/market/forecast-scheduler.js';
import { localDate, localMinutes, parseTimeOfDay } from '../../shared/time.js';

/**
 * Postgres is the record of subscriptions; Redis holds their schedulers. At start the worker makes the
 * schedulers match the records, and posts today's card where today's time has passed without one
 * (the bot was down at post time). Both steps are idempotent.
 */
export async function reconcileQuizSchedules(
  core: Pick<CoreContext, 'db' | 'clock' | 'logger'>,
  queue: Queue<DailyQuizJob>,
): Promise<{ scheduled: number; caughtUp: number }> {
  const subscriptions = await listQuizSubscriptions(core.db);
  const now = core.clock();
  let caughtUp = 0;
  for (const subscription of subscriptions) {
    await scheduleDailyQuiz(queue, subscription);
    const { hour, minute } = parseTimeOfDay(subscription.postTime);
    if (localMinutes(now, subscription.timezone) >= hour * 60 + minute) {
      const date = localDate(now, subscription.timezone);
      await queue.add(
        'daily-quiz',
        { conversation: subscription.conversation },
        { jobId: jobId('catch-up', subscription.conversation, date) },
      );
      caughtUp += 1;
    }
  }
  core.logger.info({ scheduled: subscriptions.length, caughtUp }, 'quiz schedules reconciled');
  return { scheduled: subscriptions.length, caughtUp };
}

/** The same for forecast subscriptions (no catch-up: a forecast posted late is still today's). */
export async function reconcileForecastSchedules(
  core: Pick<CoreContext, 'db' | 'logger'>,
  queue: Queue<ForecastPostJob>,
): Promise<number> {
  const subscriptions = await listForecastSubscriptions(core.db);
  for (const subscription of subscriptions) await scheduleForecastPosts(queue, subscription);
  return subscriptions.length;
}
