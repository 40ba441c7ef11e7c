/**
 * Forecast model benchmark: walk-forward accuracy on the S&P 500 daily closes (vega-datasets), retrain
 * time on a 5,000-day series, RSS while training, and how often the gate publishes the network on pure
 * random walks. Prints markdown and replaces the "## Forecast model" section of BENCHMARKS.md.
 *
 *   npx tsx bench/forecast.bench.ts
 */
import { readFile } from 'node:fs/promises';
import { writeSection } from './lib/benchmarks-file.js';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { renderForecastChart } from '../src/shared/forecast/chart.js';
import type { PriceModelConfigInput } from '../src/shared/forecast/config.js';
import { parseSeriesCsv } from '../src/shared/forecast/csv.js';
import type { ForecastMetrics } from '../src/shared/forecast/metrics.js';
import { forecastNextClose } from '../src/shared/forecast/next-close.js';
import { loadPriceModel } from '../src/shared/forecast/price-model.js';
import { randomWalk } from '../src/shared/random.js';
import { trainPriceModel } from '../src/shared/forecast/train.js';
import { type WalkForwardResult, walkForward } from '../src/shared/forecast/walk-forward.js';
import { initTfBackend } from '../src/shared/tfjs/backend.js';
import { trainPriceModelForSeries } from '../src/worker/forecast/train-price-model.js';
import { progress } from './lib/machine.js';
import { ROOT } from './lib/processes.js';

const SP500 = path.join(ROOT, 'node_modules/vega-datasets/data/sp500-2000.csv');
const SECTION = '## Forecast model';
const REFIT_EVERY = 250;
const RETRAIN_RUNS = 3;
const RANDOM_WALK_SEEDS = 10;

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : 'n/a');
const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : 'n/a');

/** Samples RSS every 20 ms while `work` runs (tfjs yields between batches, so the timer gets its turns). */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; before: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peak, before };
  } finally {
    clearInterval(timer);
  }
}

function accuracyRows(label: string, r: WalkForwardResult): string[] {
  const row = (name: string, m: ForecastMetrics, da: string) =>
    `| ${label} | ${name} | ${f2(m.mae)} | ${f2(m.rmse)} | ${f3(m.mase)} | ${da} | ${pct(m.intervalCoverage)} |`;
  return [
    row('RNN', r.rnn, pct(r.rnn.directionalAccuracy)),
    row('naive (tomorrow = today)', r.naive, `${pct(r.alwaysUpDirectionalAccuracy)} (always "up")`),
    row(
      `published (gate: ${[...new Set(r.segments.map((s) => s.published))].join('/')})`,
      r.published,
      r.segments.every((s) => s.published === 'naive') ? 'no call (flat)' : pct(r.published.directionalAccuracy),
    ),
  ];
}

