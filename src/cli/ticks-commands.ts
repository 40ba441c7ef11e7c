import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadCoreConfig } from '../shared/config.js';
import { createPrismaClient } from '../shared/db/client.js';
import { applyMigrations } from '../shared/db/migrate.js';
import { createLogger } from '../shared/logger.js';
import { RedisConnections } from '../shared/queue/connection.js';
import { createQueueEvents, createQueues } from '../shared/queue/queues.js';
import { listSymbols, registerSymbol } from '../shared/repositories/symbol-repository.js';
import { newestCloseDay } from '../shared/repositories/tick-repository.js';
import { csvToTicks } from '../shared/ticks/csv-ticks.js';
import { submitTicks } from '../shared/ticks/tick-intake.js';
import { resolveServices, withDatabase } from './services.js';
import { QUEUE } from '../shared/queue/names.js';

async function withServices<T>(run: (deps: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  const deps = await open();
  try {
    return await run(deps);
  } finally {
    await deps.close();
  }
}

async function open() {
  const config = loadCoreConfig();
  const logger = createLogger('quizcast-cli', config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const services = await resolveServices(config, logger);
  await applyMigrations(services.databaseUrl, logger);
  const db = createPrismaClient(services.databaseUrl);
  const connections = new RedisConnections(services.redisUrl, logger);
  const queues = createQueues(connections.create(), config.QUEUE_PREFIX);
  return {
    config,
    logger,
    db,
    queues,
    connections,
    async close() {
      await queues.close();
      await connections.closeAll();
      await db.$disconnect();
      await services.release();
    },
  };
}

interface CsvOptions {
  symbol: string;
  dateColumn: string;
  valueColumn: string;
}

/** The options every command reading a daily price CSV takes. */
function csvOptions(command: Command): Command {
  return command
    .requiredOption('--symbol <symbol>', 'registered symbol')
    .option('--date-column <name>', 'date column (YYYY-MM-DD)', 'date')
    .option('--value-column <name>', 'price column', 'close');
}

export function registerTicksCommands(program: Command): void {
  const symbols = program.command('symbols').description('Symbols that accept ticks');
  symbols
    .command('add <symbol>')
    .description('Register a symbol')
    .action(async (symbol: string) => {
      const result = await withDatabase((db) => registerSymbol(db, symbol));
      process.stdout.write(`${result.code} ${result.created ? 'registered' : 'was already registered'}\n`);
    });
  symbols
    .command('list')
    .description('List symbols with their tick and close counts')
    .action(async () => {
      const rows = await withDatabase((db) => listSymbols(db));
      for (const row of rows) process.stdout.write(`${row.code}\tticks=${row._count.ticks}\tcloses=${row._count.closes}\n`);
    });

  const ticks = program.command('ticks').description('Price ticks');
  csvOptions(
    ticks
      .command('import <csv>')
      .description('Queue every row of a daily CSV as a tick at that day’s market close; prints the per-tick summary'),
  )
    .action(async (file: string, options: CsvOptions) => {
      const summary = await withServices(async (deps) => {
        const raw = csvToTicks(await readFile(file, 'utf8'), { ...options, marketTimeZone: deps.config.MARKET_TIMEZONE });
        // Only import waits for the worker's per-tick results; replay and the symbol commands do not listen.
        const events = createQueueEvents(QUEUE.ticks, deps.connections.create(), deps.config.QUEUE_PREFIX, deps.logger);
        try {
          await events.waitUntilReady();
          return await submitTicks(raw, {
            queue: deps.queues.ticks,
            events,
            now: new Date(),
            futureToleranceMs: deps.config.TICKS_FUTURE_TOLERANCE_MS,
            chunkSize: deps.config.TICKS_MAX_BATCH,
            waitMs: 120_000,
          });
        } finally {
          await events.close();
        }
      });
      const { results, ...counts } = summary;
      const problems = results.filter((result) => result.status === 'rejected');
      process.stdout.write(`${JSON.stringify({ ...counts, rejectedTicks: problems.slice(0, 20) })}\n`);
      if (summary.rejected > 0 && summary.accepted === 0) process.exitCode = 1;
    });
  csvOptions(
    ticks.command('replay <csv>').description('Stream a daily CSV as live ticks, resuming after the newest stored close'),
  )
    .option('--speed <daysPerSecond>', 'days streamed per second', '20')
    .action(async (file: string, options: CsvOptions & { speed: string }) => {
      const speed = Number(options.speed);
      if (!Number.isFinite(speed) || speed <= 0) throw new Error(`--speed must be a positive number, not ${options.speed}`);
      await withServices(async (deps) => {
        const all = csvToTicks(await readFile(file, 'utf8'), { ...options, marketTimeZone: deps.config.MARKET_TIMEZONE });
        const after = await newestCloseDay(deps.db, options.symbol.toUpperCase());
        const pending = all.filter((tick) => after === undefined || String(tick.ts).slice(0, 10) > after);
        deps.logger.info({ symbol: options.symbol, total: all.length, pending: pending.length, after }, 'replay starting');
        let stopping = false;
        const stop = () => {
          stopping = true;
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // Four sends a second, each carrying a quarter second's worth of days.
        const perSend = Math.max(1, Math.round(speed / 4));
        const pause = (1000 * perSend) / speed;
        for (let start = 0; start < pending.length && !stopping; start += perSend) {
          await submitTicks(pending.slice(start, start + perSend), {
            queue: deps.queues.ticks,
            now: new Date(),
            futureToleranceMs: deps.config.TICKS_FUTURE_TOLERANCE_MS,
            chunkSize: perSend,
            waitMs: 0,
          });
          await new Promise((resolve) => setTimeout(resolve, pause));
        }
        deps.logger.info({ symbol: options.symbol, stopped: stopping }, 'replay finished');
      });
    });
}
