/**
 * /forecast latency from the cache, the time from a new daily close to the updated forecast on a
 * 5,000-day series, and memory of the bot and worker (with BullMQ's sandboxed training child) — all on a
 * real `quizcast bot` + `quizcast worker` pair with the product's default settings.
 * Prints the "## Forecast latency and retraining" and "## Memory" markdown sections on stdout.
 *
 *   npx tsx bench/forecast-latency.bench.ts [--requests 2000] [--held-back 3]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { LocalMessage } from '../src/bot/local/message-store.js';
import { loadCoreConfig } from '../src/shared/config.js';
import { createPrismaClient } from '../src/shared/db/client.js';
import { type CachedForecast, readCachedForecast } from '../src/shared/market/forecast-cache.js';
import { createRedisConnection } from '../src/shared/queue/connection.js';
import { QUEUE, type TrainingJob } from '../src/shared/queue/names.js';
import { registerSymbol } from '../src/shared/repositories/symbol-repository.js';
import { csvToTicks } from '../src/shared/ticks/csv-ticks.js';
import { numberArgument } from './lib/args.js';
import { loadAverage, progress, provenance } from './lib/machine.js';
import { fmt, table } from './lib/markdown.js';
import { MemorySampler, type PeakMemory, ROOT, readMemory, startQuizcast } from './lib/processes.js';
import { startBenchServices } from './lib/services.js';
import { type LatencySummary, mapConcurrent, sleep, summarise, waitFor } from './lib/stats.js';

const REQUESTS = numberArgument('requests', 2000);
const HELD_BACK = numberArgument('held-back', 3);
const PARALLEL = 8;
const PREFIX = 'benchforecast';
const SYMBOL = 'SPX';
const CSV = path.join(ROOT, 'node_modules/vega-datasets/data/sp500-2000.csv');
const CONVERSATION = 'bench';
const TARGET_P99_MS = 20;
const TARGET_RETRAIN_MS = 10_000;
const TARGET_RSS = 1e9;


async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function postTicks(base: string, ticks: unknown[]): Promise<{ stored: number }> {
  const response = await fetch(`${base}/api/ticks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ticks) });
  const body = (await response.json()) as { stored?: number };
  if (response.status !== 200) throw new Error(`POST /api/ticks → ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return { stored: body.stored ?? 0 };
}

async function askForecast(base: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}/api/local/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversation: CONVERSATION, user: 'alice', text: `/forecast ${SYMBOL}` }),
  });
  const body = (await response.json()) as { replies?: LocalMessage[] };
  const ms = performance.now() - started;
  const replies = body.replies ?? [];
  if (response.status !== 200 || replies.length !== 2 || !replies[0]?.text.includes(`**${SYMBOL}**`) || replies[1]?.kind !== 'image') {
    throw new Error(`/forecast answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  }
  return ms;
}

async function latencies(count: number, concurrency: number, once: () => Promise<number>): Promise<{ summary: LatencySummary; wallMs: number }> {
  const { ms, value } = await timed(() => mapConcurrent(Array.from({ length: count }), concurrency, once));
  return { summary: summarise(value), wallMs: ms };
}

interface RetrainSample {
  day: string;
  ackMs: number;
  totalMs: number;
  waitedMs?: number;
  processMs?: number;
  trainMs?: number;
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  progress(`forecast latency: ${REQUESTS} requests, ${HELD_BACK} held-back days; load average ${loadAtStart}`);
  const services = await startBenchServices('forecast');
  const config = loadCoreConfig({});
  const redis = createRedisConnection(services.redisUrl);
  const trainingConnection = createRedisConnection(services.redisUrl);
  const training = new Queue<TrainingJob>(QUEUE.training, { connection: trainingConnection, prefix: PREFIX });
  let bot: Awaited<ReturnType<typeof startQuizcast>> | undefined;
  let worker: Awaited<ReturnType<typeof startQuizcast>> | undefined;
  try {
    [bot, worker] = await Promise.all([startQuizcast('bot', services, { prefix: PREFIX }), startQuizcast('worker', services, { prefix: PREFIX })]);
    const base = bot.url;
    await sleep(2000);
    const idle = { bot: await readMemory(bot.pid), worker: await readMemory(worker.pid) };
    const botSampler = new MemorySampler([{ pid: bot.pid, label: 'bot' }]).start();
    const workerSampler = new MemorySampler([{ pid: worker.pid, label: 'worker' }]).start();

    const db = createPrismaClient(services.databaseUrl);
    await registerSymbol(db, SYMBOL);
    await db.$disconnect();
    const csv = await readFile(CSV, 'utf8');
    const ticks = csvToTicks(csv, {
      symbol: SYMBOL,
      valueColumn: 'close',
      dateColumn: 'date',
      marketTimeZone: config.MARKET_TIMEZONE,
    });
    const days = csv.trim().split('\n').slice(1).map((line) => line.slice(0, 10));
    const initial = ticks.slice(0, ticks.length - HELD_BACK);
    const lastInitialDay = days[initial.length - 1] ?? '';

    progress(`ingesting ${initial.length} daily closes through ${lastInitialDay}, waiting for the first model`);
    const ingest = await timed(async () => {
      for (let i = 0; i < initial.length; i += config.TICKS_MAX_BATCH) await postTicks(base, initial.slice(i, i + config.TICKS_MAX_BATCH));
    });
    const firstModel = await timed(() =>
      waitFor(
        async () => {
          const cached = await readCachedForecast(redis, PREFIX, SYMBOL);
          return cached?.forecast.lastDay === lastInitialDay ? cached : undefined;
        },
        'the first model and cached forecast',
        300_000,
        50,
      ),
    );
    const cached: CachedForecast = firstModel.value;
    const cacheBytes = Buffer.byteLength((await redis.get(`${PREFIX}:forecast:${SYMBOL}`)) ?? '');
    const chartBytes = cached.chartPng.length;

    const redisUsed = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? Number.NaN);
    const countKeys = async (pattern: string) => {
      let count = 0;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:${pattern}`, 'COUNT', 1000);
        cursor = next;
        count += keys.length;
      } while (cursor !== '0');
      return count;
    };
    const redisBefore = await redisUsed();

    progress('/forecast latency');
    await latencies(100, 1, () => askForecast(base));
    const sequential = await latencies(REQUESTS, 1, () => askForecast(base));
    const parallel = await latencies(REQUESTS, PARALLEL, () => askForecast(base));
    const bareGet = await latencies(REQUESTS, 1, async () => (await timed(() => redis.get(`${PREFIX}:forecast:${SYMBOL}`))).ms);
    const bareHttp = await latencies(REQUESTS, 1, async () => (await timed(async () => (await fetch(`${base}/api/local/conversations`)).json())).ms);
    const botPeaks = await botSampler.stop();
    const redisAfter = await redisUsed();
    const storedMessages = await countKeys('local:message:*');
    const storedImages = await countKeys('local:image:*');

    progress('new daily close → retrained model → updated forecast');
    const samples: RetrainSample[] = [];
    for (let k = 0; k < HELD_BACK; k++) {
      const index = initial.length + k;
      const day = days[index] ?? '';
      const startedEpoch = Date.now();
      const started = performance.now();
      await postTicks(base, [ticks[index]]);
      const ackMs = performance.now() - started;
      await waitFor(
        async () => ((await readCachedForecast(redis, PREFIX, SYMBOL))?.forecast.lastDay === day ? true : undefined),
        `the forecast after ${day}`,
        180_000,
        20,
      );
      const totalMs = performance.now() - started;
      const job = (await training.getJobs(['completed'], 0, 20)).find((candidate) => (candidate.processedOn ?? 0) >= startedEpoch);
      const returned = job?.returnvalue as { trainMs?: number } | undefined;
      samples.push({
        day,
        ackMs,
        totalMs,
        ...(job?.processedOn ? { waitedMs: job.processedOn - startedEpoch } : {}),
        ...(job?.processedOn && job.finishedOn ? { processMs: job.finishedOn - job.processedOn } : {}),
        ...(returned?.trainMs !== undefined ? { trainMs: returned.trainMs } : {}),
      });
      progress(`  ${day}: ${fmt.seconds(totalMs)}`);
    }
    const workerPeaks = await workerSampler.stop();

    const workerPeak = workerPeaks.find((peak) => peak.pid === worker?.pid);
    const children = workerPeaks.filter((peak) => peak.pid !== worker?.pid);
    const botPeak = botPeaks.find((peak) => peak.pid === bot?.pid);
    const worst = Math.max(...samples.map((sample) => sample.totalMs));
    const combined = (workerPeak?.hwm ?? 0) + children.reduce((sum, child) => sum + child.hwm, 0);
    const latencyRow = (name: string, run: { summary: LatencySummary; wallMs: number }) => [
      name,
      fmt.int(run.summary.n),
      fmt.ms(run.summary.p50),
      fmt.ms(run.summary.p90),
      fmt.ms(run.summary.p99),
      fmt.ms(run.summary.max),
      fmt.int(run.summary.n / (run.wallMs / 1000)),
    ];
    const debounce = config.TRAIN_DEBOUNCE_MS;

    const forecastSection = [
      '## Forecast latency and retraining',
      '',
      provenance('npm run bench -- --only forecast-latency', loadAtStart),
      '',
      `\`quizcast bot\` and \`quizcast worker\` child processes with the default settings (TRAIN_DEBOUNCE_MS=${debounce}, LOG_LEVEL=warn). ` +
        `S&P 500 daily closes from \`vega-datasets/data/sp500-2000.csv\`: ${fmt.int(initial.length)} days (through ${lastInitialDay}) posted to ` +
        `\`/api/ticks\` in ${fmt.seconds(ingest.ms)}; the first model and cached forecast followed ${fmt.seconds(firstModel.ms)} later. ` +
        `The cache entry is ${fmt.int(cacheBytes / 1000)} kB of JSON (forecast and provenance); its ${fmt.int(chartBytes / 1000)} kB chart PNG ` +
        'is stored once under its SHA-256 and kept in the bot\'s memory after the first read.',
      '',
      '`/forecast SPX` through the local chat API (`POST /api/local/messages`: parse → dispatch → Redis GET of the cached forecast → ' +
        'chart from memory → render → the two replies stored in the local message store (the chart by reference: `GET /api/local/images/<sha256>.png`, ' +
        'stored once) → JSON answer), beside two floors on the same machine: ' +
        'a bare Redis GET of the same cache entry (ioredis, from the benchmark process) and a trivial bot HTTP round trip (`GET /api/local/conversations`).',
      '',
      table(
        ['request', 'n', 'p50', 'p90', 'p99', 'max', 'req/s'],
        [
          latencyRow('`/forecast SPX`, one at a time', sequential),
          latencyRow(`\`/forecast SPX\`, ${PARALLEL} in flight`, parallel),
          latencyRow('bare Redis GET of the cache entry', bareGet),
          latencyRow('bare bot HTTP round trip (GET /api/local/conversations)', bareHttp),
        ],
      ),
      '',
      `Target p99 ≤ ${TARGET_P99_MS} ms from cache (one at a time): **${sequential.summary.p99 <= TARGET_P99_MS ? 'met' : 'missed'}** (${fmt.ms(sequential.summary.p99)}).`,
      '',
      `A new daily close → retrained model → updated forecast, on the ${fmt.int(initial.length)}-day series: the held-back days posted one at a time, ` +
        'each timed from its `POST /api/ticks` until the cached forecast\'s lastDay is that day (polled every 20 ms). The training job waits ' +
        `TRAIN_DEBOUNCE_MS=${debounce} ms for more closes, then retrains in BullMQ's sandboxed child process on every close (one fit), stores the model ` +
        'version, and publishes (forecast row, chart PNG, cache).',
      '',
      table(
        ['new close', 'tick stored (HTTP answer)', 'job waited (debounce)', 'job ran (train + store + publish)', 'of which training', 'close → updated forecast'],
        samples.map((sample) => [
          sample.day,
          fmt.ms(sample.ackMs),
          sample.waitedMs === undefined ? 'n/a' : fmt.seconds(sample.waitedMs),
          sample.processMs === undefined ? 'n/a' : fmt.seconds(sample.processMs),
          sample.trainMs === undefined ? 'n/a' : fmt.seconds(sample.trainMs),
          fmt.seconds(sample.totalMs),
        ]),
      ),
      '',
      `Target ≤ ${fmt.seconds(TARGET_RETRAIN_MS)}: **${worst <= TARGET_RETRAIN_MS ? 'met' : 'missed'}** (worst ${fmt.seconds(worst)}, of which ${fmt.seconds(debounce)} is the debounce).`,
      '',
    ].join('\n');

    const memoryRows = [
      ['bot', 'idle after start', fmt.mb(idle.bot?.rss), fmt.mb(idle.bot?.hwm)],
      ['bot', `${fmt.int(REQUESTS * 2 + 100)} /forecast requests`, fmt.mb(botPeak?.rss), fmt.mb(botPeak?.hwm)],
      ['worker', 'idle after start (sentiment model loaded)', fmt.mb(idle.worker?.rss), fmt.mb(idle.worker?.hwm)],
      ['worker', `ingesting ${fmt.int(initial.length)} closes and ${HELD_BACK + 1} retrains`, fmt.mb(workerPeak?.rss), fmt.mb(workerPeak?.hwm)],
      ...children.map((child: PeakMemory) => ['worker child', `${child.label.replace(/^worker child \(|\)$/g, '')}, same period`, fmt.mb(child.rss), fmt.mb(child.hwm)]),
      ['worker + children', 'sum of their peaks (an upper bound)', '', fmt.mb(combined)],
      ['Redis (INFO used_memory)', `before → after the ${fmt.int(REQUESTS * 2 + 100)} /forecast requests`, `${fmt.mb(redisBefore)} → ${fmt.mb(redisAfter)}`, ''],
    ];
    const memorySection = [
      '## Memory',
      '',
      provenance('npm run bench -- --only forecast-latency', loadAtStart),
      '',
      'Resident memory of the `quizcast bot` and `quizcast worker` child processes (and every descendant, such as BullMQ\'s sandboxed ' +
        'training process) from `/proc/<pid>/status`, sampled every 100 ms during the forecast benchmark above: VmRSS (largest sample) and VmHWM ' +
        '(the kernel\'s own peak, so spikes between samples count). The rating burst and tick ingestion sections give the bot\'s and worker\'s peaks under those loads.',
      '',
      table(['process', 'during', 'peak VmRSS', 'VmHWM'], memoryRows, ['left', 'left', 'right', 'right']),
      '',
      `The local chat keeps its history in Redis: after the /forecast requests ${fmt.int(storedMessages)} message keys exist (each ` +
        `conversation keeps its last 500; older messages are deleted) and ${fmt.int(storedImages)} image key(s): the chart shown in every answer is stored once.`,
      '',
      `Target: worker ≤ 1 GB while training: **${(workerPeak?.hwm ?? Infinity) <= TARGET_RSS && combined <= TARGET_RSS ? 'met' : 'missed'}** ` +
        `(worker ${fmt.mb(workerPeak?.hwm)}, worker plus training child ${fmt.mb(combined)}).`,
      '',
    ].join('\n');
    process.stdout.write(`${forecastSection}\n${memorySection}`);
  } catch (error) {
    if (bot) process.stderr.write(`bot log tail:\n${bot.log().slice(-2000)}\n`);
    if (worker) process.stderr.write(`worker log tail:\n${worker.log().slice(-3000)}\n`);
    throw error;
  } finally {
    await Promise.all([bot?.stop(), worker?.stop()]);
    await training.close();
    await trainingConnection.quit();
    await redis.quit();
    await services.stop();
  }
}

await main();
