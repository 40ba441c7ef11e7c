import { parseSeriesCsv } from '../forecast/csv.js';
import type { RawTick } from './tick.js';
import { zonedTimeToUtc } from './zoned-time.js';

/** When a CSV has dates only, each row is that day's close, stamped at the market's closing time. */
export const MARKET_CLOSE_TIME = '16:00';

/** Daily CSV rows (date + value) → ticks at the market close of each day. */
export function csvToTicks(
  text: string,
  options: { symbol: string; valueColumn: string; dateColumn: string; marketTimeZone: string },
): RawTick[] {
  const points = parseSeriesCsv(text, { valueColumn: options.valueColumn, dateColumn: options.dateColumn });
  return points.map((point) => ({
    symbol: options.symbol,
    ts: zonedTimeToUtc(point.day ?? '', MARKET_CLOSE_TIME, options.marketTimeZone).toISOString(),
    price: point.close,
  }));
}
