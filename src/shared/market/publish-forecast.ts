import type { Redis } from 'ioredis';
import { renderForecastChart } from '../forecast/chart.js';
import { forecastNextClose } from '../forecast/next-close.js';
import { loadPriceModel } from '../forecast/price-model.js';
import type { Database } from '../repositories/database.js';
import { loadDailyCloses } from '../repositories/tick-repository.js';
import { type CachedForecast, writeCachedForecast } from './forecast-cache.js';

const CHART_DAYS = 90;

/**
 * From the symbol's latest stored model and closes: the next-day forecast, stored (unique per symbol,
 * target date and model) and cached with its chart for /forecast.
 */
export async function publishLatestForecast(
  db: Database,
  redis: Redis,
  prefix: string,
  symbol: string,
): Promise<CachedForecast | undefined> {
  const row = await db.priceModel.findFirst({
    where: { symbol: { code: symbol } },
    orderBy: { version: 'desc' },
  });
  if (!row) return undefined;
  const closes = await loadDailyCloses(db, symbol);
  const model = await loadPriceModel(row.artifact);
  try {
    const forecast = forecastNextClose(model, closes);
    await db.$executeRaw`
      INSERT INTO "Forecast" ("symbolId", "targetDate", "modelId", "value", "lower", "upper", "naive", "lastClose", "source", "createdAt")
      VALUES (${row.symbolId}, ${forecast.targetDate}, ${row.id}, ${forecast.value}, ${forecast.lower}, ${forecast.upper},
              ${forecast.naive}, ${forecast.lastClose}, ${forecast.source}, now())
      ON CONFLICT ("symbolId", "targetDate", "modelId") DO NOTHING`;
    const png = await renderForecastChart({ symbol, closes: closes.slice(-CHART_DAYS), forecast });
    const metrics = row.metrics as { validation?: { rnn?: { mase?: number | null }; naive?: { mae?: number | null } } };
    const cached: CachedForecast = {
      symbol,
      modelVersion: row.version,
      stale: row.stale,
      forecast,
      validation: { rnnMase: metrics.validation?.rnn?.mase ?? null, naiveMae: metrics.validation?.naive?.mae ?? null },
      chartPng: png,
      updatedAt: new Date().toISOString(),
    };
    await writeCachedForecast(redis, prefix, cached);
    return cached;
  } finally {
    model.dispose();
  }
}
