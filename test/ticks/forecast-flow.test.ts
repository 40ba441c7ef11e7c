import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSymbol } from '../../src/shared/repositories/symbol-repository.js';
import { postJson } from '../support/bot.js';
import { eventually } from '../support/processes.js';
import { startTestStack, type TestStack } from '../support/stack.js';

interface Message {
  id: string;
  kind: string;
  text: string;
  image?: string;
}

/** Weekday closes of a seeded random walk, oldest first. */
function series(count: number): { day: string; close: number }[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const days: { day: string; close: number }[] = [];
  let close = 100;
  for (let date = new Date(Date.UTC(2024, 0, 1)); days.length < count; date = new Date(date.getTime() + 86_400_000)) {
    if (date.getUTCDay() === 0 || date.getUTCDay() === 6) continue;
    close *= 1 + (random() - 0.5) * 0.02;
    days.push({ day: date.toISOString().slice(0, 10), close: Math.round(close * 100) / 100 });
  }
  return days;
}

describe('ticks → daily closes → retrain in the sandbox → forecast in chat', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ TRAIN_DEBOUNCE_MS: '200' });
    await registerSymbol(t.bot.core.db, 'WALK');
  });
  afterAll(() => t.close());

  it('answers /forecast from the cache with the numbers, the naive baseline and a chart', async () => {
    const closes = series(160);
    const ticks = closes.map((point) => ({ symbol: 'WALK', ts: `${point.day}T21:00:00Z`, price: point.close }));
    const stored = await postJson<{ stored: number }>(t.base, '/api/ticks', ticks);
    expect(stored.body.stored).toBe(160);

    const model = await eventually(
      async () => (await t.bot.core.db.priceModel.findFirst({ where: { symbol: { code: 'WALK' } } })) ?? undefined,
      120_000,
      'a trained model',
    );
    expect(model.version).toBe(1);
    expect(model.dataThrough).toBe(closes.at(-1)?.day);
    expect(['rnn', 'naive']).toContain(model.published);
    const forecast = await eventually(
      async () => (await t.bot.core.db.forecast.findFirst({ where: { modelId: model.id } })) ?? undefined,
      30_000,
      'a stored forecast',
    );
    expect(forecast.lastClose).toBe(closes.at(-1)?.close);
    expect(forecast.naive).toBe(closes.at(-1)?.close);

    // The forecast row is written before the chart is rendered and cached: ask until the cache answers.
    const replies = await eventually(
      async () => {
        const answer = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
          conversation: 'markets',
          user: 'bob',
          text: '/forecast walk',
        });
        return answer.body.replies.length === 2 ? answer.body.replies : undefined;
      },
      30_000,
      'the cached forecast',
    );
    const [text, image] = replies;
    expect(text?.text).toContain(`**WALK** — `);
    expect(text?.text).toContain(forecast.targetDate);
    expect(text?.text).toMatch(/naive baseline: [\d,.]+/);
    expect(image?.kind).toBe('image');
    expect(image?.image).toMatch(/^\/api\/local\/images\/[0-9a-f]{64}\.png$/);
    const png = await fetch(`${t.base}${image?.image}`);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  }, 180_000);

  it('refuses an unknown symbol clearly, and a non-admin subscription', async () => {
    const unknown = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
      conversation: 'markets',
      user: 'bob',
      text: '/forecast NOSUCH',
    });
    expect(unknown.body.replies[0]?.text).toMatch(/There is no symbol NOSUCH/);
    const refused = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
      conversation: 'markets',
      user: 'bob',
      text: '/forecast subscribe WALK 08:00 UTC',
    });
    expect(refused.body.replies[0]?.text).toMatch(/Only an admin/);
    expect(await t.bot.core.db.forecastSubscription.count()).toBe(0);
  });

  it('posts a scheduled forecast once even when its job fires twice', async () => {
    const subscribed = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
      conversation: 'markets',
      user: 'admin',
      text: '/forecast subscribe WALK 08:00 UTC',
    });
    expect(subscribed.body.replies[0]?.text).toMatch(/every day at 08:00 \(UTC\)/);
    const schedulers = await t.bot.core.queues.forecastPosts.getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.tz)).toEqual(['UTC']);
    await Promise.all([
      t.bot.core.queues.forecastPosts.add('forecast-post', { conversation: 'local:markets', symbol: 'WALK' }),
      t.bot.core.queues.forecastPosts.add('forecast-post', { conversation: 'local:markets', symbol: 'WALK' }),
    ]);
    await eventually(
      async () => ((await t.bot.core.db.forecastPost.count()) === 1 ? true : undefined),
      20_000,
      'the forecast post record',
    );
    const images = await eventually(
      async () => {
        const response = await fetch(`${t.base}/api/local/conversations/markets/messages?user=carol`);
        const { messages } = (await response.json()) as { messages: Message[] };
        const found = messages.filter((message) => message.kind === 'image');
        return found.length >= 2 ? found : undefined;
      },
      20_000,
      'the posted chart',
    );
    // One chart from /forecast earlier (shown publicly) and one from the scheduled post, not two.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const { messages } = (await (await fetch(`${t.base}/api/local/conversations/markets/messages`)).json()) as { messages: Message[] };
    expect(messages.filter((message) => message.kind === 'image')).toHaveLength(images.length);
    expect(images).toHaveLength(2);
  }, 60_000);
});
