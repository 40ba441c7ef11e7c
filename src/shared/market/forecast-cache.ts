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

/**
 * As kept in Redis: the chart (tens of kB) lives under its own content-addressed key. Entries written
 * before that carry the chart inline (`chartPngBase64`) and are still read.
 */
type StoredForecast = Omit<CachedForecast, 'chartPng'> & { chartSha256?: string; chartPngBase64?: string };

/** A replaced chart stays this long for a reader that had already fetched the forecast naming it. */
const REPLACED_CHART_TTL_SECONDS = 3600;

function forecastKey(prefix: string, symbol: string): string {
  return `${prefix}:forecast:${symbol}`;
}

function chartKey(prefix: string, sha256: string): string {
  return `${prefix}:forecast-chart:${sha256}`;
}

/**
 * Writes the chart first, then the forecast naming it, so a reader never finds a forecast without its
 * chart. The current chart never expires (a forecast may stay current for weeks when no data comes);
 * the one it replaces expires an hour later.
 */
export async function writeCachedForecast(redis: Redis, prefix: string, value: CachedForecast): Promise<void> {
  const { chartPng, ...rest } = value;
  const chartSha256 = createHash('sha256').update(chartPng).digest('hex');
  const previous = await readStored(redis, prefix, value.symbol);
  await redis.set(chartKey(prefix, chartSha256), chartPng);
  const stored: StoredForecast = { ...rest, chartSha256 };
  await redis.set(forecastKey(prefix, value.symbol), JSON.stringify(stored));
  if (previous?.chartSha256 && previous.chartSha256 !== chartSha256) {
    await redis.expire(chartKey(prefix, previous.chartSha256), REPLACED_CHART_TTL_SECONDS);
  }
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
    const { chartSha256, chartPngBase64, ...rest } = stored;
    if (chartSha256 === undefined) return chartPngBase64 === undefined ? undefined : { ...rest, chartPng: Buffer.from(chartPngBase64, 'base64') };
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