async function main(): Promise<void> {
  const backend = await initTfBackend();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const points = parseSeriesCsv(await readFile(SP500, 'utf8'), { valueColumn: 'close', dateColumn: 'date' });
  const closes = points.map((p) => p.close);
  const days = points.map((p) => p.day as string);
  const cut = Math.floor(closes.length * 0.8);
  const lines: string[] = [];

  lines.push(
    `S&P 500 daily closes ${days[0]} → ${days[days.length - 1]} (${closes.length} days). Training on the first 80%`,
    `(through ${days[cut - 1]}), walk-forward one-day-ahead forecasts on the remaining ${closes.length - cut} days`,
    `(${days[cut]} → ${days[days.length - 1]}, includes the March 2020 crash). MASE = MAE / naive MAE on the same days.`,
    'Interval: 5%/95% quantiles of validation-tail log residuals (nominal 90%).',
    '',
    '| run | forecast | MAE | RMSE | MASE | directional acc. | 90% interval coverage |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  );
  const defaults = await walkForward(closes, { cut });
  progress('walk-forward, one fit: done');
  lines.push(...accuracyRows('default, one fit at the cut', defaults));
  const refit = await walkForward(closes, { cut, refitEvery: REFIT_EVERY });
  progress(`walk-forward, refit every ${REFIT_EVERY}: done`);
  lines.push(...accuracyRows(`default, refit every ${REFIT_EVERY} days`, refit));

  lines.push('', 'Variants (one fit at the cut; validation MASE, DM statistic and gate decision come from the validation tail of the training part):', '');
  lines.push('| variant | RNN MASE | RNN directional acc. | RNN coverage | validation MASE | DM statistic | published |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
  const variants: Array<[string, PriceModelConfigInput]> = [
    ['SimpleRNN(16), log returns, window 10 (default)', {}],
    ['SimpleRNN(16), levels (the seed literally)', { target: 'level' }],
    ['GRU(16), log returns', { cell: 'gru' }],
    ['LSTM(16), log returns', { cell: 'lstm' }],
    ['SimpleRNN(16), log returns, window 20', { window: 20 }],
  ];
  for (const [name, config] of variants) {
    const r = name.endsWith('(default)') ? defaults : await walkForward(closes, { cut, config });
    const { artifact, model } = await trainPriceModel(closes.slice(0, cut), config);
    model.dispose();
    lines.push(
      `| ${name} | ${f3(r.rnn.mase)} | ${pct(r.rnn.directionalAccuracy)} | ${pct(r.rnn.intervalCoverage)} | ${f3(artifact.validation.rnn.mase ?? Number.NaN)} | ${f2(artifact.gate.statistic ?? Number.NaN)} | ${artifact.published} |`,
    );
    progress(`variant ${name}: done`);
  }

  const series5000 = points.slice(-5000).map((p) => ({ day: p.day as string, close: p.close }));
  const timings: number[] = [];
  const cpuTimes: number[] = [];
  const endToEnd: number[] = [];
  let rss = { peak: 0, before: 0 };
  for (let run = 0; run < RETRAIN_RUNS; run++) {
    const started = performance.now();
    const measured = await peakRss(async () => {
      const cpuBefore = process.cpuUsage();
      const trained = await trainPriceModelForSeries(series5000);
      const trainedAt = performance.now();
      const cpu = process.cpuUsage(cpuBefore);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      const model = await loadPriceModel(trained.artifact);
      const forecast = forecastNextClose(model, series5000);
      await renderForecastChart({ symbol: 'SPX', closes: series5000.slice(-60), forecast });
      model.dispose();
      return { trainMs: trainedAt - started, totalMs: performance.now() - started, epochs: trained.metrics.epochs };
    });
    timings.push(measured.result.trainMs);
    endToEnd.push(measured.result.totalMs);
    rss = { peak: Math.max(rss.peak, measured.peak), before: run === 0 ? measured.before : rss.before };
    progress(`retrain ${run + 1}: ${measured.result.trainMs.toFixed(0)} ms, ${measured.result.epochs} epochs`);
  }
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const seconds = (ms: number[]) => ms.map((v) => (v / 1000).toFixed(2)).join(' / ');
  lines.push(
    '',
    `| retrain on 5,000 days (${series5000[0]?.day} → ${series5000[series5000.length - 1]?.day}) | value | target |`,
    '| --- | ---: | ---: |',
    `| trainPriceModelForSeries, ${RETRAIN_RUNS} runs, wall (s) | ${seconds(timings)} | |`,
    `| trainPriceModelForSeries, ${RETRAIN_RUNS} runs, CPU user+sys (s) | ${seconds(cpuTimes)} | |`,
    `| train + load artifact + forecast + chart PNG, wall (s) | ${seconds(endToEnd)} | ≤ 10 |`,
    `| process RSS before → peak while training | ${mb(rss.before)} → ${mb(rss.peak)} | ≤ 1 GB |`,
  );

  const walkResults: string[] = [];
  let published = 0;
  let luckyMase = 0;
  for (let seed = 1; seed <= RANDOM_WALK_SEEDS; seed++) {
    const { artifact, model } = await trainPriceModel(randomWalk(1500, { seed }));
    model.dispose();
    if (artifact.published === 'rnn') published++;
    if ((artifact.validation.rnn.mase ?? 1) < 1) luckyMase++;
    walkResults.push(`${f3(artifact.validation.rnn.mase ?? Number.NaN)}`);
  }
  lines.push(
    '',
    `Gate on ${RANDOM_WALK_SEEDS} seeded random walks (1,500 days each; naive is optimal there): network published ${published}/${RANDOM_WALK_SEEDS};`,
    `validation MASE below 1 by luck in ${luckyMase}/${RANDOM_WALK_SEEDS} (${walkResults.join(', ')}), which a plain "MASE < 1" rule would have published.`,
  );

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  // Other processes on the machine slow the timings; the load average says how busy it was.
  const load = `load average ${loadAtStart.toFixed(1)} at start, ${(os.loadavg()[0] ?? 0).toFixed(1)} at end`;
  const header = [
    SECTION,
    '',
    `Command: \`npx tsx bench/forecast.bench.ts\` · ${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} cores (nproc ${os.availableParallelism()}), ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM · Node ${process.version} · tfjs backend ${backend} · ${load}`,
    '',
  ];
  const section = `${[...header, ...lines].join('\n')}\n`;
  process.stdout.write(section);
  if (!process.argv.includes('--no-write')) await writeSection(path.join(ROOT, 'BENCHMARKS.md'), SECTION, section);
}


await main();
