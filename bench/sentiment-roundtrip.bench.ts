/**
 * /sentiment end to end: the bot acknowledges, queues the text, the worker scores it, the bot replies —
 * through the local chat API of real `quizcast bot` + `quizcast worker` processes. Beside it, in the same
 * run: the same API answering /help (the chat path without the model), /help while /sentiment requests
 * keep the worker busy (a busy model must not stall the chat), and the scorer called in-process (what the
 * model itself costs). Prints the "## Sentiment round trip" markdown section on stdout.
 *
 *   npx tsx bench/sentiment-roundtrip.bench.ts [--requests 400]
 */
import type { LocalMessage } from '../src/bot/local/message-store.js';
import { SentimentScorer } from '../src/shared/sentiment/scorer.js';
import { CROSS_DOMAIN_SENTENCES } from '../src/worker/sentiment/cross-domain-sentences.js';
import { loadImdbReviews } from '../src/worker/sentiment/imdb-dataset.js';
import { numberArgument } from './lib/args.js';
import { loadAverage, progress, provenance } from './lib/machine.js';
import { fmt, table } from './lib/markdown.js';
import { startQuizcast } from './lib/processes.js';
import { startBenchServices } from './lib/services.js';
import { type LatencySummary, mapConcurrent, summarise } from './lib/stats.js';

const REQUESTS = numberArgument('requests', 400);
const PARALLEL = 8;
const PREFIX = 'benchsentiment';
const CONVERSATION = 'bench';
const TARGET_MS = 3000;


async function ask(base: string, text: string, expect: (replies: LocalMessage[]) => boolean): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${base}/api/local/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ conversation: CONVERSATION, user: 'alice', text }),
  });
  const body = (await response.json()) as { replies?: LocalMessage[] };
  const ms = performance.now() - started;
  if (response.status !== 200 || !expect(body.replies ?? [])) throw new Error(`${text.slice(0, 40)} → ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  return ms;
}

/** The answer to /sentiment: the acknowledgement, then the worker's score (the API waits for it). */
const scored = (replies: LocalMessage[]) => replies.length === 2 && /\*\*Sentiment:\*\*.*\d\.\d\d/.test(replies[1]?.text ?? '');
const helped = (replies: LocalMessage[]) => replies.length === 1 && (replies[0]?.text ?? '').includes('/sentiment');

async function run(count: number, concurrency: number, once: (i: number) => Promise<number>): Promise<LatencySummary> {
  return summarise(await mapConcurrent(Array.from({ length: count }, (_, i) => i), concurrency, (i) => once(i)));
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  progress(`sentiment round trip: ${REQUESTS} requests; load average ${loadAtStart}`);
  const reviews = (await loadImdbReviews()).filter((_, i) => i % 250 === 0).map((review) => review.text.slice(0, 2000));
  const texts = [...CROSS_DOMAIN_SENTENCES.map((example) => example.text), ...reviews];
  const services = await startBenchServices('sentiment');
  let bot: Awaited<ReturnType<typeof startQuizcast>> | undefined;
  let worker: Awaited<ReturnType<typeof startQuizcast>> | undefined;
  try {
    [bot, worker] = await Promise.all([startQuizcast('bot', services, { prefix: PREFIX }), startQuizcast('worker', services, { prefix: PREFIX })]);
    const base = bot.url;
    const sentiment = (i: number) => ask(base, `/sentiment ${texts[i % texts.length]}`, scored);
    const help = () => ask(base, '/help', helped);

    progress('warm-up');
    await run(40, 4, sentiment);
    await run(40, 1, help);

    progress('/sentiment one at a time, then 8 in flight');
    const sequential = await run(REQUESTS, 1, sentiment);
    const parallel = await run(REQUESTS * 2, PARALLEL, sentiment);
    progress('/help alone, then beside a busy model');
    const helpAlone = await run(REQUESTS, 1, help);
    let busy = true;
    const load = (async () => {
      let i = 0;
      const lanes = Array.from({ length: PARALLEL }, async () => {
        while (busy) await sentiment(i++);
      });
      await Promise.all(lanes);
      return i;
    })();
    const helpBusy = await run(REQUESTS, 1, help);
    busy = false;
    const scoredMeanwhile = await load;

    progress('scorer in-process');
    const scorer = await SentimentScorer.load();
    for (const text of texts) scorer.score(text);
    const inProcess = summarise(
      Array.from({ length: REQUESTS }, (_, i) => {
        const started = performance.now();
        scorer.score(texts[i % texts.length] as string);
        return performance.now() - started;
      }),
    );

    const row = (name: string, summary: LatencySummary) => [name, fmt.int(summary.n), fmt.ms(summary.p50), fmt.ms(summary.p90), fmt.ms(summary.p99), fmt.ms(summary.max)];
    const section = [
      '## Sentiment round trip',
      '',
      provenance('npm run bench -- --only sentiment-roundtrip', loadAtStart),
      '',
      '`/sentiment <text>` through the local chat API (`POST /api/local/messages`) of `quizcast bot` and `quizcast worker` child processes ' +
        '(default settings, LOG_LEVEL=warn): the bot validates, answers "_Scoring…_" and queues the text (BullMQ `sentiment` queue); the worker ' +
        'scores it with the committed GRU and completes the job; the bot, woken by the job\'s completion event, adds the score as the follow-up. ' +
        'The local API answers once the follow-up is there, so its time is the full round trip (Slack and Discord get the acknowledgement at ' +
        `once and the score as a later message). Texts: ${CROSS_DOMAIN_SENTENCES.length} short sentences and ${reviews.length} IMDB reviews cut to ` +
        '2,000 characters, in turn. Floors in the same run: `/help` through the same API (chat path, no queue, no model) and `SentimentScorer.score` ' +
        'called in the benchmark process (the model alone).',
      '',
      table(
        ['request', 'n', 'p50', 'p90', 'p99', 'max'],
        [
          row('`/sentiment` round trip, one at a time', sequential),
          row(`\`/sentiment\` round trip, ${PARALLEL} in flight`, parallel),
          row('`/help`, one at a time (floor: chat path alone)', helpAlone),
          row(`\`/help\`, one at a time, while ${PARALLEL} \`/sentiment\` keep the worker busy`, helpBusy),
          row('`SentimentScorer.score` in-process (floor: the model alone)', inProcess),
        ],
        ['left', 'right', 'right', 'right', 'right', 'right'],
      ),
      '',
      `While \`/help\` was measured beside the busy model, ${fmt.int(scoredMeanwhile)} \`/sentiment\` requests were scored. ` +
        `The round trip costs ${fmt.ms(sequential.p50 - helpAlone.p50 - inProcess.p50)} at the median beyond the chat path and the model ` +
        '(queue add, the worker\'s pick-up, the completion event). ' +
        `Platforms need the acknowledgement within 3 s; the full round trip one at a time stays under ${fmt.ms(TARGET_MS)} at p99: ` +
        `**${sequential.p99 <= TARGET_MS ? 'yes' : 'no'}** (${fmt.ms(sequential.p99)}).`,
      '',
    ].join('\n');
    process.stdout.write(`${section}\n`);
    scorer.dispose();
  } finally {
    await Promise.all([bot?.stop(), worker?.stop()]);
    await services.stop();
  }
}

await main();
