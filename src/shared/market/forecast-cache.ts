import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { NextCloseForecast } from '../forecast/next-close.js';

/** What /forecast needs to answer without touching the model: the forecast, its chart, its provenance. */
export interface CachedForecast {
  symbol: string;
  modelVersion: number;
  stale: boolean;
  forecast: NextCloseForecast;
  validation: { rnnMase: number | null; naiveMae: number | null };
  chartPng: Buffer;
  updatedAt: string;
}

/** As kept in Redis: the chart (tens of kB) lives under its own content-addressed key. */
type StoredForecast = Omit<CachedForecast, 'chartPng'> & { chartSha256: string };

/** A chart outlives the forecast that replaced it long enough for a reader that fetched the old one. */
const CHART_TTL_SECONDS = 7 * 24 * 3600;

function forecastKey(prefix: string, symbol: string): string {
  return `${prefix}:forecast:${symbol}`;
}

function chartKey(prefix: string, sha256: string): string {
  return `${prefix}:forecast-chart:${sha256}`;
}

/** Writes the chart first, then the forecast naming it, so a reader never finds a forecast without its chart. */
export async function writeCachedForecast(redis: Redis, prefix: string, value: CachedForecast): Promise<void> {
  const { chartPng, ...rest } = value;
  const chartSha256 = createHash('sha256').update(chartPng).digest('hex');
  await redis.set(chartKey(prefix, chartSha256), chartPng, 'EX', CHART_TTL_SECONDS);
  const stored: StoredForecast = { ...rest, chartSha256 };
  await redis.set(forecastKey(prefix, value.symbol), JSON.stringify(stored));
}

async function readStored(redis: Redis, prefix: string, symbol: string): Promise<StoredForecast | undefined> {
  const raw = await redis.get(forecastKey(prefix, symbol));
  return raw ? (JSON.parse(raw) as StoredForecast) : undefined;
}

/**
 * Reads the published forecasts. Charts are immutable under their hash, so a reader keeps the few it
 * has seen in memory: a /forecast answer then costs one small GET, not a 60 kB transfer and decode.
 */
export class ForecastCacheReader {
  private readonly charts = new LRUCache<string, Buffer>({ max: 64 });

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async latest(symbol: string): Promise<CachedForecast | undefined> {
    const stored = await readStored(this.redis, this.prefix, symbol);
    if (!stored) return undefined;
    const { chartSha256, ...rest } = stored;
    let chartPng = this.charts.get(chartSha256);
    if (!chartPng) {
      const fetched = await this.redis.getBuffer(chartKey(this.prefix, chartSha256));
      if (!fetched) return undefined;
      chartPng = fetched;
      this.charts.set(chartSha256, chartPng);
    }
    return { ...rest, chartPng };
  }
}

export function readCachedForecast(redis: Redis, prefix: string, symbol: string): Promise<CachedForecast | undefined> {
  return new ForecastCacheReader(redis, prefix).latest(symbol);
}

export async function markCachedForecastStale(redis: Redis, prefix: string, symbol: string): Promise<void> {
  const stored = await readStored(redis, prefix, symbol);
  if (stored && !stored.stale) await redis.set(forecastKey(prefix, symbol), JSON.stringify({ ...stored, stale: true }));
}
