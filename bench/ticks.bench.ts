/**
 * Tick ingestion end to end: POST /api/ticks of a real `quizcast bot` → BullMQ → `quizcast worker` →
 * rows committed in Postgres, timed until the Tick row count reaches the total; beside, in the same run,
 * into the same table of the same Postgres and with the same rows: a bare `COPY … FROM STDIN`, the bare
 * `INSERT … SELECT unnest(…)` statement the repository uses, and the repository (`storeTickBatch`,
 * which also derives daily closes) called directly with no HTTP or queue.
 * Prints the "## Tick ingestion" markdown section on stdout.
 *
 *   npx tsx bench/ticks.bench.ts [--ticks 200000] [--posters 4]
 */
import pg from 'pg';
import { loadCoreConfig } from '../src/shared/config.js';
import { createPrismaClient } from '../src/shared/db/client.js';
import { storeTickBatch } from '../src/shared/repositories/tick-repository.js';
import { registerSymbol } from '../src/shared/repositories/symbol-repository.js';
import { type ValidTick, validateTicks } from '../src/shared/ticks/tick.js';
import { numberArgument } from './lib/args.js';
import { copyFrom } from './lib/copy-in.js';
import { loadAverage, progress, provenance } from './lib/machine.js';
import { fmt, table } from './lib/markdown.js';
import { CpuMeter, MemorySampler, readMemory, startQuizcast } from './lib/processes.js';
import { startBenchServices } from './lib/services.js';
import { mapConcurrent, seededRandom, sleep, summarise, waitFor } from './lib/stats.js';
import { sqlTimestamp } from '../src/shared/repositories/sql-timestamp.js';

const TOTAL = numberArgument('ticks', 200_000);
const POSTERS = numberArgument('posters', 4);
const BATCH = loadCoreConfig({}).TICKS_MAX_BATCH;
const TARGET = 20_000;
const PREFIX = 'benchticks';
const SYMBOLS = Array.from({ length: POSTERS }, (_, i) => `BENCH${String.fromCharCode(65 + i)}`);
/** The first tick: a past Monday's New York open; each symbol then ticks once a second. */
const START_MS = Date.parse('2026-01-05T14:30:00Z');

interface RawTick {
  symbol: string;
  ts: string;
  price: number;
}

/** Per symbol, consecutive one-second ticks of a random walk: each poster streams one symbol's feed. */
function generate(total: number): RawTick[][] {
  const random = seededRandom(11);
  const perSymbol = Math.ceil(total / SYMBOLS.length);
  return SYMBOLS.map((symbol, s) => {
    let price = 100 + s * 10;
    return Array.from({ length: Math.min(perSymbol, total - s * perSymbol) }, (_, i) => {
      price = Math.max(1, price * (1 + (random() - 0.5) * 0.002));
      return { symbol, ts: new Date(START_MS + i * 1000).toISOString(), price: Number(price.toFixed(4)) };
    });
  });
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}


async function truncate(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE "Tick", "DailyClose"');
  await pool.query('VACUUM ANALYZE "Tick"');
}

async function tickCount(pool: pg.Pool): Promise<number> {
  return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM "Tick"')).rows[0]?.n ?? 0);
}

interface Phase {
  name: string;
  wallMs: number;
  rows: number;
  latencies?: number[];
  note?: string;
}

async function bareCopy(pool: pg.Pool, feeds: ValidTick[][], ids: Map<string, number>): Promise<Phase> {
  const client = await pool.connect();
  try {
    const buffers: Buffer[] = [];
    let text = '';
    const receivedAt = sqlTimestamp(Date.now());
    for (const feed of feeds) {
      for (const tick of feed) {
        text += `${ids.get(tick.symbol)}\t${sqlTimestamp(tick.ts)}\t${tick.price}\t${receivedAt}\n`;
        if (text.length > 65_536) {
          buffers.push(Buffer.from(text));
          text = '';
        }
      }
    }
    buffers.push(Buffer.from(text));
    const started = performance.now();
    const rows = await copyFrom(client, 'COPY "Tick" ("symbolId", "ts", "price", "receivedAt") FROM STDIN', buffers);
    return { name: 'bare `COPY "Tick" FROM STDIN`, one connection, one stream', wallMs: performance.now() - started, rows };
  } finally {
    client.release();
  }
}

