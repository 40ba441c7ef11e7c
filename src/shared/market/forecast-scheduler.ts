import type { Queue } from 'bullmq';
import type { ConversationRef } from '../chat/types.js';
import type { ForecastPostJob } from '../queue/names.js';
import { parseTimeOfDay } from '../time.js';

export function forecastSchedulerId(conversation: ConversationRef, symbol: string): string {
  return `forecast|${conversation}|${symbol}`;
}

/** One job scheduler per (conversation, symbol); Postgres keeps the subscription, the worker reconciles. */
export async function scheduleForecastPosts(
  queue: Queue<ForecastPostJob>,
  subscription: { conversation: ConversationRef; symbol: string; postTime: string; timezone: string },
): Promise<void> {
  const { hour, minute } = parseTimeOfDay(subscription.postTime);
  await queue.upsertJobScheduler(
    forecastSchedulerId(subscription.conversation, subscription.symbol),
    { pattern: `0 ${minute} ${hour} * * *`, tz: subscription.timezone },
    { name: 'forecast-post', data: { conversation: subscription.conversation, symbol: subscription.symbol } },
  );
}

export async function unscheduleForecastPosts(queue: Queue<ForecastPostJob>, conversation: ConversationRef, symbol: string) {
  await queue.removeJobScheduler(forecastSchedulerId(conversation, symbol));
}
