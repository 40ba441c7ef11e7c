import { Resvg } from '@resvg/resvg-js';
import { type ForecastChartInput, buildForecastSvg } from './chart-svg.js';

export type { ForecastChartInput } from './chart-svg.js';

/**
 * The forecast chart as a PNG, rendered in-process by resvg (a Rust SVG renderer shipped as a prebuilt
 * binary inside an npm package: nothing downloaded at install or run time). Text uses the system fonts
 * (DejaVu Sans on our machines).
 */
export async function renderForecastChart(input: ForecastChartInput): Promise<Buffer> {
  const svg = buildForecastSvg(input);
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}