async function bareUnnest(pool: pg.Pool, feeds: ValidTick[][], ids: Map<string, number>): Promise<Phase> {
  const batches = feeds.flatMap((feed) => chunks(feed, BATCH));
  const latencies: number[] = [];
  let rows = 0;
  const started = performance.now();
  // One lane per symbol, like the posters: batches of one symbol in order, symbols in parallel.
  await mapConcurrent(
    feeds.map((feed) => chunks(feed, BATCH)),
    POSTERS,
    async (symbolBatches) => {
      for (const batch of symbolBatches) {
        const sent = performance.now();
        const result = await pool.query(
          `INSERT INTO "Tick" ("symbolId", "ts", "price", "receivedAt")
           SELECT s, t, p, now() AT TIME ZONE 'UTC' FROM unnest($1::int[], $2::timestamp(3)[], $3::float8[]) AS batch(s, t, p)
           ON CONFLICT ("symbolId", "ts") DO NOTHING
           RETURNING "symbolId", "ts"`,
          [batch.map((tick) => ids.get(tick.symbol)), batch.map((tick) => sqlTimestamp(tick.ts)), batch.map((tick) => tick.price)],
        );
        rows += result.rowCount ?? 0;
        latencies.push(performance.now() - sent);
      }
    },
  );
  return {
    name: `bare \`INSERT … SELECT unnest(…) ON CONFLICT DO NOTHING RETURNING\` (the repository's insert), ${BATCH}-row batches, ${POSTERS} connections`,
    wallMs: performance.now() - started,
    rows,
    latencies,
    note: `${batches.length} statements`,
  };
}

async function repositoryDirect(databaseUrl: string, feeds: ValidTick[][], concurrency: number, timeZone: string): Promise<Phase> {
  const db = createPrismaClient(databaseUrl);
  try {
    await db.$queryRaw`SELECT 1`;
    const latencies: number[] = [];
    let rows = 0;
    const batches = feeds.flatMap((feed) => chunks(feed, BATCH));
    // Round-robin across symbols, the order the queue hands jobs to the worker.
    const order = Array.from({ length: Math.max(...feeds.map((feed) => Math.ceil(feed.length / BATCH))) }, (_, i) =>
      feeds.map((feed) => feed.slice(i * BATCH, (i + 1) * BATCH)).filter((batch) => batch.length > 0),
    ).flat();
    const started = performance.now();
    await mapConcurrent(order, concurrency, async (batch) => {
      const sent = performance.now();
      const stored = await storeTickBatch(db, batch, timeZone);
      rows += stored.results.filter((result) => result.status === 'stored' || result.status === 'stored_late').length;
      latencies.push(performance.now() - sent);
    });
    return {
      name: `\`storeTickBatch\` called directly (insert + daily closes, Prisma), ${BATCH}-tick batches, ${concurrency} at a time (the worker's concurrency)`,
      wallMs: performance.now() - started,
      rows,
      latencies,
      note: `${batches.length} transactions`,
    };
  } finally {
    await db.$disconnect();
  }
}

interface IntakeResponse {
  stored?: number;
  rejected?: number;
  duplicates?: number;
  pendingJobIds?: string[];
}

