/**
 * Rating burst: 10,000 rating clicks arriving at once (200 in flight, loopback) through the local chat's
 * click path (POST /api/local/actions → parse → core → Postgres) of a real `quizcast bot` process, beside
 * a bare single-row INSERT loop over a pg Pool of the bot's size (10, node-postgres' default that
 * @prisma/adapter-pg uses) into the same Rating table of the same Postgres, in the same run.
 * Prints the "## Rating burst" markdown section on stdout (bin/run-benchmarks.js writes BENCHMARKS.md).
 *
 *   npx tsx bench/ratings.bench.ts [--clicks 10000] [--concurrency 200]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { LocalMessage } from '../src/bot/local/message-store.js';
import { createPrismaClient, type PrismaClient } from '../src/shared/db/client.js';
import { findFreePort } from '../src/shared/infra/free-port.js';
import { importDeckBytes } from '../src/shared/quiz/deck-import.js';
import { numberArgument } from './lib/args.js';
import { loadAverage, progress, provenance } from './lib/machine.js';
import { fmt, table } from './lib/markdown.js';
import { MemorySampler, ROOT, readMemory, startQuizcast } from './lib/processes.js';
import { startBenchServices } from './lib/services.js';
import { mapConcurrent, seededRandom, shuffle, sleep, summarise, waitFor } from './lib/stats.js';
import { blockAction, slashCommand } from '../test/slack/stand-in/payloads.js';
import { SlackSender } from '../test/slack/stand-in/sender.js';
import { SlackStandIn } from '../test/slack/stand-in/web-api.js';
import { BOT_TOKEN, SIGNING_SECRET, slackId } from '../test/slack/stand-in/wire.js';

const CLICKS = numberArgument('clicks', 10_000);
const CONCURRENCY = numberArgument('concurrency', 200);
/** A second, gentler burst: what a click waits when fewer arrive at once. */
const LOW_CONCURRENCY = 20;
const POSTS = 20;
/** One click in 20 is a user changing their mind on a post they already rated (same row, new value). */
const REPEAT_SHARE = 0.05;
const WARM_UP = 200;
const POOL_SIZE = 10;
const CONVERSATION = 'bench';
const PREFIX = 'benchratings';

interface Click {
  user: string;
  messageId: string;
  postId: number;
  confidence: number;
}


