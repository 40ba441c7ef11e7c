import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type Job, Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/bot/slack/adapter.js';
import { RedisConnections } from '../../src/shared/queue/connection.js';
import { QUEUE, type TickBatchJob, type TickBatchResult } from '../../src/shared/queue/names.js';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { replayReviews } from '../../src/shared/quiz/fsrs.js';
import { toFsrsCard } from '../../src/shared/repositories/review-repository.js';
import { registerSymbol } from '../../src/shared/repositories/symbol-repository.js';
import { localDate } from '../../src/shared/time.js';
import type { ValidTick } from '../../src/shared/ticks/tick.js';
import { createTickBatchProcessor } from '../../src/worker/ticks/tick-batch-processor.js';
import { blockAction, type Person, reactionEvent, slashCommand } from '../slack/stand-in/payloads.js';
import type { SlackSender } from '../slack/stand-in/sender.js';
import type { SlackStandIn } from '../slack/stand-in/web-api.js';
import { TEAM_ID } from '../slack/stand-in/wire.js';
import { postJson } from '../support/bot.js';
import { eventually } from '../support/processes.js';
import { type SlackTestStack, startSlackTestStack, type TestStack } from '../support/stack.js';
import { holdLocks, lockWaiters } from './support.js';

/*
 * Duplicate deliveries of everything, each of which must count once: the same local click or reaction
 * twice at once, Slack's redeliveries (X-Slack-Retry-Num, a replayed interaction or command), a tick
 * batch job added twice, re-run after completion, or re-run after a stall while its first run is still
 * inside its transaction, and a daily-quiz firing (and its outbox delivery) run twice.
 */

interface LocalMessage {
  id: string;
  kind: string;
  text: string;
  buttons: { id: string }[];
  visibleTo?: string;
}

let slackStack: SlackTestStack;
let stack: TestStack;
let standIn: SlackStandIn;
let slack: SlackAdapter;
let sender: SlackSender;
let connections: RedisConnections;

beforeAll(async () => {
  slackStack = await startSlackTestStack({
    TRAIN_DEBOUNCE_MS: '600000',
  });
  ({ stack, standIn, slack, sender } = slackStack);
  connections = new RedisConnections(stack.redisUrl);
  await importDeckBytes(stack.bot.core.db, await readFile('decks/rnn-flashcards.txt'), { maxBytes: 1024 * 1024 });
}, 120_000);

afterAll(async () => {
  await connections?.closeAll();
  await slackStack?.close();
});

const db = () => stack.bot.core.db;

async function localMessages(conversation: string, user?: string): Promise<LocalMessage[]> {
  const response = await fetch(`${stack.base}/api/local/conversations/${conversation}/messages${user ? `?user=${user}` : ''}`);
  return ((await response.json()) as { messages: LocalMessage[] }).messages;
}

/** /quiz in a local conversation; the card it posted and its post id. */
async function localCard(conversation: string): Promise<{ message: LocalMessage; postId: number; cardId: number }> {
  await postJson(stack.base, '/api/local/messages', { conversation, user: 'admin', text: '/quiz' });
  const message = (await localMessages(conversation)).filter((candidate) => candidate.kind === 'card').at(-1);
  const postId = Number(message?.buttons.map((button) => /^rate:(\d+):1$/.exec(button.id)).find(Boolean)?.[1]);
  const post = await db().post.findUniqueOrThrow({ where: { id: postId } });
  if (!message) throw new Error('no card posted');
  return { message, postId, cardId: post.cardId };
}

async function expectReviewStateIsReplay(userId: string, cardId: number): Promise<void> {
  const ratings = await db().rating.findMany({ where: { userId, post: { cardId } } });
  const state = await db().reviewState.findUniqueOrThrow({ where: { userId_cardId: { userId, cardId } } });
  expect(toFsrsCard(state)).toEqual(replayReviews(ratings.map((rating) => ({ confidence: rating.value, at: rating.ratedAt }))));
}

