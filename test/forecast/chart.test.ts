import { describe, expect, it } from 'vitest';
import { renderForecastChart } from '../../src/shared/forecast/chart.js';
import { buildForecastSvg } from '../../src/shared/forecast/chart-svg.js';
import type { NextCloseForecast } from '../../src/shared/forecast/next-close.js';

const closes = Array.from({ length: 40 }, (_, i) => ({
  day: new Date(Date.UTC(2020, 1, 3) + i * 86_400_000).toISOString().slice(0, 10),
  close: 3000 + 40 * Math.sin(i / 5),
}));
const last = closes[closes.length - 1] as { day: string; close: number };
const forecast: NextCloseForecast = {
  targetDate: '2020-03-16',
  value: last.close,
  lower: last.close * 0.98,
  upper: last.close * 1.02,
  naive: last.close,
  lastClose: last.close,
  lastDay: last.day,
  change: 0,
  source: 'naive',
  network: last.close * 1.001,
  intervalLevel: 0.9,
  explanation: 'Naive forecast (tomorrow = today)',
};

describe('forecast chart', () => {
  it('renders a PNG of the requested size', async () => {
    const png = await renderForecastChart({ symbol: 'SPX', closes, forecast, width: 640, height: 360 });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(640);
    expect(png.readUInt32BE(20)).toBe(360);
    expect(png.length).toBeGreaterThan(5_000);
  });

  it('titles the chart with which forecast is shown, and escapes the symbol', () => {
    const svg = buildForecastSvg({ symbol: 'A&B', closes, forecast });
    expect(svg).toContain('A&amp;B: next close 2020-03-16');
    expect(svg).toContain('Forecast shown: naive (tomorrow = today)');
    expect(svg).toContain('>Trading day<');
    expect(svg).toContain('>Close<');
    const model = buildForecastSvg({ symbol: 'SPX', closes, forecast: { ...forecast, source: 'rnn' } });
    expect(model).toContain('Forecast shown: RNN model');
  });
});
