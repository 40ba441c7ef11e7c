import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createPrismaClient, type PrismaClient } from '../../src/shared/db/client.js';
import { findFreePort } from '../../src/shared/infra/free-port.js';
import { RedisConnections } from '../../src/shared/queue/connection.js';
import { createQueues, type Queues } from '../../src/shared/queue/queues.js';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { replayReviews } from '../../src/shared/quiz/fsrs.js';
import { toFsrsCard } from '../../src/shared/repositories/review-repository.js';
import { registerSymbol } from '../../src/shared/repositories/symbol-repository.js';
import { eventually } from '../support/processes.js';
import { blockAction, type Person, reactionEvent, slashCommand } from '../slack/stand-in/payloads.js';
import { SlackSender } from '../slack/stand-in/sender.js';
import { SlackStandIn } from '../slack/stand-in/web-api.js';
import { BOT_TOKEN, SIGNING_SECRET, TEAM_ID } from '../slack/stand-in/wire.js';
import {
  ChaosServices,
  holdLocks,
  lockWaiters,
  request,
  ServiceProcess,
  seededRandom,
  shuffle,
  sleep,
  sql,
  WorkGate,
  WorkQueue,
} from './support.js';

/*
 * The fault and load suite: the real bot and worker as child processes on a Postgres and a redis-server
 * of this file's own, fed 10,000 ticks and 2,000 ratings (local buttons and reactions, Slack clicks and
 * reactions through the real Bolt adapter) while the worker is SIGKILLed mid-batch, the bot is SIGKILLed
 * mid-request, Redis is restarted (append-only file) and Postgres is restarted. Senders retry what failed
 * the way a platform or a person would. Afterwards every tick and rating must be stored exactly once and
 * every derived number (daily closes, FSRS states, leaderboards) must agree with what was sent.
 */

const SEED = 20_260_308;
const SYMBOLS = ['CHA', 'CHB', 'CHC', 'CHD'];
const DAYS = 50;
const TICKS_PER_DAY = 50;
const TICK_BATCH = 125;
const RESENT_TICKS = 500;
const LOCAL_USERS = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida', 'joe', 'kim', 'lea'];
const LOCAL_OPS_PER_USER = 125;
const SLACK_NAMES = ['sol', 'tom', 'uma', 'vic', 'wes'];
const SLACK_OPS_PER_USER = 100;
/** Four conversations: the local chat keeps (and can rate) only the last 500 messages of each. */
const LOCAL_CONVERSATIONS = ['alpha', 'beta', 'gamma', 'delta'];
const LOCAL_POSTS_PER_CONVERSATION = 15;
const SLACK_CHANNELS = 2;
const SLACK_POSTS_PER_CHANNEL = 15;
const APOLOGY = 'Sorry, something went wrong';

interface SentTick {
  symbol: string;
  ts: string;
  price: number;
}

interface PostTarget {
  platform: 'local' | 'slack';
  postId: number;
  cardId: number;
  /** Local conversation name or Slack channel id. */
  channel: string;
  /** Local message id or Slack message ts. */
  messageRef: string;
}

type Op =
  | { kind: 'button'; post: PostTarget; value: number }
  | { kind: 'react'; post: PostTarget; value: number; added: boolean };

interface RatingState {
  value: number;
  source: 'button' | 'reaction';
}

const EMOJI = ['one', 'two', 'three', 'four', 'five'];
const random = seededRandom(SEED);

/** 4 symbols × 50 weekdays × 50 ticks between 14:30 and 20:13 UTC (the same New York date all year). */
function makeTicks(): SentTick[] {
  const ticks: SentTick[] = [];
  const start = Date.UTC(2025, 2, 3);
  for (const symbol of SYMBOLS) {
    for (let day = 0; day < DAYS; day++) {
      const date = start + (Math.floor(day / 5) * 7 + (day % 5)) * 86_400_000;
      for (let i = 0; i < TICKS_PER_DAY; i++) {
        const ts = new Date(date + (14 * 60 + 30 + i * 7) * 60_000 + Math.floor(random() * 60_000));
        ticks.push({ symbol, ts: ts.toISOString(), price: Math.round((50 + random() * 100) * 10_000) / 10_000 });
      }
    }
  }
  return ticks;
}

/** Each user's operations, planned so that every one changes that user's rating of the post. */
function planOps(posts: PostTarget[], count: number): { ops: Op[]; final: Map<number, RatingState | undefined> } {
  const state = new Map<number, RatingState | undefined>();
  const ops: Op[] = [];
  for (let i = 0; i < count; i++) {
    const post = posts[Math.floor(random() * posts.length)] as PostTarget;
    const current = state.get(post.postId);
    const roll = random();
    let value = 1 + Math.floor(random() * 5);
    if (current?.source === 'reaction' && roll < 0.12) {
      ops.push({ kind: 'react', post, value: current.value, added: false });
      state.set(post.postId, undefined);
    } else if (roll < 0.55) {
      if (current?.source === 'button' && current.value === value) value = (value % 5) + 1;
      ops.push({ kind: 'button', post, value });
      state.set(post.postId, { value, source: 'button' });
    } else {
      if (current?.source === 'reaction' && current.value === value) value = (value % 5) + 1;
      ops.push({ kind: 'react', post, value, added: true });
      state.set(post.postId, { value, source: 'reaction' });
    }
  }
  return { ops, final: state };
}

