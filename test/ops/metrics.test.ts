import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/shared/infra/free-port.js';
import { registerSymbol } from '../../src/shared/repositories/symbol-repository.js';
import { postJson } from '../support/bot.js';
import { eventually } from '../support/processes.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { type Sample, sampleValue, scrape } from './prometheus-text.js';

interface Message {
  id: string;
  kind: string;
  buttons: { id: string; label: string }[];
}

/** The whole product in this process (bot + worker, fresh database and queue prefix), scraped as Prometheus would. */
describe('Prometheus metrics', () => {
  let t: TestStack;
  const botMetrics = () => scrape(`${t.base}/metrics`);
  const workerMetrics = () => scrape(`${t.worker.url}/metrics`);

  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(() => t?.close());

  it('the worker HTTP server answers /healthz and /metrics on its own port', async () => {
    expect(t.worker.url).not.toBe(t.base);
    const health = await fetch(`${t.worker.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, services: { postgres: 'up', redis: 'up' } });
    const metrics = await workerMetrics();
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    // Default process metrics, labelled with the service so one scrape job can hold bot and worker.
    expect(metrics.samples.some((s) => s.name === 'process_cpu_user_seconds_total' && s.labels.service === 'worker')).toBe(true);
    expect(metrics.samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    const bot = await botMetrics();
    expect(bot.samples.some((s) => s.name === 'process_resident_memory_bytes' && s.labels.service === 'bot')).toBe(true);
  });

  it('bin/healthcheck.js, the image’s HEALTHCHECK, passes against the bot and the worker and fails on a dead port', async () => {
    const healthcheck = fileURLToPath(new URL('../../bin/healthcheck.js', import.meta.url));
    const probe = (url: string) =>
      promisify(execFile)(process.execPath, [healthcheck], { env: { ...process.env, HEALTHCHECK_URL: url } }).then(
        () => 0,
        (error: { code?: number }) => error.code ?? -1,
      );
    expect(await probe(`${t.base}/healthz`)).toBe(0);
    expect(await probe(`${t.worker.url}/healthz`)).toBe(0);
    expect(await probe(`http://127.0.0.1:${await findFreePort()}/healthz`)).toBe(1);
  });

  it('counts a button rating and a reaction rating by source, and a withdrawn reaction', async () => {
    const deck = await readFile(new URL('../../decks/rnn-flashcards.txt', import.meta.url));
    await postJson(t.base, '/api/local/messages', {
      conversation: 'general',
      user: 'admin',
      text: '/deck import',
      attachment: { name: 'rnn.txt', contentBase64: deck.toString('base64') },
    });
    await postJson(t.base, '/api/local/messages', { conversation: 'general', user: 'bob', text: '/quiz' });
    const { messages } = (await (await fetch(`${t.base}/api/local/conversations/general/messages?user=bob`)).json()) as {
      messages: Message[];
    };
    const card = messages.find((message) => message.kind === 'card');
    const four = card?.buttons.find((button) => button.label.startsWith('4'));
    expect(four).toBeDefined();

    const before = (await botMetrics()).samples;
    expect(sampleValue(before, 'quizcast_ratings_recorded_total', { source: 'button' })).toBe(0);
    const click = await postJson(t.base, '/api/local/actions', {
      conversation: 'general',
      user: 'bob',
      messageId: card?.id,
      actionId: four?.id,
    });
    expect(click.status).toBe(200);
    const react = (added: boolean) =>
      postJson(t.base, '/api/local/reactions', { conversation: 'general', user: 'carol', messageId: card?.id, emoji: 'five', added });
    expect((await react(true)).status).toBe(200);
    expect((await react(false)).status).toBe(200);

    const after = (await botMetrics()).samples;
    expect(sampleValue(after, 'quizcast_ratings_recorded_total', { source: 'button', service: 'bot' })).toBe(1);
    expect(sampleValue(after, 'quizcast_ratings_recorded_total', { source: 'reaction' })).toBe(1);
    expect(sampleValue(after, 'quizcast_ratings_withdrawn_total')).toBe(1);
    // The counters agree with what was stored: bob's button rating remains, carol's reaction was withdrawn.
    expect(await t.bot.core.db.rating.count()).toBe(1);
  });

  it('counts ticks accepted by status and rejected by reason, each in the process that decided', async () => {
    await registerSymbol(t.bot.core.db, 'OPS');
    const ts = '2026-01-05T15:00:00Z';
    const response = await postJson<{ stored: number; duplicates: number; rejected: number }>(t.base, '/api/ticks', [
      { symbol: 'OPS', ts, price: 101 },
      { symbol: 'OPS', ts, price: 101 },
      { symbol: 'NOPE', ts, price: 5 },
      { symbol: 'OPS', ts, price: -1 },
      { symbol: 'OPS', ts: 'yesterday', price: 1 },
    ]);
    expect(response.body).toMatchObject({ stored: 1, duplicates: 1, rejected: 3 });

    // Validation happens at intake, in the bot.
    const bot = (await botMetrics()).samples;
    expect(sampleValue(bot, 'quizcast_ticks_rejected_total', { reason: 'invalid_price' })).toBe(1);
    expect(sampleValue(bot, 'quizcast_ticks_rejected_total', { reason: 'invalid_timestamp' })).toBe(1);
    expect(sampleValue(bot, 'quizcast_ticks_rejected_total', { reason: 'unknown_symbol' })).toBe(0);

    // The store's verdicts, in the worker. Its 'completed' listener may run just after the bot has the
    // answer, so the job's duration is awaited; the counters were set before the job returned.
    const worker = await eventually(
      async () => {
        const { samples } = await workerMetrics();
        return sampleValue(samples, 'quizcast_job_duration_seconds_count', { queue: 'ticks', status: 'completed' }) >= 1
          ? samples
          : undefined;
      },
      10_000,
      'the tick batch job in the duration histogram',
    );
    expect(sampleValue(worker, 'quizcast_ticks_accepted_total', { status: 'stored' })).toBe(1);
    expect(sampleValue(worker, 'quizcast_ticks_accepted_total', { status: 'duplicate' })).toBe(1);
    expect(sampleValue(worker, 'quizcast_ticks_rejected_total', { reason: 'unknown_symbol', service: 'worker' })).toBe(1);
    expect(sampleValue(worker, 'quizcast_ticks_rejected_total', { reason: 'invalid_price' })).toBe(0);
    expect(worker.some((s) => s.name === 'quizcast_job_duration_seconds_bucket' && s.labels.le === '+Inf')).toBe(true);
  });

  it('reports queue depths per queue and state, read from Redis at scrape time', async () => {
    await t.bot.core.queues.forecastPosts.add('later', { conversation: 'local:ops', symbol: 'OPS' }, { delay: 3_600_000 });
    for (const scraped of [await botMetrics(), await workerMetrics()]) {
      const depth = (queue: string, state: string) => sampleValue(scraped.samples, 'quizcast_queue_jobs', { queue, state });
      expect(depth('forecast-posts', 'delayed')).toBe(1);
      for (const queue of ['daily-quiz', 'outbox', 'sentiment', 'ticks', 'price-training', 'forecast-posts']) {
        for (const state of ['waiting', 'active', 'delayed', 'failed']) {
          expect(scraped.samples.some((s: Sample) => s.name === 'quizcast_queue_jobs' && s.labels.queue === queue && s.labels.state === state)).toBe(true);
        }
      }
    }
  });

  it('exposes the newest price model’s validation MASE per symbol and the sentiment model’s test accuracy', async () => {
    const symbol = await registerSymbol(t.bot.core.db, 'OPS');
    const model = (version: number, rnn: number, naive: number) =>
      t.bot.core.db.priceModel.create({
        data: {
          symbolId: symbol.id,
          version,
          dataThrough: '2026-01-05',
          published: 'rnn',
          metrics: { validation: { rnn: { n: 20, mase: rnn }, naive: { n: 20, mase: naive } } },
          artifact: {},
        },
      });
    await model(1, 1.5, 1);
    await model(2, 0.8, 1.1);
    const { samples } = await workerMetrics();
    expect(sampleValue(samples, 'quizcast_price_model_validation_mase', { symbol: 'OPS', model: 'rnn' })).toBe(0.8);
    expect(sampleValue(samples, 'quizcast_price_model_validation_mase', { symbol: 'OPS', model: 'naive' })).toBe(1.1);
    expect(sampleValue(samples, 'quizcast_price_model_version', { symbol: 'OPS' })).toBe(2);
    expect(sampleValue(samples, 'quizcast_price_model_stale', { symbol: 'OPS' })).toBe(0);

    const shipped = JSON.parse(await readFile(new URL('../../models/sentiment/metrics.json', import.meta.url), 'utf8')) as {
      modelVersion: string;
      test: { model: { accuracy: number } };
    };
    expect(sampleValue(samples, 'quizcast_sentiment_model_test_accuracy', { model_version: shipped.modelVersion })).toBe(
      shipped.test.model.accuracy,
    );
  });
});
