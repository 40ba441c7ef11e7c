import { readFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { parseSeriesCsv } from '../shared/forecast/csv.js';
import { DEFAULT_TRAIN_FRACTION, type WalkForwardResult, walkForward } from '../shared/forecast/walk-forward.js';

const backtestOptionsSchema = z.object({
  valueColumn: z.string().min(1),
  dateColumn: z.string().min(1).optional(),
  window: z.number().int().min(1).optional(),
  trainFraction: z.number().gt(0).lt(1).default(DEFAULT_TRAIN_FRACTION),
  refitEvery: z.number().int().min(1).optional(),
  seed: z.number().int().optional(),
});

/** The documented backtest output, in this key order; undefined metrics print as null. */
export function backtestSummary(result: WalkForwardResult) {
  return {
    n: result.n,
    model: {
      mae: result.rnn.mae,
      rmse: result.rnn.rmse,
      mase: result.rnn.mase,
      directionalAccuracy: result.rnn.directionalAccuracy,
    },
    naive: { mae: result.naive.mae, rmse: result.naive.rmse },
    published: { mase: result.published.mase },
    intervalCoverage: result.published.intervalCoverage,
  };
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

function fraction(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed < 1)) throw new InvalidArgumentError('expected a number between 0 and 1');
  return parsed;
}

export function registerForecastCommands(program: Command): void {
  const forecast = program.command('forecast').description('Price forecasts');
  forecast
    .command('backtest <csv>')
    .description(
      'Walk-forward evaluation of the price model on a CSV: trains on the first part, forecasts each later day ' +
        'one step ahead, and prints one JSON line (model and naive errors, what the gate would have published, ' +
        'and the published interval coverage).',
    )
    .requiredOption('--value-column <column>', 'column holding the price')
    .option('--date-column <column>', 'date column (YYYY-MM-DD); without it rows are taken in file order')
    .option('--window <n>', 'past closes per input window (default 10)', positiveInteger)
    .option('--train-fraction <f>', `share of rows before the first forecast (default ${DEFAULT_TRAIN_FRACTION})`, fraction)
    .option('--refit-every <days>', 'retrain on all data so far every this many forecast days (default: never)', positiveInteger)
    .option('--seed <n>', 'seed for weights and batch order (default 42)', (v) => Number.parseInt(v, 10))
    .action(async (csvPath: string, rawOptions: unknown, command: Command) => {
      const options = backtestOptionsSchema.parse(rawOptions);
      let closes: number[];
      try {
        const text = await readFile(csvPath, 'utf8');
        closes = parseSeriesCsv(text, {
          valueColumn: options.valueColumn,
          ...(options.dateColumn ? { dateColumn: options.dateColumn } : {}),
        }).map((point) => point.close);
      } catch (err) {
        command.error(`forecast backtest: ${err instanceof Error ? err.message : String(err)}`, { exitCode: 1 });
      }
      const config = {
        ...(options.window ? { window: options.window } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
      };
      const result = await walkForward(closes, {
        config,
        cut: Math.floor(closes.length * options.trainFraction),
        ...(options.refitEvery ? { refitEvery: options.refitEvery } : {}),
      });
      process.stdout.write(`${JSON.stringify(backtestSummary(result))}\n`);
    });
}