class Refused extends Error {}

describe('fault and load suite', () => {
  let services: ChaosServices;
  let standIn: SlackStandIn;
  let bot: ServiceProcess;
  let worker: ServiceProcess;
  let db: PrismaClient;
  let connections: RedisConnections;
  let queues: Queues;
  let base: string;
  let sender: SlackSender;
  const slackPeople: Person[] = [];
  const localPosts: PostTarget[] = [];
  const slackPosts: PostTarget[] = [];
  /** Ratings given while setting up (one per post by someone who is not a sender). */
  const setupRatings = new Map<string, RatingState>();
  /** Display names by user id, for reading leaderboards. */
  const names = new Map<string, string>([['local:admin', 'admin'], ['local:probe', 'probe']]);

  const stats = {
    tickRequests: 0,
    tickRetries: 0,
    tickPending: 0,
    tickStored: 0,
    tickDuplicates: 0,
    tickRejected: 0,
    localRetries: 0,
    localApologies: 0,
    slackRedeliveries: 0,
    slackApologies: 0,
    slackAckedButNotApplied: 0,
  };
  /** Requests the senders have out at this moment. */
  const inFlight = { ticks: 0, local: 0 };
  /** Which fault the traffic is going through, to say where Slack work was acknowledged and then lost. */
  let phase = 'warm-up';
  /** Set when the test ends, so senders still retrying give up instead of outliving it. */
  let aborted = false;
  const lostByPhase: Record<string, number> = {};

  beforeAll(async () => {
    services = await ChaosServices.start();
    standIn = await SlackStandIn.start();
    const [httpPort, slackPort] = [await findFreePort(), await findFreePort()];
    base = `http://127.0.0.1:${httpPort}`;
    const env = {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      QUEUE_PREFIX: 'chaos',
      HTTP_PORT: String(httpPort),
      JOB_LOCK_MS: '2000',
      REPLAY_ON_START: 'false',
      TRAIN_DEBOUNCE_MS: '3600000',
      QUIZCAST_STATE_DIR: path.join(services.dir, 'state'),
      LOCAL_ADMINS: 'admin',
    };
    bot = new ServiceProcess(
      'bot',
      {
        ...env,
        LOG_LEVEL: 'warn',
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_PORT: String(slackPort),
        SLACK_API_URL: standIn.apiUrl,
      },
      /quizcast local chat: http/,
    );
    worker = new ServiceProcess('worker', { ...env, LOG_LEVEL: 'info' }, /"msg":"worker ready"/);
    sender = new SlackSender(`http://127.0.0.1:${slackPort}/slack/events`, SIGNING_SECRET);

    db = createPrismaClient(services.databaseUrl);
    connections = new RedisConnections(services.redisUrl);
    queues = createQueues(connections.create(), 'chaos');
    // This file restarts Redis: the queues it watches reconnect, and say so only here.
    for (const queue of [queues.dailyQuiz, queues.outbox, queues.sentiment, queues.ticks, queues.training, queues.forecastPosts]) {
      queue.on('error', () => undefined);
    }
    await importDeckBytes(db, await readFile('decks/rnn-flashcards.txt'), { maxBytes: 1024 * 1024 });
    for (const symbol of SYMBOLS) await registerSymbol(db, symbol);
    await Promise.all([bot.start(), worker.start()]);

    // The cards everyone rates: /quiz posts in two local conversations and two Slack channels. Someone
    // who is not a sender rates each post as it appears, so /quiz moves on through the deck.
    for (const conversation of LOCAL_CONVERSATIONS) {
      const seen = new Set<string>();
      for (let i = 0; i < LOCAL_POSTS_PER_CONVERSATION; i++) {
        const answer = await request(`${base}/api/local/messages`, {
          contentType: 'application/json',
          body: JSON.stringify({ conversation, user: 'admin', text: '/quiz' }),
        });
        expect(answer.status).toBe(200);
        const listed = (await (await fetch(`${base}/api/local/conversations/${conversation}/messages`)).json()) as {
          messages: { id: string; kind: string; buttons: { id: string }[] }[];
        };
        const card = listed.messages.find((message) => message.kind === 'card' && !seen.has(message.id));
        if (!card) throw new Error(`/quiz posted no card in ${conversation}: ${answer.text}`);
        seen.add(card.id);
        const postId = Number(card.buttons.map((button) => /^rate:(\d+):1$/.exec(button.id)).find((match) => match !== null)?.[1]);
        const post = await db.post.findUniqueOrThrow({ where: { id: postId } });
        const target: PostTarget = { platform: 'local', postId, cardId: post.cardId, channel: conversation, messageRef: card.id };
        localPosts.push(target);
        const value = 1 + (i % 5);
        const rated = await request(`${base}/api/local/actions`, {
          contentType: 'application/json',
          body: JSON.stringify({ conversation, user: 'admin', messageId: card.id, actionId: `rate:${postId}:${value}` }),
        });
        expect(rated.text).toContain('Recorded');
        setupRatings.set(`${postId}|local:admin`, { value, source: 'button' });
      }
    }
    for (const name of SLACK_NAMES) slackPeople.push(standIn.state.addUser({ id: `U0CHAOS${name.toUpperCase()}`, name }));
    const sam = standIn.state.addUser({ id: 'U0CHAOSSAM', name: 'sam' });
    for (let c = 0; c < SLACK_CHANNELS; c++) {
      const channel = standIn.state.addChannel(`C0CHAOS${c}`);
      for (let i = 0; i < SLACK_POSTS_PER_CHANNEL; i++) {
        const before = standIn.state.messages.length;
        const responseUrl = standIn.responseUrl();
        expect((await sender.slashCommand(slashCommand({ command: '/quiz', channel, user: sam, responseUrl }))).status).toBe(200);
        // "Posted card N" comes through the response_url once the post row knows its message.
        await standIn.waitForResponse((response) => responseUrl.includes(`/${response.id}/`));
        const message = standIn.state.messages.slice(before).find((candidate) => candidate.channel === channel);
        const post = await db.post.findFirstOrThrow({ where: { messageRef: message?.ts ?? '-' } });
        slackPosts.push({ platform: 'slack', postId: post.id, cardId: post.cardId, channel, messageRef: post.messageRef ?? '' });
        const value = 1 + (i % 5);
        const confirmations = standIn.state.ephemerals.length;
        const click = blockAction({ actionId: `rate:${post.id}:${value}`, channel, messageTs: post.messageRef ?? '', user: sam, responseUrl: standIn.responseUrl() });
        expect((await sender.interaction(click)).status).toBe(200);
        await standIn.waitUntil(() => standIn.state.ephemerals.length > confirmations);
        expect(standIn.state.ephemerals.at(-1)?.text).toMatch(/^Recorded/);
        setupRatings.set(`${post.id}|slack:${TEAM_ID}:${sam.id}`, { value, source: 'button' });
      }
    }
    names.set(`slack:${TEAM_ID}:${sam.id}`, sam.name);
    expect(localPosts).toHaveLength(LOCAL_CONVERSATIONS.length * LOCAL_POSTS_PER_CONVERSATION);
    expect(slackPosts).toHaveLength(SLACK_CHANNELS * SLACK_POSTS_PER_CHANNEL);
  }, 180_000);

  afterAll(async () => {
    aborted = true;
    await Promise.allSettled([bot?.stop(), worker?.stop()]);
    await queues?.close().catch(() => undefined);
    await connections?.closeAll();
    await db?.$disconnect();
    await standIn?.close();
    await services?.close();
  });

  /** The number of "Sorry, something went wrong" messages a Slack user has been shown in a channel. */
  function slackApologies(channel: string, user: Person): number {
    return standIn.state.ephemerals.filter((message) => message.channel === channel && message.visibleTo === user.id && message.text?.includes(APOLOGY))
      .length;
  }

  async function ratingMatches(postId: number, userId: string, expected: RatingState | undefined): Promise<boolean> {
    const row = await db.rating.findUnique({ where: { postId_userId: { postId, userId } } });
    if (!expected) return row === null;
    return row !== null && row.value === expected.value && row.source === expected.source;
  }

  /** A local click or reaction, sent again while the bot is unreachable or answers with an apology. */
  async function sendLocal(user: string, op: Op): Promise<void> {
    const { post } = op;
    const [route, body] =
      op.kind === 'button'
        ? ['/api/local/actions', { conversation: post.channel, user, messageId: post.messageRef, actionId: `rate:${post.postId}:${op.value}` }]
        : ['/api/local/reactions', { conversation: post.channel, user, messageId: post.messageRef, emoji: EMOJI[op.value - 1], added: op.added }];
    for (let attempt = 0; ; attempt++) {
      if (aborted) throw new Refused('the test has ended');
      if (attempt > 0) {
        stats.localRetries += 1;
        await sleep(250);
      }
      let answer: { status: number; text: string };
      inFlight.local += 1;
      try {
        answer = await request(`${base}${route}`, { contentType: 'application/json', body: JSON.stringify(body) });
      } catch {
        continue;
      } finally {
        inFlight.local -= 1;
      }
      if (answer.status >= 500) continue;
      if (answer.status !== 200) {
        // What the store holds for that message, to tell a lost message from a wrong request.
        const stored = await connections.create().get(`chaos:local:message:${post.messageRef}`).catch((error: unknown) => String(error));
        throw new Refused(`${route} ${JSON.stringify(body)} answered ${answer.status}: ${answer.text} (phase ${phase}; stored message: ${stored})`);
      }
      if (answer.text.includes(APOLOGY)) {
        // The person is told it failed, and does it again.
        stats.localApologies += 1;
        continue;
      }
      if (op.kind === 'button' && !answer.text.includes('Recorded')) throw new Refused(`unexpected answer to a click: ${answer.text}`);
      return;
    }
  }

  /**
   * A Slack click or reaction, delivered as Slack does: a request that fails is redelivered (events with
   * X-Slack-Retry-Num and the same event_id); a click that got no result is clicked again by the person
   * (a new trigger_id), as is a reaction that never took effect. Success is what the person would see:
   * the rating in place, or an apology.
   */
  async function sendSlack(person: Person, op: Op): Promise<void> {
    const { post } = op;
    const userId = `slack:${TEAM_ID}:${person.id}`;
    const after: RatingState | undefined = op.kind === 'button' ? { value: op.value, source: 'button' } : op.added ? { value: op.value, source: 'reaction' } : undefined;
    const fresh = () =>
      op.kind === 'button'
        ? blockAction({ actionId: `rate:${op.post.postId}:${op.value}`, channel: post.channel, messageTs: post.messageRef, user: person, responseUrl: standIn.responseUrl() })
        : reactionEvent({ added: op.added, reaction: EMOJI[op.value - 1] ?? 'one', channel: post.channel, ts: post.messageRef, user: person });
    let payload = fresh();
    let retryNum = 0;
    for (;;) {
      if (aborted) throw new Refused('the test has ended');
      const apologiesBefore = slackApologies(post.channel, person);
      const sentIn = phase;
      let status: number | undefined;
      try {
        const options = retryNum > 0 ? { retryNum, retryReason: 'http_error' as const } : {};
        status = (op.kind === 'button' ? await sender.interaction(payload) : await sender.event(payload, options)).status;
      } catch {
        status = undefined;
      }
      if (status !== 200) {
        if (status !== undefined && status < 500) throw new Refused(`Slack endpoint answered ${status}`);
        stats.slackRedeliveries += 1;
        if (op.kind === 'button' || retryNum >= 3) {
          payload = fresh();
          retryNum = 0;
        } else {
          retryNum += 1;
        }
        await sleep(300);
        continue;
      }
      const outcome = await settle(post.postId, userId, after, () => slackApologies(post.channel, person) > apologiesBefore);
      if (outcome === 'applied') return;
      if (outcome === 'apology') stats.slackApologies += 1;
      else {
        stats.slackAckedButNotApplied += 1;
        lostByPhase[sentIn] = (lostByPhase[sentIn] ?? 0) + 1;
      }
      payload = fresh();
      retryNum = 0;
    }
  }

  async function settle(postId: number, userId: string, expected: RatingState | undefined, apologised: () => boolean): Promise<'applied' | 'apology' | 'silent'> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await ratingMatches(postId, userId, expected).catch(() => false)) return 'applied';
      if (apologised()) return 'apology';
      await sleep(100);
    }
    return 'silent';
  }

  it('stores every tick and rating exactly once through worker and bot kills and Redis and Postgres restarts', async () => {
    const started = Date.now();
    onTestFinished(() => {
      aborted = true;
    });
    // ---- the traffic -------------------------------------------------------------------------------
    const ticks = makeTicks();
    const resent = Array.from({ length: RESENT_TICKS }, () => ticks[Math.floor(random() * ticks.length)] as SentTick);
    const stream = shuffle([...ticks, ...resent], random);
    const batches: SentTick[][] = [];
    for (let i = 0; i < stream.length; i += TICK_BATCH) batches.push(stream.slice(i, i + TICK_BATCH));

    const lanes: { platform: 'local' | 'slack'; user: string; person?: Person; ops: Op[] }[] = [];
    const expected = new Map<string, RatingState>(setupRatings);
    for (const user of LOCAL_USERS) {
      const { ops, final } = planOps(localPosts, LOCAL_OPS_PER_USER);
      lanes.push({ platform: 'local', user: `local:${user}`, ops });
      for (const [postId, state] of final) if (state) expected.set(`${postId}|local:${user}`, state);
    }
    for (const person of slackPeople) {
      const { ops, final } = planOps(slackPosts, SLACK_OPS_PER_USER);
      const user = `slack:${TEAM_ID}:${person.id}`;
      lanes.push({ platform: 'slack', user, person, ops });
      for (const [postId, state] of final) if (state) expected.set(`${postId}|${user}`, state);
    }
    const totalOps = lanes.reduce((sum, lane) => sum + lane.ops.length, 0);
    expect(totalOps).toBe(2000);

    const tickGate = new WorkGate();
    const ratingGate = new WorkGate();
    const tickWork = new WorkQueue(batches, tickGate);
    let ratingTickets = 0;
    let ratingsDone = 0;
    const failures: Error[] = [];

    const tickLane = async () => {
      for (let work = await tickWork.take(); work; work = await tickWork.take()) {
        // Ticks keep pace with the ratings, so both streams are in flight whenever a fault strikes.
        const index = work.index;
        while (ratingsDone < Math.floor((index * totalOps) / batches.length) && failures.length === 0) await sleep(50);
        const body = JSON.stringify(work.item);
        for (let attempt = 0; ; attempt++) {
          if (aborted) throw new Refused('the test has ended');
          if (attempt > 0) {
            stats.tickRetries += 1;
            await sleep(300);
          }
          stats.tickRequests += 1;
          let answer: { status: number; text: string };
          inFlight.ticks += 1;
          try {
            answer = await request(`${base}/api/ticks`, { contentType: 'application/json', body }, 90_000);
          } catch {
            continue;
          } finally {
            inFlight.ticks -= 1;
          }
          if (answer.status >= 500) continue;
          if (answer.status === 202) {
            stats.tickPending += 1;
          } else if (answer.status === 200) {
            const summary = JSON.parse(answer.text) as { stored: number; storedLate: number; duplicates: number; rejected: number };
            stats.tickStored += summary.stored + summary.storedLate;
            stats.tickDuplicates += summary.duplicates;
            stats.tickRejected += summary.rejected;
          } else {
            throw new Refused(`POST /api/ticks answered ${answer.status}: ${answer.text}`);
          }
          break;
        }
        tickWork.done += 1;
      }
    };
    const ratingLane = async (lane: (typeof lanes)[number]) => {
      for (const op of lane.ops) {
        await ratingGate.pass(ratingTickets++);
        if (lane.platform === 'local') await sendLocal(lane.user.slice('local:'.length), op);
        else await sendSlack(lane.person as Person, op);
        ratingsDone += 1;
      }
    };
    const traffic = Promise.all([
      ...[0, 1].map(() => tickLane()),
      ...lanes.map((lane) => ratingLane(lane)),
    ]).catch((error: unknown) => {
      failures.push(error as Error);
      // Unblock the orchestrator: nothing more will arrive.
      tickGate.open(Number.MAX_SAFE_INTEGER);
      ratingGate.open(Number.MAX_SAFE_INTEGER);
    });

    /** Opens the traffic up to `fraction` of the total and waits until `waitFraction` of it is done. */
    const advance = async (fraction: number, waitFraction: number, ticksToo = true) => {
      if (ticksToo) tickGate.open(Math.ceil(batches.length * fraction));
      ratingGate.open(Math.ceil(totalOps * fraction));
      const deadline = Date.now() + 200_000;
      const reached = () =>
        tickWork.done >= Math.floor(batches.length * (ticksToo ? waitFraction : 0)) && ratingsDone >= Math.floor(totalOps * waitFraction);
      while (!reached()) {
        if (failures.length > 0) throw new Error(`the traffic failed: ${failures[0]?.message}\n${await diagnose()}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${Math.round(waitFraction * 100)}% of the traffic\n${await diagnose()}`);
        await sleep(100);
      }
    };
    /** Where everything stands, for a failure message. */
    const diagnose = async () => {
      const counts = await queues.ticks.getJobCounts().catch((error: unknown) => String(error));
      return [
        `phase ${phase}; tick batches done ${tickWork.done}/${batches.length}; ratings done ${ratingsDone}/${totalOps}; in flight ${JSON.stringify(inFlight)}`,
        `unexpected exits: ${JSON.stringify([...bot.unexpectedExits, ...worker.unexpectedExits].map((exit) => `${exit.role} ${exit.code ?? exit.signal}`))}`,
        `stats ${JSON.stringify(stats)}; tick queue ${JSON.stringify(counts)}`,
        `bot (pid ${bot.pid}) output:\n${bot.output().slice(-4000)}`,
        `worker (pid ${worker.pid}) output:\n${worker.output().slice(-4000)}`,
      ].join('\n');
    };
    const faults: string[] = [];

    // ---- 1. the worker, SIGKILLed inside a tick batch's transaction --------------------------------
    await advance(0.1, 0.1);
    await advance(0.2, 0.1, false);
    // Every close row no batch holds right now is locked: the next batch to touch one inserts its ticks,
    // then waits on it, inside its transaction.
    const rowLock = await holdLocks(services.databaseUrl, [{ text: 'SELECT 1 FROM "DailyClose" FOR UPDATE SKIP LOCKED' }]);
    tickGate.open(Math.ceil(batches.length * 0.2));
    const blocked = await eventually(
      async () => {
        const waiters = await lockWaiters(services.databaseUrl, rowLock.pid);
        return waiters.find((waiter) => waiter.query.includes('INSERT INTO "DailyClose"'));
      },
      60_000,
      'a tick batch waiting inside its transaction',
    );
    const activeAtKill = (await queues.ticks.getActive()).map((job) => job.id ?? '');
    expect(activeAtKill.length).toBeGreaterThan(0);
    await worker.kill('SIGKILL');
    await rowLock.release();
    // The killed worker's connection is gone: its transaction is rolled back, never committed.
    await eventually(
      async () => ((await sql(services.databaseUrl, 'SELECT 1 FROM pg_stat_activity WHERE pid = $1', [blocked.pid])).length === 0 ? true : undefined),
      30_000,
      'the killed worker’s backend to end',
    );
    await worker.start();
    phase = 'after worker kill';
    faults.push(`worker SIGKILL with ${activeAtKill.length} batch(es) mid-transaction`);

    // ---- 2. the bot, SIGKILLed with a click inside its handler and tick batches awaiting the worker ----
    await advance(0.4, 0.3);
    phase = 'bot kill';
    const probePost = localPosts[0] as PostTarget;
    const freeze = await holdLocks(services.databaseUrl, [
      { text: 'SELECT 1 FROM "DailyClose" FOR UPDATE SKIP LOCKED' },
      { text: 'SELECT pg_advisory_lock(hashtext($1), $2::int)', values: ['local:probe', probePost.cardId] },
    ]);
    const probeBody = JSON.stringify({ conversation: probePost.channel, user: 'probe', messageId: probePost.messageRef, actionId: `rate:${probePost.postId}:3` });
    const probe = request(`${base}/api/local/actions`, { contentType: 'application/json', body: probeBody }).then(
      () => 'answered' as const,
      () => 'cut off' as const,
    );
    await eventually(
      async () => {
        const waiters = await lockWaiters(services.databaseUrl, freeze.pid);
        const clickWaits = waiters.some((waiter) => waiter.waitEvent === 'advisory');
        const batchWaits = waiters.some((waiter) => waiter.query.includes('INSERT INTO "DailyClose"'));
        return clickWaits && batchWaits && inFlight.ticks > 0 ? true : undefined;
      },
      30_000,
      'the probe click inside the bot and a tick request awaiting its batch',
    );
    const inFlightAtBotKill = { ...inFlight };
    await bot.kill('SIGKILL');
    await freeze.release();
    expect(await probe).toBe('cut off');
    await bot.start();
    // The probe's client retries like everyone else's; the click must count once.
    const probeRetry = await request(`${base}/api/local/actions`, { contentType: 'application/json', body: probeBody });
    expect(probeRetry.status).toBe(200);
    expect(probeRetry.text).toContain('Recorded');
    expected.set(`${probePost.postId}|local:probe`, { value: 3, source: 'button' });
    phase = 'after bot kill';
    faults.push(
      `bot SIGKILL with a click mid-handler, ${inFlightAtBotKill.ticks} tick request(s) and ${inFlightAtBotKill.local} local rating request(s) in flight`,
    );

    // ---- 3. Redis, stopped (SIGTERM) and started again on its append-only file ---------------------
    await advance(0.6, 0.5);
    const jobIdsBefore = new Set(
      (await queues.ticks.getJobs(['completed', 'waiting', 'delayed', 'failed', 'prioritized'])).map((job) => job.id ?? ''),
    );
    const trainingBefore = await queues.training.getDelayedCount();
    phase = 'Redis restart';
    await services.restartRedis();
    const jobIdsAfter = new Set(
      (await queues.ticks.getJobs(['completed', 'waiting', 'delayed', 'failed', 'active', 'prioritized'])).map((job) => job.id ?? ''),
    );
    expect([...jobIdsBefore].filter((id) => !jobIdsAfter.has(id))).toEqual([]);
    expect(await queues.training.getDelayedCount()).toBe(trainingBefore);
    phase = 'after Redis restart';
    faults.push(`Redis restart (${jobIdsBefore.size} tick jobs and ${trainingBefore} delayed retrains kept)`);

    // ---- 4. Postgres, fast shutdown and start on the same port --------------------------------------
    await advance(0.8, 0.7);
    phase = 'Postgres restart';
    await services.restartPostgres();
    faults.push('Postgres restart (fast shutdown)');
    await sleep(1000);
    phase = 'after Postgres restart';

    // ---- the rest of the traffic, then the queue drains ---------------------------------------------
    await advance(1, 1);
    await traffic;
    if (failures.length > 0) throw failures[0];
    await eventually(
      async () => {
        const counts = await queues.ticks.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        return Object.values(counts).every((count) => count === 0) ? true : undefined;
      },
      120_000,
      'the tick queue to drain',
    );
    expect(await queues.ticks.getJobCountByTypes('failed')).toBe(0);
    expect(stats.tickRejected).toBe(0);
    for (const id of activeAtKill) expect(await queues.ticks.getJobState(id)).toBe('completed');

    // ---- ticks: each exactly once, closes derived from them ----------------------------------------
    const sentByKey = new Map(ticks.map((tick) => [`${tick.symbol}|${Date.parse(tick.ts)}`, tick]));
    const stored = await sql<{ code: string; ms: string; price: number }>(
      services.databaseUrl,
      `SELECT s."code", (extract(epoch FROM t."ts") * 1000)::bigint AS ms, t."price" FROM "Tick" t JOIN "Symbol" s ON s."id" = t."symbolId"`,
    );
    expect(stored).toHaveLength(sentByKey.size);
    const mismatched = stored.filter((row) => sentByKey.get(`${row.code}|${row.ms}`)?.price !== row.price);
    expect(mismatched).toEqual([]);

    const lastOfDay = new Map<string, SentTick>();
    for (const tick of ticks) {
      const key = `${tick.symbol}|${tick.ts.slice(0, 10)}`;
      const seen = lastOfDay.get(key);
      if (!seen || seen.ts < tick.ts) lastOfDay.set(key, tick);
    }
    const closes = await db.dailyClose.findMany({ include: { symbol: { select: { code: true } } } });
    expect(closes).toHaveLength(lastOfDay.size);
    const wrongCloses = closes.filter((close) => {
      const last = lastOfDay.get(`${close.symbol.code}|${close.day}`);
      return !last || last.price !== close.close || Date.parse(last.ts) !== close.closeTs.getTime();
    });
    expect(wrongCloses).toEqual([]);

    // ---- ratings: one row per (post, user), the value the sender last set --------------------------
    const ratings = await db.rating.findMany({ include: { post: { select: { cardId: true, conversation: { select: { ref: true } } } } } });
    const actual = new Map(ratings.map((rating) => [`${rating.postId}|${rating.userId}`, { value: rating.value, source: rating.source }]));
    expect(ratings).toHaveLength(expected.size);
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));

    // ---- FSRS: each (user, card) state is the replay of that user's ratings of the card ------------
    const reviewsByUserCard = new Map<string, { confidence: number; at: Date }[]>();
    for (const rating of ratings) {
      const key = `${rating.userId}|${rating.post.cardId}`;
      reviewsByUserCard.set(key, [...(reviewsByUserCard.get(key) ?? []), { confidence: rating.value, at: rating.ratedAt }]);
    }
    const states = await db.reviewState.findMany();
    expect(states.map((state) => `${state.userId}|${state.cardId}`).sort()).toEqual([...reviewsByUserCard.keys()].sort());
    for (const state of states) {
      expect(toFsrsCard(state), `${state.userId} card ${state.cardId}`).toEqual(replayReviews(reviewsByUserCard.get(`${state.userId}|${state.cardId}`) ?? []));
    }

    // ---- leaderboards: /stats in every conversation counts what was rated there --------------------
    for (const user of LOCAL_USERS) names.set(`local:${user}`, user);
    for (const person of slackPeople) names.set(`slack:${TEAM_ID}:${person.id}`, person.name);
    const postRefs = new Map([...localPosts, ...slackPosts].map((post) => [post.postId, post.platform === 'local' ? `local:${post.channel}` : `slack:${TEAM_ID}:${post.channel}`]));
    /**
     * What the senders meant to leave in a conversation: one review per (post, user) still rated; the
     * board shows the top 10 by reviews, ties by user id.
     */
    const expectedBoard = (ref: string) => {
      const counts = new Map<string, number>();
      for (const key of expected.keys()) {
        const [postId, userId] = key.split('|') as [string, string];
        if (postRefs.get(Number(postId)) === ref) counts.set(userId, (counts.get(userId) ?? 0) + 1);
      }
      return [...counts]
        .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
        .slice(0, 10)
        .map(([userId, reviews]) => `${names.get(userId) ?? userId} ${reviews}`);
    };
    const parseBoard = (text: string) => [...text.matchAll(/^\d+\. (\S+) — (\d+) reviews?$/gm)].map((match) => `${match[1]} ${match[2]}`);
    const boards: Record<string, string[]> = {};
    for (const conversation of LOCAL_CONVERSATIONS) {
      const answer = await request(`${base}/api/local/messages`, {
        contentType: 'application/json',
        body: JSON.stringify({ conversation, user: 'admin', text: '/stats' }),
      });
      const reply = (JSON.parse(answer.text) as { replies: { text: string }[] }).replies[0]?.text ?? '';
      boards[`local:${conversation}`] = parseBoard(reply);
      expect(boards[`local:${conversation}`], reply).toEqual(expectedBoard(`local:${conversation}`));
    }
    for (const channel of [...new Set(slackPosts.map((post) => post.channel))]) {
      const responseUrl = standIn.responseUrl();
      const delivery = await sender.slashCommand(slashCommand({ command: '/stats', channel, user: slackPeople[0] as Person, responseUrl }));
      expect(delivery.status).toBe(200);
      const answer = await standIn.waitForResponse((post) => responseUrl.includes(`/${post.id}/`));
      const text = String(answer.body.text ?? '');
      boards[`slack:${channel}`] = parseBoard(text);
      expect(boards[`slack:${channel}`], text).toEqual(expectedBoard(`slack:${TEAM_ID}:${channel}`));
    }

    // Slack is answered 200 only once a rating is stored, so nothing it saw acknowledged may be missing.
    expect(stats.slackAckedButNotApplied, JSON.stringify(lostByPhase)).toBe(0);
    // No process may die on its own (one that did was restarted, so the counts above still hold).
    const exits = [...bot.unexpectedExits, ...worker.unexpectedExits];
    expect(exits.map((exit) => `${exit.role} (${exit.code ?? exit.signal}): ${exit.tail}`)).toEqual([]);

    const seconds = Math.round((Date.now() - started) / 1000);
    const bySource = (platform: string) => ratings.filter((rating) => rating.userId.startsWith(platform)).length;
    console.log(
      `fault-suite: ${ticks.length} distinct ticks sent (${stream.length} with resends) in ${stats.tickRequests} requests ` +
        `(${stats.tickRetries} retried, ${stats.tickPending} answered 202) → ${stored.length} stored once, ${closes.length} daily closes correct; ` +
        `${totalOps} rating operations (${lanes.filter((lane) => lane.platform === 'local').reduce((sum, lane) => sum + lane.ops.length, 0)} local, ` +
        `${lanes.filter((lane) => lane.platform === 'slack').reduce((sum, lane) => sum + lane.ops.length, 0)} Slack) → ${ratings.length} ratings ` +
        `(${bySource('local:')} local, ${bySource('slack:')} Slack) exactly once, ${states.length} FSRS states replayed, ` +
        `leaderboards ${JSON.stringify(boards)}; local retries ${stats.localRetries} (apologies ${stats.localApologies}), ` +
        `Slack redeliveries ${stats.slackRedeliveries}, Slack apologies ${stats.slackApologies}, ` +
        `Slack acknowledged-but-not-applied ${stats.slackAckedButNotApplied} ${JSON.stringify(lostByPhase)}; faults: ${faults.join('; ')}; ` +
        `bot started ${bot.starts}×, worker ${worker.starts}× (${exits.length} of those after dying on their own); ${seconds} s`,
    );
  }, 300_000);

  /*
   * The gap this pins shut: Slack never redelivers a request it saw answered 200, so the answer must not
   * go out before the rating is stored. The click is made to wait inside the bot (its (user, card) lock
   * held here), the bot is killed while it waits, and the same request is sent again after the restart:
   * the first delivery must not have been answered 200, and the second must store the rating — its
   * delivery id was claimed only inside the rating's transaction, which died with the bot.
   */
  it('a Slack click the bot is killed on before storing is not acknowledged, and its redelivery is stored once', async () => {
    const post = slackPosts[0] as PostTarget;
    const person = standIn.state.addUser({ id: 'U0CHAOSPROBE', name: 'slackprobe' });
    const userId = `slack:${TEAM_ID}:${person.id}`;
    const lock = await holdLocks(services.databaseUrl, [{ text: 'SELECT pg_advisory_lock(hashtext($1), $2::int)', values: [userId, post.cardId] }]);
    const click = blockAction({ actionId: `rate:${post.postId}:4`, channel: post.channel, messageTs: post.messageRef, user: person, responseUrl: standIn.responseUrl() });
    const delivery = sender.interaction(click).then(
      (answer) => answer.status,
      () => undefined,
    );
    try {
      await eventually(
        async () => ((await lockWaiters(services.databaseUrl, lock.pid)).some((waiter) => waiter.waitEvent === 'advisory') ? true : undefined),
        30_000,
        'the click to wait inside the bot',
      );
      await bot.kill('SIGKILL');
    } finally {
      await lock.release();
    }
    expect(await delivery).not.toBe(200);
    expect(await db.rating.findUnique({ where: { postId_userId: { postId: post.postId, userId } } })).toBeNull();
    await bot.start();
    // The same request once more (Slack's retry of an event, or a replay): processed, not taken for a duplicate.
    expect((await sender.interaction(click)).status).toBe(200);
    const rating = await db.rating.findUnique({ where: { postId_userId: { postId: post.postId, userId } } });
    expect(rating?.value).toBe(4);
    expect((await sender.interaction(click)).status).toBe(200);
    expect(await db.rating.count({ where: { userId } })).toBe(1);
  }, 120_000);

  it('the app’s Prisma client survives Postgres terminating its connections while its pool is busy', async () => {
    const url = await services.createDatabase('probe');
    const probe = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./pool-crash-probe.ts', import.meta.url))], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    probe.stdout.on('data', (chunk: Buffer) => (output += chunk));
    probe.stderr.on('data', (chunk: Buffer) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => probe.once('exit', resolve));
    expect(code, output.slice(-3000)).toBe(0);
    expect(output).toMatch(/survived/);
  }, 120_000);
});
