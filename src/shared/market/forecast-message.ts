import type { Reply } from '../chat/types.js';
import type { CachedForecast } from './forecast-cache.js';

// Building a number format is costly; /forecast renders on every request, so build it once.
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function money(value: number): string {
  return MONEY.format(value);
}

/** The forecast as chat messages: the numbers beside the naive baseline, then the chart. */
export function renderForecastReplies(cached: CachedForecast): Reply[] {
  const { forecast } = cached;
  const sign = forecast.change >= 0 ? '+' : '−';
  const percent = (Math.abs(forecast.change) / forecast.lastClose) * 100;
  const shown = forecast.source === 'rnn' ? 'Model forecast' : 'Naive forecast (tomorrow = today)';
  const lines = [
    `**${cached.symbol}** — ${shown} for ${forecast.targetDate}: **${money(forecast.value)}** (${sign}${money(Math.abs(forecast.change))}, ${sign}${percent.toFixed(2)}% vs last close ${money(forecast.lastClose)} on ${forecast.lastDay})`,
    `${Math.round(forecast.intervalLevel * 100)}% interval: ${money(forecast.lower)} – ${money(forecast.upper)} · naive baseline: ${money(forecast.naive)} · network said ${money(forecast.network)}`,
    forecast.explanation,
    `Model v${cached.modelVersion}${cached.stale ? ' (stale: late data arrived; retraining)' : ''}, updated ${cached.updatedAt.slice(0, 16).replace('T', ' ')} UTC.`,
  ];
  return [
    { message: { kind: 'text', markdown: lines.join('\n') } },
    {
      message: {
        kind: 'image',
        png: cached.chartPng,
        alt: `${cached.symbol} recent closes with the ${forecast.targetDate} forecast and its interval`,
        filename: `${cached.symbol}-${forecast.targetDate}.png`,
      },
    },
  ];
}