async function post<T>(base: string, route: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** `count` clicks on the posts by users named `${prefix}NNNN`: distinct (post, user) pairs plus some repeats. */
function workload(prefix: string, count: number, cards: { messageId: string; postId: number }[], seed: number): Click[] {
  const random = seededRandom(seed);
  const repeats = Math.round(count * REPEAT_SHARE);
  const distinct = count - repeats;
  const clicks: Click[] = [];
  for (let i = 0; i < distinct; i++) {
    const card = cards[i % cards.length] as (typeof cards)[number];
    const user = `${prefix}${String(Math.floor(i / cards.length)).padStart(4, '0')}`;
    clicks.push({ user, ...card, confidence: 1 + Math.floor(random() * 5) });
  }
  for (let i = 0; i < repeats; i++) {
    const original = clicks[Math.floor(random() * distinct)] as Click;
    clicks.push({ ...original, confidence: (original.confidence % 5) + 1 });
  }
  return shuffle(clicks, random);
}

interface BurstResult {
  wallMs: number;
  latencies: number[];
  /** Latencies of the clicks sent after the first 300 ms (the burst's onset, while connections open). */
  settled: number[];
  /** [ms after the burst began that the click was sent, its latency]. */
  timeline: [number, number][];
  failures: string[];
}

async function burst(base: string, clicks: Click[], concurrency: number): Promise<BurstResult> {
  const latencies: number[] = [];
  const settled: number[] = [];
  const timeline: [number, number][] = [];
  const failures: string[] = [];
  const started = performance.now();
  await mapConcurrent(clicks, concurrency, async (click) => {
    const sent = performance.now();
    const response = await post<{ replies?: LocalMessage[] }>(base, '/api/local/actions', {
      conversation: CONVERSATION,
      user: click.user,
      messageId: click.messageId,
      actionId: `rate:${click.postId}:${click.confidence}`,
    });
    const latency = performance.now() - sent;
    latencies.push(latency);
    if (sent - started >= 300) settled.push(latency);
    timeline.push([sent - started, latency]);
    const reply = response.body.replies?.[0]?.text ?? '';
    if (response.status !== 200 || !reply.startsWith('Recorded')) failures.push(`${response.status} ${reply.slice(0, 120)}`);
  });
  return { wallMs: performance.now() - started, latencies, settled, timeline, failures };
}

/**
 * Runs `work` once per row over a fresh pg.Pool of the bot's size (connections opened before the clock
 * starts), `concurrency` at a time, timing each call; then deletes the users it made (`userPrefix`).
 */
async function barePoolLoop<T>(
  databaseUrl: string,
  rows: readonly T[],
  concurrency: number,
  userPrefix: string,
  work: (pool: pg.Pool, row: T, index: number) => Promise<void>,
  before?: (pool: pg.Pool) => Promise<void>,
) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
  try {
    await before?.(pool);
    await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.query('SELECT 1')));
    const latencies: number[] = [];
    const started = performance.now();
    await mapConcurrent(rows, concurrency, async (row, i) => {
      const sent = performance.now();
      await work(pool, row, i);
      latencies.push(performance.now() - sent);
    });
    const wallMs = performance.now() - started;
    // Leave the tables as the clicks will find them.
    await pool.query(`DELETE FROM "ChatUser" WHERE "id" LIKE $1`, [`${userPrefix}%`]);
    return { wallMs, latencies };
  } finally {
    await pool.end();
  }
}

/** The limit for one row per click: an autocommitted single-row INSERT per rating, nothing else. */
function bareInsertLoop(databaseUrl: string, postIds: number[], count: number, concurrency: number) {
  const rows = Array.from({ length: count }, (_, i) => ({ postId: postIds[i % postIds.length] as number, user: `bare:u${Math.floor(i / postIds.length)}` }));
  return barePoolLoop(
    databaseUrl,
    rows,
    concurrency,
    'bare:',
    async (pool, row, i) => {
      await pool.query(
        `INSERT INTO "Rating" ("postId", "userId", "value", "source", "ratedAt", "updatedAt") VALUES ($1, $2, $3, 'button', now(), now())`,
        [row.postId, row.user, 1 + (i % 5)],
      );
    },
    async (pool) => {
      await pool.query(
        `INSERT INTO "ChatUser" ("id", "displayName", "statsOptOut", "createdAt")
         SELECT 'bare:u' || g, 'u' || g, false, now() FROM generate_series(0, $1::int - 1) AS g`,
        [Math.ceil(count / postIds.length)],
      );
    },
  );
}

/**
 * One transaction per click, as plain pg queries: the statements the bot ran per click before group
 * commit (BEGIN, advisory lock, user upsert, rating upsert, the user's ratings of the card, review-state
 * upsert, COMMIT), over a pool of the bot's size — what a per-click transaction costs the database alone.
 */