async function finished<T>(queue: Queue<T>, id: string): Promise<Job<T>> {
  return eventually(
    async () => {
      const state = await queue.getJobState(id);
      if (state !== 'completed' && state !== 'failed') return undefined;
      const job = await queue.getJob(id);
      if (state === 'failed') throw new Error(`job ${id} failed: ${job?.failedReason}`);
      return job;
    },
    30_000,
    `job ${id} to complete`,
  );
}

describe('duplicate interactions', () => {
  it('counts the same local click sent twice at once, and the same reaction five times at once, once each', async () => {
    const { message, postId, cardId } = await localCard('dup-local');
    const click = { conversation: 'dup-local', user: 'ann', messageId: message.id, actionId: `rate:${postId}:4` };
    const answers = await Promise.all([0, 1].map(() => postJson<{ replies: LocalMessage[] }>(stack.base, '/api/local/actions', click)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    for (const answer of answers) expect(answer.body.replies[0]?.text).toMatch(/^Recorded \*\*4\*\*/);

    const reaction = { conversation: 'dup-local', user: 'ben', messageId: message.id, emoji: 'two', added: true };
    const reacted = await Promise.all([0, 1, 2, 3, 4].map(() => postJson(stack.base, '/api/local/reactions', reaction)));
    expect(reacted.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);

    const ratings = await db().rating.findMany({ where: { postId }, orderBy: { userId: 'asc' } });
    expect(ratings.map((rating) => [rating.userId, rating.value, rating.source])).toEqual([
      ['local:ann', 4, 'button'],
      ['local:ben', 2, 'reaction'],
    ]);
    for (const userId of ['local:ann', 'local:ben']) {
      expect((await db().reviewState.findUniqueOrThrow({ where: { userId_cardId: { userId, cardId } } })).reps).toBe(1);
      await expectReviewStateIsReplay(userId, cardId);
    }
    // The page shows one reaction per user, however often it arrived.
    const shown = (await localMessages('dup-local')).find((candidate) => candidate.id === message.id) as unknown as { reactions: Record<string, string[]> };
    expect(shown.reactions).toEqual({ two: ['ben'] });
  });

  // Reactions arriving together must not overwrite each other on the page (they once did: get, then set).
  it('the local page shows every one of thirty reactions that arrive at once', async () => {
    const { message, postId } = await localCard('dup-local-many');
    const users = Array.from({ length: 30 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    await Promise.all(users.map((user) => postJson(stack.base, '/api/local/reactions', { conversation: 'dup-local-many', user, messageId: message.id, emoji: 'three' })));
    expect(await db().rating.count({ where: { postId } })).toBe(30);
    const shown = (await localMessages('dup-local-many')).find((candidate) => candidate.id === message.id) as unknown as { reactions: Record<string, string[]> };
    expect([...(shown.reactions.three ?? [])].sort()).toEqual(users);
  });

  describe('from Slack', () => {
    let channel: string;
    let carol: Person;
    let card: { ts: string; postId: number; cardId: number };

    beforeAll(async () => {
      channel = standIn.state.addChannel();
      carol = standIn.state.addUser({ id: 'U0DUPCAROL', name: 'carol' });
      const before = standIn.state.messages.length;
      expect((await sender.slashCommand(slashCommand({ command: '/quiz', channel, user: carol, responseUrl: standIn.responseUrl() }))).status).toBe(200);
      await slack.idle();
      const message = standIn.state.messages.slice(before).find((candidate) => candidate.channel === channel);
      const post = await db().post.findFirstOrThrow({ where: { messageRef: message?.ts ?? '-' } });
      card = { ts: post.messageRef ?? '', postId: post.id, cardId: post.cardId };
    });

    it('counts a click delivered twice at once (same trigger_id) once, with one confirmation', async () => {
      const dave = standIn.state.addUser({ id: 'U0DUPDAVE', name: 'dave' });
      const click = blockAction({ actionId: `rate:${card.postId}:5`, channel, messageTs: card.ts, user: dave, responseUrl: standIn.responseUrl() });
      const deliveries = await Promise.all([sender.interaction(click), sender.interaction(click)]);
      expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
      await slack.idle();

      const userId = `slack:${TEAM_ID}:${dave.id}`;
      expect(await db().rating.findMany({ where: { postId: card.postId, userId } })).toEqual([expect.objectContaining({ value: 5, source: 'button' })]);
      expect(await db().processedEvent.count({ where: { key: `action:${String(click.trigger_id)}` } })).toBe(1);
      expect(standIn.state.ephemerals.filter((sent) => sent.channel === channel && sent.visibleTo === dave.id)).toHaveLength(1);
      await expectReviewStateIsReplay(userId, card.cardId);
    });

    it('counts an event and its X-Slack-Retry-Num redeliveries once, even when they arrive together', async () => {
      const erin = standIn.state.addUser({ id: 'U0DUPERIN', name: 'erin' });
      const event = reactionEvent({ added: true, reaction: 'three', channel, ts: card.ts, user: erin });
      const deliveries = await Promise.all([
        sender.event(event),
        sender.event(event, { retryNum: 1, retryReason: 'http_timeout' }),
        sender.event(event, { retryNum: 2, retryReason: 'http_error' }),
      ]);
      expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
      await slack.idle();
      expect((await sender.event(event, { retryNum: 3, retryReason: 'http_timeout' })).status).toBe(200);
      await slack.idle();

      const userId = `slack:${TEAM_ID}:${erin.id}`;
      expect(await db().rating.findMany({ where: { postId: card.postId, userId } })).toEqual([expect.objectContaining({ value: 3, source: 'reaction' })]);
      expect(await db().processedEvent.count({ where: { key: `reaction:${event.event_id}` } })).toBe(1);
      expect((await db().reviewState.findUniqueOrThrow({ where: { userId_cardId: { userId, cardId: card.cardId } } })).reps).toBe(1);
    });

    it('runs a slash command replayed with the same trigger_id once', async () => {
      const postsBefore = await db().post.count();
      const messagesBefore = standIn.state.messages.length;
      const command = slashCommand({ command: '/quiz', channel, user: carol, responseUrl: standIn.responseUrl() });
      const deliveries = await Promise.all([sender.slashCommand(command), sender.slashCommand(command)]);
      expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
      await slack.idle();
      expect(await db().post.count()).toBe(postsBefore + 1);
      expect(standIn.state.messages.slice(messagesBefore).filter((message) => message.channel === channel)).toHaveLength(1);
    });
  });
});

describe('duplicate jobs', () => {
  const SYMBOL = 'DUPT';
  let symbolId: number;
  const day = (d: number, minute: number) => Date.UTC(2025, 4, 5 + d, 14, 30 + minute);
  const batch = (ticks: { ts: number; price: number }[]): ValidTick[] => ticks.map((tick, index) => ({ index, symbol: SYMBOL, ...tick }));

  beforeAll(async () => {
    symbolId = (await registerSymbol(db(), SYMBOL)).id;
  });

  async function snapshot() {
    const [ticks, closes] = await Promise.all([
      db().tick.findMany({ where: { symbolId }, orderBy: { ts: 'asc' }, select: { ts: true, price: true } }),
      db().dailyClose.findMany({ where: { symbolId }, orderBy: { day: 'asc' }, select: { day: true, close: true, closeTs: true } }),
    ]);
    return { ticks, closes };
  }

  it('stores a tick batch added twice once, and a completed batch re-run (job.retry) changes nothing', async () => {
    const ticks = batch([
      { ts: day(0, 0), price: 10 },
      { ts: day(0, 5), price: 11 },
      { ts: day(1, 0), price: 12 },
      { ts: day(1, 5), price: 13 },
    ]);
    const queue = stack.bot.core.queues.ticks;
    const [first, second] = await Promise.all([queue.add('batch', { ticks }), queue.add('batch', { ticks })]);
    const results = await Promise.all([first, second].map(async (job) => ((await finished(queue, job.id ?? '')).returnvalue as TickBatchResult).results));
    // Whichever ran first stored every tick; the other found every one already there.
    const statuses = results.map((run) => [...new Set(run.map((result) => result.status))]).sort();
    expect(statuses).toEqual([['duplicate'], ['stored']]);
    const after = await snapshot();
    expect(after.ticks).toHaveLength(4);
    expect(after.closes.map((close) => [close.day, close.close])).toEqual([
      ['2025-05-05', 11],
      ['2025-05-06', 13],
    ]);

    const completed = await finished(queue, first.id ?? '');
    await completed.retry('completed');
    await eventually(async () => ((await queue.getJob(first.id ?? ''))?.attemptsMade ?? 0) >= 1 && (await queue.getJobState(first.id ?? '')) === 'completed' ? true : undefined, 30_000, 'the re-run');
    const rerun = (await queue.getJob(first.id ?? ''))?.returnvalue as TickBatchResult;
    expect(rerun.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(await snapshot()).toEqual(after);
  });

  it('stores a batch re-run after a stall once, while the stalled first run is still inside its transaction', async () => {
    const before = await snapshot();
    expect(before.closes.length).toBeGreaterThan(0);
    // A queue no other worker reads, served by two workers running the real tick processor: the first
    // never renews its 1 s lock, so the job stalls while it waits on a row lock the test holds.
    const prefix = `stall${randomUUID().slice(0, 8)}`;
    const queue = new Queue<TickBatchJob>(QUEUE.ticks, { connection: connections.create(), prefix });
    const processor = createTickBatchProcessor(stack.worker.core, stack.worker.core.queues.training);
    const runs: string[] = [];
    const tracked = (name: string) => async (job: Job<TickBatchJob>) => {
      runs.push(name);
      return processor(job);
    };
    const rowLock = await holdLocks(stack.databaseUrl, [{ text: 'SELECT 1 FROM "DailyClose" WHERE "symbolId" = $1 FOR UPDATE', values: [symbolId] }]);
    const first = new Worker<TickBatchJob>(QUEUE.ticks, tracked('first'), {
      connection: connections.create(),
      prefix,
      lockDuration: 1000,
      stalledInterval: 500,
      skipLockRenewal: true,
    });
    let second: Worker<TickBatchJob> | undefined;
    const errors: string[] = [];
    first.on('error', (error) => errors.push(error.message));
    try {
      const job = await queue.add('batch', {
        ticks: batch([
          { ts: day(0, 10), price: 21 },
          { ts: day(1, 10), price: 22 },
          { ts: day(2, 0), price: 23 },
        ]),
      });
      // The first run has inserted its ticks and waits on a close row, inside its transaction.
      await eventually(async () => ((await lockWaiters(stack.databaseUrl, rowLock.pid)).length > 0 ? true : undefined), 20_000, 'the first run to block');
      second = new Worker<TickBatchJob>(QUEUE.ticks, tracked('second'), { connection: connections.create(), prefix, stalledInterval: 500 });
      await eventually(async () => (runs.includes('second') ? true : undefined), 20_000, 'the stalled job to be re-run');
      await rowLock.release();
      const done = await finished(queue, job.id ?? '');
      expect(runs).toEqual(['first', 'second']);
      expect((done.returnvalue as TickBatchResult).results.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    } finally {
      await rowLock.release();
      await Promise.all([first.close(), second?.close()]);
      await queue.close();
    }
    const after = await snapshot();
    expect(after.ticks).toHaveLength(before.ticks.length + 3);
    expect(after.closes.map((close) => [close.day, close.close])).toEqual([
      ['2025-05-05', 21],
      ['2025-05-06', 22],
      ['2025-05-07', 23],
    ]);
  });

  it('stores a batch whose first run committed but could not report once: on BullMQ’s retry and on job.retry after it failed', async () => {
    const before = await snapshot();
    const prefix = `fail${randomUUID().slice(0, 8)}`;
    const queue = new Queue<TickBatchJob>(QUEUE.ticks, { connection: connections.create(), prefix });
    const processor = createTickBatchProcessor(stack.worker.core, stack.worker.core.queues.training);
    const firstRuns = new Set<string>();
    const statuses: string[][] = [];
    // The real processor, but the first run of each job dies after its transaction committed, as a
    // worker does when it loses Redis (or its lock) between storing and reporting.
    const worker = new Worker<TickBatchJob>(
      QUEUE.ticks,
      async (job) => {
        const result = await processor(job);
        statuses.push(result.results.map((entry) => entry.status));
        if (!firstRuns.has(job.id ?? '')) {
          firstRuns.add(job.id ?? '');
          throw new Error('lost the connection after the batch was stored');
        }
        return result;
      },
      { connection: connections.create(), prefix },
    );
    try {
      const retried = await queue.add('batch', { ticks: batch([{ ts: day(3, 0), price: 31 }, { ts: day(3, 5), price: 32 }]) }, { attempts: 2 });
      await finished(queue, retried.id ?? '');
      const failing = await queue.add('batch', { ticks: batch([{ ts: day(4, 0), price: 41 }]) }, { attempts: 1 });
      const failed = await eventually(async () => ((await queue.getJobState(failing.id ?? '')) === 'failed' ? queue.getJob(failing.id ?? '') : undefined), 30_000, 'the job to fail');
      await failed?.retry('failed');
      await finished(queue, failing.id ?? '');
    } finally {
      await worker.close();
      await queue.close();
    }
    expect(statuses).toEqual([['stored', 'stored'], ['duplicate', 'duplicate'], ['stored'], ['duplicate']]);
    const after = await snapshot();
    expect(after.ticks).toHaveLength(before.ticks.length + 3);
    expect(after.closes.slice(-2).map((close) => [close.day, close.close])).toEqual([
      ['2025-05-08', 32],
      ['2025-05-09', 41],
    ]);
  });

  it('posts one daily card when the daily-quiz job fires twice at once, is re-run, and its outbox delivery is re-run', async () => {
    const conversation = 'dup-daily';
    const subscribed = await postJson<{ replies: LocalMessage[] }>(stack.base, '/api/local/messages', { conversation, user: 'admin', text: '/subscribe 03:00 UTC' });
    expect(subscribed.body.replies[0]?.text).toMatch(/^Subscribed/);
    const { dailyQuiz, outbox } = stack.bot.core.queues;
    const ref = `local:${conversation}`;
    const firings = await dailyQuiz.addBulk([
      { name: 'daily-quiz', data: { conversation: ref } },
      { name: 'daily-quiz', data: { conversation: ref } },
    ]);
    const outcomes = await Promise.all(firings.map(async (job) => (await finished(dailyQuiz, job.id ?? '')).returnvalue as { postId?: number; queued: boolean }));
    const postIds = [...new Set(outcomes.map((outcome) => outcome.postId))];
    expect(postIds).toHaveLength(1);
    const postId = postIds[0] as number;

    const rerun = await finished(dailyQuiz, firings[0]?.id ?? '');
    await rerun.retry('completed');
    await eventually(async () => ((await dailyQuiz.getJobState(rerun.id ?? '')) === 'completed' ? true : undefined), 30_000, 'the re-run firing');

    const delivery = await finished(outbox, `quiz-post-${postId}`);
    await delivery.retry('completed');
    await eventually(async () => ((await outbox.getJobState(delivery.id ?? '')) === 'completed' ? true : undefined), 30_000, 'the re-run delivery');
    expect((await outbox.getJob(delivery.id ?? ''))?.returnvalue).toMatchObject({ delivered: false });

    const today = localDate(new Date(), 'UTC');
    expect(await db().post.findMany({ where: { conversation: { ref }, dailyDate: today }, select: { id: true } })).toEqual([{ id: postId }]);
    expect(await db().post.count({ where: { conversation: { ref } } })).toBe(1);
    const cards = (await localMessages(conversation)).filter((message) => message.kind === 'card');
    expect(cards).toHaveLength(1);
    expect(cards[0]?.buttons.some((button) => button.id === `rate:${postId}:3`)).toBe(true);
  });
});
