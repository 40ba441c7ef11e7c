import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type CachedForecast, ForecastCacheReader, writeCachedForecast } from '../../src/shared/market/forecast-cache.js';
import { RedisConnections } from '../../src/shared/queue/connection.js';

function forecast(lastDay: string, chart: string): CachedForecast {
  return {
    symbol: 'SPX',
    modelVersion: 1,
    stale: false,
    forecast: {
      targetDate: '2020-04-16',
      value: 2800,
      lower: 2700,
      upper: 2900,
      naive: 2790,
      lastClose: 2790,
      lastDay,
      change: 10,
      source: 'naive',
      network: 2810,
      intervalLevel: 0.9,
      explanation: 'The naive forecast.',
    },
    validation: { rnnMase: 1.01, naiveMae: 20 },
    chartPng: Buffer.from(chart),
    updatedAt: '2020-04-15T21:00:00.000Z',
  };
}

describe('the forecast cache in Redis', () => {
  const connections = new RedisConnections(inject('redisUrl'));
  afterAll(() => connections.closeAll());

  it('keeps the current chart without expiry, lets the replaced one expire, and reads the chart from memory after the first time', async () => {
    const redis = connections.create();
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const reader = new ForecastCacheReader(redis, prefix);
    await writeCachedForecast(redis, prefix, forecast('2020-04-14', 'chart one'));
    const first = await reader.latest('SPX');
    expect(first?.chartPng.toString()).toBe('chart one');
    await writeCachedForecast(redis, prefix, forecast('2020-04-15', 'chart two'));
    const charts = await redis.keys(`${prefix}:forecast-chart:*`);
    const ttls = Object.fromEntries(await Promise.all(charts.map(async (key) => [(await redis.get(key)) ?? '', await redis.ttl(key)] as const)));
    expect(ttls['chart two']).toBe(-1);
    expect(ttls['chart one']).toBeGreaterThan(0);
    expect((await reader.latest('SPX'))?.forecast.lastDay).toBe('2020-04-15');
    // Gone from Redis, still served: the reader keeps charts it has seen (they never change under their hash).
    await redis.del(...charts);
    expect((await reader.latest('SPX'))?.chartPng.toString()).toBe('chart two');
  });

  it('still reads an entry written before charts had their own key (chart inline, base64)', async () => {
    const redis = connections.create();
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const { chartPng, ...rest } = forecast('2020-04-14', 'inline chart');
    await redis.set(`${prefix}:forecast:SPX`, JSON.stringify({ ...rest, chartPngBase64: chartPng.toString('base64') }));
    expect((await new ForecastCacheReader(redis, prefix).latest('SPX'))?.chartPng.toString()).toBe('inline chart');
  });
});