function bareTransactionLoop(databaseUrl: string, cards: { postId: number; cardId: number }[], count: number, concurrency: number) {
  const rows = Array.from({ length: count }, (_, i) => ({ ...(cards[i % cards.length] as (typeof cards)[number]), user: `baretx:u${Math.floor(i / cards.length)}` }));
  return barePoolLoop(databaseUrl, rows, concurrency, 'baretx:', async (pool, row, i) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1), $2::int)', [row.user, row.cardId]);
      await client.query(
        `INSERT INTO "ChatUser" ("id", "displayName", "statsOptOut", "createdAt") VALUES ($1, $1, false, now())
         ON CONFLICT ("id") DO UPDATE SET "displayName" = EXCLUDED."displayName"`,
        [row.user],
      );
      await client.query(
        `INSERT INTO "Rating" ("postId", "userId", "value", "source", "ratedAt", "updatedAt") VALUES ($1, $2, $3, 'button', now(), now())
         ON CONFLICT ("postId", "userId") DO UPDATE SET "value" = EXCLUDED."value", "updatedAt" = EXCLUDED."updatedAt"
         WHERE "Rating"."value" IS DISTINCT FROM EXCLUDED."value"`,
        [row.postId, row.user, 1 + (i % 5)],
      );
      await client.query(
        `SELECT r."value", r."ratedAt" FROM "Rating" r JOIN "Post" p ON p."id" = r."postId"
         WHERE r."userId" = $1 AND p."cardId" = $2 ORDER BY r."ratedAt", r."id"`,
        [row.user, row.cardId],
      );
      await client.query(
        `INSERT INTO "ReviewState" ("userId", "cardId", "due", "stability", "difficulty", "elapsedDays", "scheduledDays",
           "learningSteps", "reps", "lapses", "state", "lastReview")
         VALUES ($1, $2, now() + interval '1 day', 1.5, 5.0, 0, 1, 0, 1, 0, 2, now())
         ON CONFLICT ("userId", "cardId") DO UPDATE SET "due" = EXCLUDED."due", "reps" = "ReviewState"."reps" + 1`,
        [row.user, row.cardId],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  });
}

interface SlackResult {
  wallMs: number;
  /** Until the last click's confirmation was posted (Slack is answered once the rating is stored; the confirmation follows). */
  processedMs: number;
  latencies: number[];
  notAcked: number;
  confirmations: number;
  sorry: number;
  rows: number;
  pairs: number;
}

/**
 * The same burst through Slack's interactivity endpoint: each click a signed block_actions form post
 * (the stand-in's signer) to Bolt in the bot process, which verifies it, stores the rating, answers, and
 * then posts the confirmation with chat.postEphemeral to the stand-in Web API.
 */