async function endToEnd(base: string, pool: pg.Pool, feeds: RawTick[][]): Promise<Phase & { responses: IntakeResponse[]; lastResponseMs: number }> {
  const bodies = feeds.map((feed) => chunks(feed, BATCH).map((batch) => JSON.stringify(batch)));
  const total = feeds.reduce((sum, feed) => sum + feed.length, 0);
  const latencies: number[] = [];
  const responses: IntakeResponse[] = [];
  const started = performance.now();
  let lastResponseMs = 0;
  const posting = mapConcurrent(bodies, POSTERS, async (symbolBodies) => {
    for (const body of symbolBodies) {
      const sent = performance.now();
      const response = await fetch(`${base}/api/ticks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const summary = (await response.json()) as IntakeResponse;
      latencies.push(performance.now() - sent);
      lastResponseMs = performance.now() - started;
      if (response.status !== 200 && response.status !== 202) throw new Error(`POST /api/ticks → ${response.status} ${JSON.stringify(summary).slice(0, 300)}`);
      responses.push(summary);
    }
  });
  // Each 200 answer comes after its batch is committed, so the count is polled once the answers are in
  // (polling count(*) all along would itself load Postgres); a 202 (still pending) keeps it polling.
  await posting;
  const wallMs = await waitFor(
    async () => ((await tickCount(pool)) >= total ? performance.now() - started : undefined),
    'every tick to be committed',
    600_000,
    20,
  );
  return {
    name: `end to end: \`POST /api/ticks\` (JSON, ${BATCH} per request, ${POSTERS} posters) → BullMQ → worker → Postgres`,
    wallMs,
    rows: await tickCount(pool),
    latencies,
    responses,
    lastResponseMs,
  };
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  progress(`tick ingestion: ${TOTAL} ticks, batches of ${BATCH}, ${POSTERS} posters; load average ${loadAtStart}`);
  const services = await startBenchServices('ticks');
  const pool = new pg.Pool({ connectionString: services.databaseUrl, max: POSTERS + 1 });
  const db = createPrismaClient(services.databaseUrl);
  let bot: Awaited<ReturnType<typeof startQuizcast>> | undefined;
  let worker: Awaited<ReturnType<typeof startQuizcast>> | undefined;
  try {
    [bot, worker] = await Promise.all([startQuizcast('bot', services, { prefix: PREFIX }), startQuizcast('worker', services, { prefix: PREFIX, env: { TRAIN_DEBOUNCE_MS: '3600000' } })]);
    const config = loadCoreConfig({});
    const ids = new Map<string, number>();
    for (const symbol of [...SYMBOLS, 'WARMUP']) ids.set(symbol, (await registerSymbol(db, symbol)).id);
    await db.$disconnect();

    const raw = generate(TOTAL);
    const valid = raw.map((feed) => validateTicks(feed, new Date()).valid);
    if (valid.some((feed, i) => feed.length !== raw[i]?.length)) throw new Error('generated ticks did not validate');

    progress('warm-up: 2 batches end to end');
    const warmFeed = Array.from({ length: 2 * BATCH }, (_, i) => ({ symbol: 'WARMUP', ts: new Date(START_MS + i * 1000).toISOString(), price: 50 + (i % 7) }));
    await endToEnd(bot.url, pool, [warmFeed]);
    await truncate(pool);

    const processes = [
      { label: 'Postgres', pid: services.postgresPid },
      { label: 'worker', pid: worker.pid },
      { label: 'bot', pid: bot.pid },
      { label: 'Redis', pid: services.redisPid },
    ];
    const cpu = new Map<string, Awaited<ReturnType<CpuMeter['stop']>>>();
    const measured = async <T extends Phase>(run: () => Promise<T>): Promise<T> => {
      const meter = new CpuMeter(processes);
      await meter.start();
      const phase = await run();
      // Let Postgres reap backends a phase's own pool just closed, so their CPU is in the postmaster's count.
      await sleep(500);
      cpu.set(phase.name, await meter.stop());
      return phase;
    };

    progress('bare COPY');
    const copy = await measured(() => bareCopy(pool, valid, ids));
    await truncate(pool);
    progress('bare INSERT … unnest');
    const unnest = await measured(() => bareUnnest(pool, valid, ids));
    await truncate(pool);
    progress('storeTickBatch directly');
    const repository = await measured(() => repositoryDirect(services.databaseUrl, valid, 2, config.MARKET_TIMEZONE));
    const repositoryCloses = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM "DailyClose"')).rows[0]?.n);
    await truncate(pool);

    progress('end to end');
    const botBefore = await readMemory(bot.pid);
    const workerBefore = await readMemory(worker.pid);
    const sampler = new MemorySampler([
      { pid: bot.pid, label: 'bot' },
      { pid: worker.pid, label: 'worker' },
    ]).start();
    const botUrl = bot.url;
    const e2e = await measured(() => endToEnd(botUrl, pool, raw));
    const peaks = await sampler.stop();
    const closes = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM "DailyClose"')).rows[0]?.n);
    const stored = e2e.responses.reduce((sum, response) => sum + (response.stored ?? 0), 0);
    const pending = e2e.responses.filter((response) => response.pendingJobIds).length;
    const rejected = e2e.responses.reduce((sum, response) => sum + (response.rejected ?? 0) + (response.duplicates ?? 0), 0);

    const rate = (phase: Phase) => phase.rows / (phase.wallMs / 1000);
    const row = (phase: Phase) => {
      const lat = phase.latencies ? summarise(phase.latencies) : undefined;
      return [
        phase.name,
        fmt.int(rate(phase)),
        fmt.seconds(phase.wallMs),
        fmt.int(phase.rows),
        lat ? `${fmt.ms(lat.p50)} / ${fmt.ms(lat.p99)}` : '—',
        fmt.ratio(rate(phase) / rate(copy)),
      ];
    };
    const e2eRate = rate(e2e);
    const labels = [...processes.map((process) => process.label), 'benchmark client (this process)'];
    const cpuRow = (phase: Phase) => {
      const used = cpu.get(phase.name);
      if (!used) return [];
      const seconds = (label: string) => used.cpu.find((entry) => entry.label === label)?.seconds ?? 0;
      const total = labels.reduce((sum, label) => sum + seconds(label), 0);
      return [
        phase.name.split(':')[0]?.split(' (')[0] ?? phase.name,
        fmt.seconds(phase.wallMs),
        ...labels.map((label) => seconds(label).toFixed(2)),
        total.toFixed(2),
        `${((1e6 * total) / phase.rows).toFixed(1)} µs`,
      ];
    };
    const cores = (await import('node:os')).availableParallelism();
    const botPeak = peaks.find((peak) => peak.pid === bot?.pid);
    const workerPeak = peaks.find((peak) => peak.pid === worker?.pid);
    const section = [
      '## Tick ingestion',
      '',
      provenance('npm run bench -- --only ticks', loadAtStart),
      '',
      `${fmt.int(TOTAL)} ticks (${SYMBOLS.length} symbols × ${fmt.int(TOTAL / SYMBOLS.length)} one-second ticks, ISO timestamps) into an empty ` +
        '`Tick` table each time (TRUNCATE between phases), same Postgres, same run. End to end is timed from the first request until ' +
        '`SELECT count(*) FROM "Tick"` reaches the total (the bot answers each request once the worker has committed its batch, so ' +
        'the count is checked after the last answer, then every 20 ms while any answer was a 202); each poster sends its next batch ' +
        'after the previous one is answered. ' +
        `Bot and worker are \`quizcast bot\` / \`quizcast worker\` child processes (LOG_LEVEL=warn, worker tick concurrency 2, ` +
        `TICKS_MAX_BATCH=${BATCH}; TRAIN_DEBOUNCE_MS=1 h so no retrain competes for the CPU: training is measured under Forecast latency).`,
      '',
      table(
        ['path', 'ticks/s', 'wall', 'rows', 'per batch p50 / p99', 'vs COPY'],
        [row(e2e), row(repository), row(unnest), row(copy)],
      ),
      '',
      `Target ≥ ${fmt.int(TARGET)} ticks/s end to end: **${e2eRate >= TARGET ? 'met' : 'missed'}** (${fmt.int(e2eRate)} ticks/s, ` +
        `${fmt.ratio(e2eRate / rate(copy))} of bare COPY). Last HTTP answer at ${fmt.seconds(e2e.lastResponseMs)}.`,
      '',
      `Where the CPU went (seconds of CPU, user + system, read from /proc for each process tree — Postgres includes every backend; ` +
        `the machine has ${cores} cores, so a phase of wall time w can use at most ${cores}·w, less what other work on the machine takes):`,
      '',
      table(['phase', 'wall', ...labels.map((label) => `${label} CPU s`), 'total CPU s', 'CPU per tick'], [e2e, repository, unnest, copy].map(cpuRow)),
      '',
      `Check: requests answered ${e2e.responses.length} (${pending} with 202 pending), ticks reported stored ${fmt.int(stored)}, ` +
        `rejected or duplicate ${rejected}; daily closes derived ${closes} end to end, ${repositoryCloses} by the direct repository run.`,
      '',
      `Memory during the end-to-end run: bot VmRSS ${fmt.mb(botBefore?.rss)} before → peak VmHWM ${fmt.mb(botPeak?.hwm)}; ` +
        `worker VmRSS ${fmt.mb(workerBefore?.rss)} before → peak VmHWM ${fmt.mb(workerPeak?.hwm)}.`,
      '',
    ].join('\n');
    process.stdout.write(section);
  } catch (error) {
    if (bot) process.stderr.write(`bot log tail:\n${bot.log().slice(-2000)}\n`);
    if (worker) process.stderr.write(`worker log tail:\n${worker.log().slice(-2000)}\n`);
    throw error;
  } finally {
    await Promise.all([bot?.stop(), worker?.stop()]);
    await db.$disconnect().catch(() => undefined);
    await pool.end();
    await services.stop();
  }
}

await main();
