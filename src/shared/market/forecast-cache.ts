import type { Redis } from 'ioredis';
import type { NextCloseForecast } from '../forecast/next-close.js';

/** What /forecast needs to answer without touching the model: the forecast, its chart, its provenance. */
export interface CachedForecast {
  symbol: string;
  modelVersion: number;
  stale: boolean;
  forecast: NextCloseForecast;
  validation: { rnnMase: number | null; naiveMae: number | null };
  chartPngBase64: string;
  updatedAt: string;
}

function key(prefix: string, symbol: string): string {
  return `${prefix}:forecast:${symbol}`;
}

export async function writeCachedForecast(redis: Redis, prefix: string, value: CachedForecast): Promise<void> {
  await redis.set(key(prefix, value.symbol), JSON.stringify(value));
}

export async function readCachedForecast(redis: Redis, prefix: string, symbol: string): Promise<CachedForecast | undefined> {
  const raw = await redis.get(key(prefix, symbol));
  return raw ? (JSON.parse(raw) as CachedForecast) : undefined;
}

export async function markCachedForecastStale(redis: Redis, prefix: string, symbol: string): Promise<void> {
  const cached = await readCachedForecast(redis, prefix, symbol);
  if (cached && !cached.stale) await writeCachedForecast(redis, prefix, { ...cached, stale: true });
}