async function slackBurst(standIn: SlackStandIn, slackUrl: string, db: PrismaClient, count: number, concurrency: number): Promise<SlackResult> {
  const sender = new SlackSender(slackUrl, SIGNING_SECRET);
  const channel = standIn.state.addChannel();
  const admin = standIn.state.addUser({ id: slackId('U'), name: 'admin' });
  const before = standIn.state.messages.length;
  for (let i = 0; i < POSTS; i++) {
    const sent = await sender.slashCommand(slashCommand({ command: '/quiz', channel, user: admin, responseUrl: standIn.responseUrl() }));
    if (sent.status !== 200) throw new Error(`Slack /quiz → ${sent.status} ${sent.body}`);
  }
  const messages = await waitFor(
    async () => {
      const cards = standIn.state.messages.slice(before).filter((message) => message.channel === channel && message.blocks);
      return cards.length >= POSTS ? cards : undefined;
    },
    'the Slack card posts',
    60_000,
  );
  const posts = await db.post.findMany({ where: { messageRef: { in: messages.map((message) => message.ts) } }, select: { id: true, messageRef: true } });
  const cards = posts.map((row) => ({ messageId: row.messageRef ?? '', postId: row.id }));
  const userIds = new Map<string, string>();
  const clicks = workload('s', count, cards, 43);
  for (const click of clicks) {
    if (!userIds.has(click.user)) userIds.set(click.user, standIn.state.addUser({ id: slackId('U'), name: click.user }).id);
  }
  const payloads = clicks.map((click) =>
    blockAction({
      actionId: `rate:${click.postId}:${click.confidence}`,
      channel,
      messageTs: click.messageId,
      user: { id: userIds.get(click.user) ?? '', name: click.user },
      responseUrl: standIn.responseUrl(),
    }),
  );
  const confirmationsBefore = standIn.state.ephemerals.length;
  const latencies: number[] = [];
  let notAcked = 0;
  const started = performance.now();
  await mapConcurrent(payloads, concurrency, async (payload) => {
    const sent = performance.now();
    const delivery = await sender.interaction(payload);
    latencies.push(performance.now() - sent);
    if (delivery.status !== 200) notAcked += 1;
  });
  const wallMs = performance.now() - started;
  const processedMs = await waitFor(
    async () => (standIn.state.ephemerals.length - confirmationsBefore >= count - notAcked ? performance.now() - started : undefined),
    'every Slack click to be confirmed',
    600_000,
    20,
  );
  const confirmations = standIn.state.ephemerals.slice(confirmationsBefore);
  const teamUsers = [...userIds.values()].map((id) => `slack:${standIn.state.teamId}:${id}`);
  const rows = await db.rating.count({ where: { userId: { in: teamUsers } } });
  return {
    wallMs,
    processedMs,
    latencies,
    notAcked,
    confirmations: confirmations.filter((message) => (message.text ?? '').startsWith('Recorded')).length,
    sorry: confirmations.filter((message) => !(message.text ?? '').startsWith('Recorded')).length,
    rows,
    pairs: new Set(clicks.map((click) => `${click.postId}|${click.user}`)).size,
  };
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  progress(`rating burst: ${CLICKS} clicks, ${CONCURRENCY} in flight; load average ${loadAtStart}`);
  const services = await startBenchServices('ratings');
  const db = createPrismaClient(services.databaseUrl);
  let bot: Awaited<ReturnType<typeof startQuizcast>> | undefined;
  const standIn = await SlackStandIn.start();
  const slackPort = await findFreePort();
  try {
    bot = await startQuizcast('bot', services, {
      prefix: PREFIX,
      env: {
        LOCAL_ADMINS: 'admin',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_PORT: String(slackPort),
        SLACK_API_URL: standIn.apiUrl,
      },
    });
    const base = bot.url;
    await importDeckBytes(db, await readFile(path.join(ROOT, 'decks/rnn-flashcards.txt')), { maxBytes: 1024 * 1024 });
    for (let i = 0; i < POSTS; i++) {
      const posted = await post<{ replies: LocalMessage[] }>(base, '/api/local/messages', { conversation: CONVERSATION, user: 'admin', text: '/quiz' });
      if (posted.status !== 200) throw new Error(`/quiz failed: ${JSON.stringify(posted.body)}`);
    }
    const listed = (await (await fetch(`${base}/api/local/conversations/${CONVERSATION}/messages`)).json()) as { messages: LocalMessage[] };
    const cards = listed.messages
      .filter((message) => message.kind === 'card')
      .map((message) => {
        const rate = message.buttons.map((button) => /^rate:(\d+):1$/.exec(button.id)).find(Boolean);
        return { messageId: message.id, postId: Number(rate?.[1]) };
      });
    if (cards.length !== POSTS) throw new Error(`expected ${POSTS} card messages, found ${cards.length}`);

    progress(`warm-up: ${WARM_UP} clicks`);
    // Warm-up (JIT, pools, Redis and Postgres caches) at a gentle 20 in flight: it is not what is measured.
    const warm = await burst(base, workload('warm', WARM_UP, cards, 7), 20);
    if (warm.failures.length > 0) progress(`warm-up: ${warm.failures.length} clicks failed: ${warm.failures[0]}`);

    progress('baseline: bare single-row INSERT loop');
    const bare = await bareInsertLoop(
      services.databaseUrl,
      cards.map((card) => card.postId),
      CLICKS,
      CONCURRENCY,
    );

    progress('baseline: one bare transaction per click');
    const cardIds = await db.post.findMany({ where: { id: { in: cards.map((card) => card.postId) } }, select: { id: true, cardId: true } });
    const bareTx = await bareTransactionLoop(
      services.databaseUrl,
      cardIds.map((row) => ({ postId: row.id, cardId: row.cardId })),
      CLICKS,
      CONCURRENCY,
    );

    const clicks = workload('u', CLICKS, cards, 42);
    const before = await readMemory(bot.pid);
    const sampler = new MemorySampler([{ pid: bot.pid, label: 'bot' }]).start();
    progress(`burst: ${clicks.length} clicks`);
    const result = await burst(base, clicks, CONCURRENCY);
    const localPeak = sampler.snapshot().find((peak) => peak.pid === bot?.pid);
    progress(`gentler burst: ${Math.round(CLICKS / 2)} clicks, ${LOW_CONCURRENCY} in flight`);
    const gentle = await burst(base, workload('v', Math.round(CLICKS / 2), cards, 44), LOW_CONCURRENCY);

    let slack: SlackResult | undefined;
    let slackError: string | undefined;
    if (!process.argv.includes('--no-slack')) {
      progress(`Slack: ${clicks.length} signed block_actions clicks`);
      await sleep(2000);
      try {
        slack = await slackBurst(standIn, `http://127.0.0.1:${slackPort}/slack/events`, db, CLICKS, CONCURRENCY);
      } catch (error) {
        slackError = (error as Error).message;
        progress(`Slack burst failed: ${slackError}`);
      }
    }

    const peaks = await sampler.stop();
    const botPeak = peaks.find((peak) => peak.pid === bot?.pid);
    const pairs = new Set(clicks.map((click) => `${click.postId}|local:${click.user}`));
    const counted = await db.$queryRaw<{ rows: bigint; pairs: bigint; reviews: bigint }[]>`
      SELECT (SELECT count(*) FROM "Rating" WHERE "userId" LIKE 'local:u%') AS "rows",
             (SELECT count(DISTINCT ("postId", "userId")) FROM "Rating" WHERE "userId" LIKE 'local:u%') AS "pairs",
             (SELECT count(*) FROM "ReviewState" WHERE "userId" LIKE 'local:u%') AS "reviews"`;
    const rows = Number(counted[0]?.rows ?? -1);
    // Pairs clicked once must hold exactly that click's value.
    const once = new Map<string, Click | null>();
    for (const click of clicks) {
      const key = `${click.postId}|local:${click.user}`;
      once.set(key, once.has(key) ? null : click);
    }
    const stored = await db.rating.findMany({ where: { userId: { startsWith: 'local:u' } }, select: { postId: true, userId: true, value: true } });
    const wrongValues = stored.filter((row) => {
      const click = once.get(`${row.postId}|${row.userId}`);
      return click ? click.confidence !== row.value : false;
    }).length;

    const lat = summarise(result.latencies);
    const gentleLat = summarise(gentle.latencies);
    const settledLat = summarise(result.settled);
    const slowest = [...result.timeline].sort((a, b) => b[1] - a[1]).slice(0, Math.ceil(result.timeline.length / 100));
    const slowestAtOnset = slowest.filter(([sentAt]) => sentAt < 300).length;
    const slackLat = slack ? summarise(slack.latencies) : undefined;
    const bareLat = summarise(bare.latencies);
    const throughput = CLICKS / (result.wallMs / 1000);
    const bareThroughput = CLICKS / (bare.wallMs / 1000);
    const bareTxLat = summarise(bareTx.latencies);
    const bareTxThroughput = CLICKS / (bareTx.wallMs / 1000);
    const acknowledged = result.latencies.length - result.failures.length;
    const section = [
      '## Rating burst',
      '',
      provenance('npm run bench -- --only ratings', loadAtStart),
      '',
      `${fmt.int(CLICKS)} rating clicks (${fmt.int(pairs.size)} distinct (post, user) pairs over ${POSTS} card posts, ` +
        `${fmt.int(CLICKS - pairs.size)} repeats that change a rating) sent at once with ${CONCURRENCY} in flight over loopback to ` +
        '`POST /api/local/actions` of a `quizcast bot` child process (LOG_LEVEL=warn): zod parse → message lookup in Redis → ' +
        'dispatch → `recordRating`, which group-commits: the clicks that arrive while a transaction is in flight share the next ' +
        'one (delivery claims, sorted advisory locks, user upsert, rating upsert, FSRS replay, review upsert as one set-based ' +
        'statement each; at most 2 transactions in flight, 256 changes each) → ephemeral reply stored → HTTP answer. Baseline: the same number of bare autocommitted single-row `INSERT INTO "Rating"` over a ' +
        `\`pg.Pool\` of ${POOL_SIZE} (the bot's pool size), ${CONCURRENCY} in flight, same Postgres, same table, same run. ` +
        `Warm-up: ${WARM_UP} clicks before either. Middle row: one transaction per click as plain \`pg\` queries (the 7 statements ` +
        'the bot ran per click before group commit; same pool size and concurrency): what a per-click transaction costs the database alone.',
      '',
      table(
        ['path', 'ratings/s', 'wall', 'p50', 'p90', 'p99', 'max', 'acknowledged'],
        [
          [
            'local chat click → Postgres (bot process)',
            fmt.int(throughput),
            fmt.seconds(result.wallMs),
            fmt.ms(lat.p50),
            fmt.ms(lat.p90),
            fmt.ms(lat.p99),
            fmt.ms(lat.max),
            `${fmt.int(acknowledged)} / ${fmt.int(CLICKS)}`,
          ],
          [
            `… the same path, ${fmt.int(gentle.latencies.length)} more clicks with ${LOW_CONCURRENCY} in flight`,
            fmt.int(gentle.latencies.length / (gentle.wallMs / 1000)),
            fmt.seconds(gentle.wallMs),
            fmt.ms(gentleLat.p50),
            fmt.ms(gentleLat.p90),
            fmt.ms(gentleLat.p99),
            fmt.ms(gentleLat.max),
            `${fmt.int(gentle.latencies.length - gentle.failures.length)} / ${fmt.int(gentle.latencies.length)}`,
          ],
          ...(slack
            ? [
                [
                  'Slack signed block_actions → Bolt ack (HTTP answer)',
                  fmt.int(CLICKS / (slack.wallMs / 1000)),
                  fmt.seconds(slack.wallMs),
                  fmt.ms(slackLat?.p50 ?? Number.NaN),
                  fmt.ms(slackLat?.p90 ?? Number.NaN),
                  fmt.ms(slackLat?.p99 ?? Number.NaN),
                  fmt.ms(slackLat?.max ?? Number.NaN),
                  `${fmt.int(CLICKS - slack.notAcked)} / ${fmt.int(CLICKS)}`,
                ],
                [
                  '… then the chat.postEphemeral confirmation (until the last)',
                  fmt.int(CLICKS / (slack.processedMs / 1000)),
                  fmt.seconds(slack.processedMs),
                  '',
                  '',
                  '',
                  '',
                  `${fmt.int(slack.confirmations)} confirmed`,
                ],
              ]
            : []),
          [
            `bare: one 7-statement transaction per click, pg.Pool(${POOL_SIZE})`,
            fmt.int(bareTxThroughput),
            fmt.seconds(bareTx.wallMs),
            fmt.ms(bareTxLat.p50),
            fmt.ms(bareTxLat.p90),
            fmt.ms(bareTxLat.p99),
            fmt.ms(bareTxLat.max),
            '',
          ],
          [
            `bare single-row INSERT, pg.Pool(${POOL_SIZE}) (the limit)`,
            fmt.int(bareThroughput),
            fmt.seconds(bare.wallMs),
            fmt.ms(bareLat.p50),
            fmt.ms(bareLat.p90),
            fmt.ms(bareLat.p99),
            fmt.ms(bareLat.max),
            '',
          ],
        ],
      ),
      '',
      `Clicks/s through the bot are ${fmt.ratio(throughput / bareThroughput)} of the bare insert rate. ` +
        `Latency is the client's send → response time with ${CONCURRENCY} in flight, so it includes queueing for the pool. ` +
        `Target: p99 ≤ 200 ms (platforms allow 3 s): **${lat.p99 <= 200 ? 'met' : 'missed'}** (p99 ${fmt.ms(lat.p99)}). ` +
        `With ${CONCURRENCY} clicks always waiting, latency ≈ ${CONCURRENCY} / throughput (Little's law), so p99 ≤ 200 ms needs roughly ` +
        `${fmt.int(CONCURRENCY / 0.2)} ratings/s or more; the bare single-row insert reached ${fmt.int(bareThroughput)}/s here. ` +
        `${slowestAtOnset} of the slowest ${slowest.length} clicks were sent in the burst's first 300 ms, when ${CONCURRENCY} requests (on connections the ` +
        `client opens then) arrive at once; the clicks sent after that answered at p50 ${fmt.ms(settledLat.p50)}, p99 ${fmt.ms(settledLat.p99)}. With ${LOW_CONCURRENCY} in flight the same path answers at p99 ${fmt.ms(gentleLat.p99)}.`,
      '',
      `Check: Rating rows ${fmt.int(rows)} = distinct (post, user) pairs clicked ${fmt.int(pairs.size)}: **${rows === pairs.size ? 'yes' : 'NO'}**; ` +
        `rows whose value differs from a single click's: ${wrongValues}; FSRS review states: ${fmt.int(Number(counted[0]?.reviews ?? 0))}; ` +
        `failed or unacknowledged clicks: ${result.failures.length}${result.failures.length ? ` (${result.failures.slice(0, 2).join('; ')})` : ''}.`,
      '',
      slack
        ? `Slack (the same bot process, Bolt's HTTP receiver on its own port, Web API pointed at the test stand-in in the benchmark process): ` +
          `${fmt.int(CLICKS)} signed \`block_actions\` clicks by ${fmt.int(slack.pairs)} distinct (post, user) pairs, ${CONCURRENCY} in flight. Bolt verifies the ` +
          'signature; the HTTP answer (Slack\'s acknowledgement) goes out once the rating is stored (a 500 past SLACK_STORE_DEADLINE_MS, 2.5 s), ' +
          `so the ack latency includes the write; the confirmation is posted after it. Rating rows ${fmt.int(slack.rows)} = distinct pairs ${fmt.int(slack.pairs)}: **${slack.rows === slack.pairs ? 'yes' : 'NO'}**; ` +
          `confirmations "Recorded …" ${fmt.int(slack.confirmations)}, error replies ${fmt.int(slack.sorry)}, not acknowledged ${slack.notAcked}. ` +
          `Ack p99 ≤ 200 ms: **${(slackLat?.p99 ?? Infinity) <= 200 ? 'met' : 'missed'}**.`
        : `Slack: ${slackError ? `not measured (${slackError})` : 'skipped (--no-slack)'}.`,
      '',
      `Errors the bot logged during the run: ${
        bot.errors().size === 0
          ? 'none'
          : [...bot.errors()].map(([message, count]) => `${fmt.int(count)} × "${message}"`).join('; ')
      }.`,
      '',
      `Bot memory: VmRSS ${fmt.mb(before?.rss)} before the bursts; peak VmHWM ${fmt.mb(localPeak?.hwm)} after the local burst` +
        `${slack ? `, ${fmt.mb(botPeak?.hwm)} after the Slack one` : ''}.`,
      '',
    ].join('\n');
    process.stdout.write(section);
  } catch (error) {
    if (bot) process.stderr.write(`bot log tail:\n${bot.log().slice(-3000)}\n`);
    throw error;
  } finally {
    await bot?.stop();
    await standIn.close();
    await db.$disconnect();
    await services.stop();
  }
}

await main();
