import type { Queue } from 'bullmq';
import type { ConversationRef } from '../chat/types.js';
import type { DailyQuizJob } from '../queue/names.js';
import { parseTimeOfDay } from '../time.js';

export function dailyQuizSchedulerId(conversation: ConversationRef): string {
  return `daily-quiz|${conversation}`;
}

/**
 * One BullMQ job scheduler per subscribed conversation; it lives in Redis and so survives restarts.
 * Postgres holds the subscription too, and the worker re-upserts every scheduler at start, so losing
 * Redis loses no subscription. Upserting is idempotent.
 */
export async function scheduleDailyQuiz(
  queue: Queue<DailyQuizJob>,
  subscription: { conversation: ConversationRef; postTime: string; timezone: string },
): Promise<void> {
  const { hour, minute } = parseTimeOfDay(subscription.postTime);
  await queue.upsertJobScheduler(
    dailyQuizSchedulerId(subscription.conversation),
    { pattern: `0 ${minute} ${hour} * * *`, tz: subscription.timezone },
    { name: 'daily-quiz', data: { conversation: subscription.conversation } },
  );
}

export async function unscheduleDailyQuiz(queue: Queue<DailyQuizJob>, conversation: ConversationRef): Promise<void> {
  await queue.removeJobScheduler(dailyQuizSchedulerId(conversation));
}
