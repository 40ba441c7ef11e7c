import type { DailyClose, NextCloseForecast } from './next-close.js';

export interface ForecastChartInput {
  symbol: string;
  /** Recent closes, oldest first; the last one is the forecast's last close. */
  closes: readonly DailyClose[];
  forecast: NextCloseForecast;
  width?: number;
  height?: number;
}

const FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif";
const COLOURS = { close: '#1f4e79', forecast: '#c0392b', band: '#f5b7b1', naive: '#7f8c8d', grid: '#e5e5e5', text: '#222' };

/**
 * The chart as SVG: closes as a line, the forecast as a point with its interval as an error bar and a
 * dashed link from the last close, the naive level as a dotted line, labelled axes and a title that
 * says which forecast is shown. Pure, so its content can be tested without rendering.
 */
export function buildForecastSvg(input: ForecastChartInput): string {
  const width = input.width ?? 800;
  const height = input.height ?? 450;
  const { forecast, closes } = input;
  if (closes.length === 0) throw new RangeError('a chart needs at least one close');
  const margin = { left: 78, right: 170, top: 66, bottom: 58 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const values = [...closes.map((c) => c.close), forecast.lower, forecast.upper, forecast.value];
  const ticks = niceTicks(Math.min(...values), Math.max(...values), 6);
  const yMin = ticks[0] as number;
  const yMax = ticks[ticks.length - 1] as number;
  const slots = closes.length + 1;
  const x = (i: number) => margin.left + (plotW * (i + 0.5)) / slots;
  const y = (v: number) => margin.top + plotH * (1 - (v - yMin) / (yMax - yMin || 1));
  const f = (v: number) => v.toFixed(1);

  const parts: string[] = [];
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  for (const tick of ticks) {
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${f(y(tick))}" y2="${f(y(tick))}" stroke="${COLOURS.grid}"/>`);
    parts.push(text(margin.left - 8, y(tick) + 4, formatPrice(tick), { anchor: 'end', size: 12 }));
  }
  // Dates too close to the forecast's own date label are dropped so the two never overlap.
  for (const i of dateTickIndices(closes.length, 5).filter((i) => x(closes.length) - x(i) > 90)) {
    parts.push(`<line x1="${f(x(i))}" x2="${f(x(i))}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 5}" stroke="${COLOURS.text}"/>`);
    parts.push(text(x(i), margin.top + plotH + 20, (closes[i] as DailyClose).day, { anchor: 'middle', size: 12 }));
  }
  const fx = x(closes.length);
  parts.push(text(fx, margin.top + plotH + 20, forecast.targetDate, { anchor: 'middle', size: 12, colour: COLOURS.forecast }));
  parts.push(`<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="${COLOURS.text}"/>`);

  const line = closes.map((c, i) => `${f(x(i))},${f(y(c.close))}`).join(' ');
  parts.push(`<polyline points="${line}" fill="none" stroke="${COLOURS.close}" stroke-width="2"/>`);
  const lastX = x(closes.length - 1);
  parts.push(`<line x1="${f(lastX)}" x2="${f(fx + 12)}" y1="${f(y(forecast.naive))}" y2="${f(y(forecast.naive))}" stroke="${COLOURS.naive}" stroke-dasharray="2,3"/>`);
  parts.push(`<rect x="${f(fx - 7)}" y="${f(y(forecast.upper))}" width="14" height="${f(Math.max(1, y(forecast.lower) - y(forecast.upper)))}" fill="${COLOURS.band}" opacity="0.8"/>`);
  for (const bound of [forecast.lower, forecast.upper]) {
    parts.push(`<line x1="${f(fx - 9)}" x2="${f(fx + 9)}" y1="${f(y(bound))}" y2="${f(y(bound))}" stroke="${COLOURS.forecast}" stroke-width="2"/>`);
  }
  parts.push(`<line x1="${f(fx)}" x2="${f(fx)}" y1="${f(y(forecast.upper))}" y2="${f(y(forecast.lower))}" stroke="${COLOURS.forecast}" stroke-width="1.5"/>`);
  parts.push(`<line x1="${f(lastX)}" x2="${f(fx)}" y1="${f(y(forecast.lastClose))}" y2="${f(y(forecast.value))}" stroke="${COLOURS.forecast}" stroke-dasharray="5,4" stroke-width="1.5"/>`);
  parts.push(`<circle cx="${f(fx)}" cy="${f(y(forecast.value))}" r="5" fill="${COLOURS.forecast}"/>`);

  const shown = forecast.source === 'rnn' ? 'RNN model' : 'naive (tomorrow = today)';
  parts.push(text(margin.left, 26, `${input.symbol}: next close ${forecast.targetDate} ≈ ${formatPrice(forecast.value)} (${formatChange(forecast.change, forecast.lastClose)})`, { size: 18, bold: true }));
  parts.push(text(margin.left, 48, `Forecast shown: ${shown}. ${Math.round(forecast.intervalLevel * 100)}% interval ${formatPrice(forecast.lower)}–${formatPrice(forecast.upper)}.`, { size: 13, colour: '#444' }));
  parts.push(text(margin.left + plotW / 2, height - 12, 'Trading day', { anchor: 'middle', size: 13 }));
  parts.push(`<text transform="translate(18 ${f(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle" font-family="${FONT}" font-size="13" fill="${COLOURS.text}">Close</text>`);

  const legendX = margin.left + plotW + 14;
  const legend: Array<[string, string, string]> = [
    [COLOURS.close, '', 'Close'],
    [COLOURS.forecast, '', 'Forecast'],
    [COLOURS.band, '', 'Interval'],
    [COLOURS.naive, '2,3', 'Naive'],
  ];
  legend.forEach(([colour, dash, label], i) => {
    const ly = margin.top + 10 + i * 20;
    parts.push(`<line x1="${legendX}" x2="${legendX + 22}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="${label === 'Interval' ? 8 : 2}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    parts.push(text(legendX + 28, ly + 4, label, { size: 12 }));
  });
  const facts: Array<[string, string]> = [
    [`Forecast ${forecast.targetDate}`, formatPrice(forecast.value)],
    [`${Math.round(forecast.intervalLevel * 100)}% interval`, `${formatPrice(forecast.lower)}–${formatPrice(forecast.upper)}`],
    ['Naive', formatPrice(forecast.naive)],
    [`Last close ${forecast.lastDay}`, formatPrice(forecast.lastClose)],
  ];
  facts.forEach(([label, value], i) => {
    const fy = margin.top + 110 + i * 40;
    parts.push(text(legendX, fy, label, { size: 11, colour: '#555' }));
    parts.push(text(legendX, fy + 16, value, { size: 13, bold: true, colour: i === 0 ? COLOURS.forecast : COLOURS.text }));
  });

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}

function text(
  x: number,
  y: number,
  content: string,
  style: { anchor?: 'start' | 'middle' | 'end'; size: number; colour?: string; bold?: boolean },
): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" text-anchor="${style.anchor ?? 'start'}" font-family="${FONT}" font-size="${style.size}"${style.bold ? ' font-weight="bold"' : ''} fill="${style.colour ?? COLOURS.text}">${escapeXml(content)}</text>`;
}

export function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);
}

export function formatPrice(value: number): string {
  const digits = Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 10 ? 2 : 4;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function formatChange(change: number, lastClose: number): string {
  const pct = lastClose === 0 ? 0 : (100 * change) / lastClose;
  const digits = Math.abs(lastClose) >= 1000 ? 0 : Math.abs(lastClose) >= 10 ? 2 : 4;
  const amount = Math.abs(change).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${change >= 0 ? '+' : '−'}${amount}, ${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(2)}%`;
}

/** Round tick values (1, 2, 2.5 or 5 × 10^k apart) spanning [min, max]. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (min === max) {
    const pad = Math.abs(min) * 0.01 || 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const rough = (max - min) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const start = Math.floor(min / step);
  const end = Math.ceil(max / step);
  return Array.from({ length: end - start + 1 }, (_, k) => Number(((start + k) * step).toPrecision(12)));
}

function dateTickIndices(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: count }, (_, k) => Math.round((k * (length - 1)) / (count - 1)));
}
