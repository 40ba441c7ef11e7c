import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackAdapter } from '../../src/bot/slack/adapter.js';
import { registerSymbol } from '../../src/shared/repositories/symbol-repository.js';
import { blockAction, type Person, reactionEvent, slashCommand } from '../slack/stand-in/payloads.js';
import { type SendOptions, type SlackSender, slackSignature } from '../slack/stand-in/sender.js';
import type { SlackStandIn } from '../slack/stand-in/web-api.js';
import { SIGNING_SECRET } from '../slack/stand-in/wire.js';
import { startTestBot, type TestBot } from '../support/bot.js';
import { runCli } from '../support/processes.js';
import { type SlackTestStack, startSlackTestStack, type TestStack } from '../support/stack.js';

/*
 * Bad input at every edge — deck files (CLI and chat), chat text, ticks, action ids, Slack requests,
 * admin commands, garbage bodies on every HTTP route — each answered with a clear error that changes
 * nothing; and property-based fuzzing (fast-check) of the tick API and the deck import.
 */

const DECK_MAX_BYTES = 8192;
const TICKS_MAX_BATCH = 50;
const APOLOGY = /Sorry, something went wrong/;
/** Fixed so CI is repeatable; set FUZZ_SEED to explore other inputs. */
const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_260_308);

let slackStack: SlackTestStack;
let stack: TestStack;
let standIn: SlackStandIn;
let slack: SlackAdapter;
let sender: SlackSender;
let realDeck: string;

beforeAll(async () => {
  slackStack = await startSlackTestStack({
    TRAIN_DEBOUNCE_MS: '600000',
    DECK_MAX_BYTES: String(DECK_MAX_BYTES),
    TICKS_MAX_BATCH: String(TICKS_MAX_BATCH),
  });
  ({ stack, standIn, slack, sender } = slackStack);
  realDeck = await readFile('decks/rnn-flashcards.txt', 'utf8');
  await registerSymbol(db(), 'GOOD');
  // A deck, a card in a local conversation and one in a Slack channel, to aim bad requests at.
  expect((await say('admin', `/deck import`, 'general', deckAttachment(realDeck))).text).toMatch(/9 new/);
  await say('admin', '/quiz', 'general');
}, 120_000);

afterAll(async () => {
  await slackStack?.close();
});

const db = () => stack.bot.core.db;

interface Reply {
  text: string;
  visibleTo?: string;
}

function deckAttachment(content: string | Buffer, name = 'deck.txt') {
  return { name, contentBase64: Buffer.from(content).toString('base64') };
}

async function post(url: string, body: string | Buffer, contentType = 'application/json'): Promise<{ status: number; text: string; json: Record<string, unknown> | undefined }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** Types into the local chat; the bot's first reply. */
async function say(user: string, text: string, conversation = 'general', attachment?: { name: string; contentBase64: string }): Promise<Reply> {
  const answer = await post(`${stack.base}/api/local/messages`, JSON.stringify({ conversation, user, text, ...(attachment ? { attachment } : {}) }));
  expect(answer.status, answer.text).toBe(200);
  const replies = (answer.json?.replies ?? []) as Reply[];
  return replies[0] ?? { text: '' };
}

/** Everything a refused input could have changed: every table, every queue, every Slack write. */
async function footprint(options: { ignoreDeliveryLedger?: boolean } = {}) {
  const d = db();
  const q = stack.bot.core.queues;
  const tables = await Promise.all([
    d.deck.count(),
    d.card.count(),
    d.conversation.count(),
    d.quizSubscription.count(),
    d.post.count(),
    d.chatUser.count(),
    d.rating.count(),
    d.reviewState.count(),
    d.symbol.count(),
    d.tick.count(),
    d.dailyClose.count(),
    d.forecastSubscription.count(),
    options.ignoreDeliveryLedger ? -1 : d.processedEvent.count(),
  ]);
  // Pending and failed jobs and schedulers; a completed job's record is history, not a change (a tick of
  // an unregistered symbol passes validation and is refused by the worker, in a job).
  const queues = await Promise.all(
    [q.dailyQuiz, q.outbox, q.sentiment, q.ticks, q.training, q.forecastPosts].map(async (queue) => [
      await queue.count(),
      await queue.getJobCountByTypes('failed'),
      await queue.getJobSchedulersCount(),
    ]),
  );
  const slackWrites = standIn.calls.filter((call) => /^(chat\.(postMessage|update)|reactions|files)\./.test(call.method)).length;
  return { tables, queues, slackWrites };
}

/** Runs `act` and expects it to have changed nothing. */
async function unchanged<T>(act: () => Promise<T>, options: { ignoreDeliveryLedger?: boolean } = {}): Promise<T> {
  const before = await footprint(options);
  const result = await act();
  await slack.idle();
  expect(await footprint(options)).toEqual(before);
  return result;
}

const CARD = (number: number, question: string, answer: string) =>
  `${number}\nQ\n${question}\nA\n${answer}\nHow well did you know this?\n1\nNot at all\n2\n3\n4\n5\nPerfectly\n`;

describe('decks', () => {
  const malformed: [string, string | Buffer, RegExp][] = [
    ['an empty file', '', /not imported: line 1: expected card number 1, found end of file/],
    ['a title and nothing else', 'Just a title\n', /not imported: line 2: expected card number 1, found end of file/],
    ['a question with no answer marker', 'Deck\n1\nQ\nWhat?\n', /not imported: line 5: expected "A" after the question, found end of file/],
    ['an answer with no footer', 'Deck\n1\nQ\nWhat?\nA\nThat.\n', /not imported: line 7: expected "How well did you know this\?" after the answer/],
    ['cards out of order', `Deck\n${CARD(1, 'a', 'b')}${CARD(3, 'c', 'd')}`, /not imported: line \d+: expected card number 2 or end of file, found "3"/],
    ['no "Q" after the number', 'Deck\n1\nWhat?\nA\nThat.\n', /not imported: line 3: expected "Q", found "What\?"/],
    ['only empty cards', `Deck\n1\nQ\n\nA\n\nHow well did you know this?\n`, /not imported: it has no cards/],
    ['a PNG image', Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0c1d3a40000000049454e44ae426082', 'hex'), /not imported: line \d+: expected text without NUL characters/],
  ];

  it.each(malformed)('chat import refuses %s with the parser’s line and reason, storing nothing', async (_name, content, message) => {
    const reply = await unchanged(() => say('admin', '/deck import', 'general', deckAttachment(content)));
    expect(reply.text).toMatch(message);
    expect(reply.visibleTo).toBe('admin');
  });

  it('chat import refuses an oversized deck before reading it, a missing attachment, and a non-admin', async () => {
    const oversized = `Big deck\n${CARD(1, 'q'.repeat(DECK_MAX_BYTES), 'a')}`;
    expect((await unchanged(() => say('admin', '/deck import', 'general', deckAttachment(oversized)))).text).toMatch(
      new RegExp(`That file is \\d+ bytes; decks may be at most ${DECK_MAX_BYTES} bytes\\.`),
    );
    expect((await unchanged(() => say('admin', '/deck import'))).text).toMatch(/Attach or link the deck file/);
    expect((await unchanged(() => say('mallory', '/deck import', 'general', deckAttachment(realDeck)))).text).toMatch(/Only an admin/);
  });

  it('the CLI refuses malformed, oversized and binary files and a missing path with exit code 1 and the reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quizcast-bad-deck-'));
    try {
      const files = {
        malformed: 'Deck\n1\nQ\nWhat?\n',
        oversized: `Big\n${CARD(1, 'q'.repeat(3000), 'a')}`,
        binary: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 73 + 11) % 256)),
      };
      for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
      const env = { DATABASE_URL: stack.databaseUrl, LOG_LEVEL: 'warn', DECK_MAX_BYTES: '2048', QUIZCAST_STATE_DIR: dir };
      const results = await unchanged(() =>
        Promise.all(['malformed', 'oversized', 'binary', 'missing'].map((name) => runCli(['deck', 'import', path.join(dir, name)], env))),
      );
      const [malformedRun, oversizedRun, binaryRun, missingRun] = results;
      expect(results.map((result) => result.code)).toEqual([1, 1, 1, 1]);
      expect(malformedRun?.stderr).toMatch(/^quizcast: The deck was not imported: line 5: expected "A" after the question, found end of file\.$/m);
      expect(oversizedRun?.stderr).toMatch(/^quizcast: The deck was not imported: line 0: expected a deck of at most 2048 bytes, found "\d+ bytes"\.$/m);
      expect(binaryRun?.stderr).toMatch(/^quizcast: The deck was not imported: line \d+: expected (card number 1|text without NUL characters)/m);
      expect(missingRun?.stderr).toMatch(/^quizcast: ENOENT: no such file or directory/m);
      for (const result of results) {
        expect(result.stdout).toBe('');
        // One clear line, no stack trace.
        expect(result.stderr).not.toMatch(/^\s+at /m);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  // The chat measures the decoded size (it once counted base64 padding and refused this deck).
  it('chat import accepts a deck of exactly DECK_MAX_BYTES bytes', async () => {
    const head = `Boundary deck\n${CARD(1, 'How big may a deck be?', '')}`;
    const deck = head.replace('\nHow well', `${'x'.repeat(DECK_MAX_BYTES - Buffer.byteLength(head))}\nHow well`);
    expect(Buffer.byteLength(deck)).toBe(DECK_MAX_BYTES);
    expect((await say('admin', '/deck import', 'general', deckAttachment(deck))).text).toMatch(/Deck “Boundary deck”: 1 new/);
  });

  // Postgres text cannot hold U+0000: the parser refuses it (it once reached the insert as a fault).
  it('refuses a deck with a NUL byte with a clear parse error', async () => {
    const reply = await unchanged(() => say('admin', '/deck import', 'general', deckAttachment(`Deck\n${CARD(1, 'What is\u0000this?', 'A NUL.')}`)));
    expect(reply.text).not.toMatch(APOLOGY);
    expect(reply.text).toMatch(/not imported/);
  });
});

describe('chat text', () => {
  it('refuses a message over 4000 characters, bad names, and bodies that are not the API’s JSON', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ conversation: 'general', user: 'ann', text: 'x'.repeat(4001) }, /text: messages are at most 4000 characters/],
      [{ conversation: 'General Chat', user: 'ann', text: 'hi' }, /conversation: channel names are lowercase letters/],
      [{ conversation: 'general', user: 'ann smith', text: 'hi' }, /user: user names are letters, digits/],
      [{ conversation: 'general', user: '', text: 'hi' }, /user: a user name is required/],
      [{ conversation: 'general', user: 'ann', text: 42 }, /text: Invalid input: expected string/],
      [{ conversation: 'general', user: 'ann' }, /text: Invalid input/],
      [{ conversation: 'general', user: 'ann', text: '/deck import', attachment: { name: 'd.txt', contentBase64: 7 } }, /attachment\.contentBase64/],
    ];
    for (const [body, message] of cases) {
      const answer = await unchanged(() => post(`${stack.base}/api/local/messages`, JSON.stringify(body)));
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json).toMatchObject({ error: 'invalid_input', message: expect.stringMatching(message) });
    }
  });

  it('treats control characters, lone surrogates and NULs in text as text: chat is stored, commands answer usage errors', async () => {
    const binary = '\u0000\u0001\u0002\u001b[31m\ud800\udfff\ufffe\uffff';
    const chat = await unchanged(() => post(`${stack.base}/api/local/messages`, JSON.stringify({ conversation: 'general', user: 'ann', text: binary })));
    expect(chat.status).toBe(200);
    expect((await unchanged(() => say('ann', `/stats ${binary}`))).text).toMatch(/^Usage: \/stats/);
    expect((await unchanged(() => say('admin', `/subscribe ${binary}`))).text).not.toMatch(APOLOGY);
    expect((await unchanged(() => say('ann', `/forecast ${binary}`))).text).toMatch(/is not a symbol/);
    expect((await unchanged(() => say('ann', `/${binary}`))).text).toBe('');
    expect((await unchanged(() => say('ann', '/nosuchcommand'))).text).toMatch(/There is no \/nosuchcommand command/);
  });

  it('/sentiment refuses empty and over-long text before anything is queued, and scores binary text without a fault', async () => {
    expect((await unchanged(() => say('ann', '/sentiment'))).text).toMatch(/^Usage: `\/sentiment <text>`/);
    expect((await unchanged(() => say('ann', '/sentiment    '))).text).toMatch(/^Usage/);
    expect((await unchanged(() => say('ann', `/sentiment ${'é'.repeat(2001)}`))).text).toMatch(/That text is 2001 characters; \/sentiment reads at most 2000/);
    const answer = await post(`${stack.base}/api/local/messages`, JSON.stringify({ conversation: 'general', user: 'ann', text: '/sentiment \u0000\u0007\ud800 \u{1F600}' }));
    expect(answer.status).toBe(200);
    const texts = ((answer.json?.replies ?? []) as Reply[]).map((reply) => reply.text);
    expect(texts.join('\n')).not.toMatch(APOLOGY);
    expect(texts.at(-1)).toMatch(/\*\*Sentiment:\*\*/);
  });
});

describe('ticks', () => {
  const tsOk = '2025-06-02T15:00:00Z';
  const future = () => new Date(Date.now() + 3_600_000).toISOString();
  const kinds: [string, unknown, string][] = [
    ['a string', 'tick', 'malformed'],
    ['a number', 42, 'malformed'],
    ['null', null, 'malformed'],
    ['an array', [1, 2], 'malformed'],
    ['a boolean', true, 'malformed'],
    ['no symbol', { ts: tsOk, price: 1 }, 'invalid_symbol'],
    ['an empty symbol', { symbol: '  ', ts: tsOk, price: 1 }, 'invalid_symbol'],
    ['a symbol with a space', { symbol: 'GO OD', ts: tsOk, price: 1 }, 'invalid_symbol'],
    ['a 21-character symbol', { symbol: 'A'.repeat(21), ts: tsOk, price: 1 }, 'invalid_symbol'],
    ['a symbol starting with -', { symbol: '-GOOD', ts: tsOk, price: 1 }, 'invalid_symbol'],
    ['a non-ASCII symbol', { symbol: 'ÄPFEL', ts: tsOk, price: 1 }, 'invalid_symbol'],
    ['a numeric symbol', { symbol: 7, ts: tsOk, price: 1 }, 'invalid_symbol'],
    ['an object symbol', { symbol: { code: 'GOOD' }, ts: tsOk, price: 1 }, 'invalid_symbol'],
    ['no price', { symbol: 'GOOD', ts: tsOk }, 'invalid_price'],
    ['price 0', { symbol: 'GOOD', ts: tsOk, price: 0 }, 'invalid_price'],
    ['a negative price', { symbol: 'GOOD', ts: tsOk, price: -1 }, 'invalid_price'],
    ['price "NaN"', { symbol: 'GOOD', ts: tsOk, price: 'NaN' }, 'invalid_price'],
    ['price "Infinity"', { symbol: 'GOOD', ts: tsOk, price: 'Infinity' }, 'invalid_price'],
    ['price "1e999"', { symbol: 'GOOD', ts: tsOk, price: '1e999' }, 'invalid_price'],
    ['price ""', { symbol: 'GOOD', ts: tsOk, price: '' }, 'invalid_price'],
    ['price "abc"', { symbol: 'GOOD', ts: tsOk, price: 'abc' }, 'invalid_price'],
    ['a boolean price', { symbol: 'GOOD', ts: tsOk, price: true }, 'invalid_price'],
    ['an array price', { symbol: 'GOOD', ts: tsOk, price: [1] }, 'invalid_price'],
    ['no timestamp', { symbol: 'GOOD', price: 1 }, 'invalid_timestamp'],
    ['a timestamp without a zone', { symbol: 'GOOD', ts: '2025-06-02T15:00:00', price: 1 }, 'invalid_timestamp'],
    ['a date only', { symbol: 'GOOD', ts: '2025-06-02', price: 1 }, 'invalid_timestamp'],
    ['a space instead of T', { symbol: 'GOOD', ts: '2025-06-02 15:00Z', price: 1 }, 'invalid_timestamp'],
    ['words', { symbol: 'GOOD', ts: 'yesterday', price: 1 }, 'invalid_timestamp'],
    ['month 13', { symbol: 'GOOD', ts: '2025-13-02T15:00:00Z', price: 1 }, 'invalid_timestamp'],
    ['year 0000', { symbol: 'GOOD', ts: '0000-01-01T00:00:00Z', price: 1 }, 'invalid_timestamp'],
    ['epoch 0', { symbol: 'GOOD', ts: 0, price: 1 }, 'invalid_timestamp'],
    ['negative epoch', { symbol: 'GOOD', ts: -5, price: 1 }, 'invalid_timestamp'],
    ['fractional epoch', { symbol: 'GOOD', ts: 1_700_000_000_000.5, price: 1 }, 'invalid_timestamp'],
    ['an unsafe integer', { symbol: 'GOOD', ts: 2 ** 60, price: 1 }, 'invalid_timestamp'],
    ['an epoch string', { symbol: 'GOOD', ts: '1700000000000', price: 1 }, 'invalid_timestamp'],
    ['an hour ahead', { symbol: 'GOOD', ts: future(), price: 1 }, 'future_timestamp'],
    ['a day ahead in epoch ms', { symbol: 'GOOD', ts: Date.now() + 86_400_000, price: 1 }, 'future_timestamp'],
    ['an unregistered symbol', { symbol: 'NOPE', ts: tsOk, price: 1 }, 'unknown_symbol'],
  ];

  it('refuses every bad kind of tick with its own reason and a message, storing nothing', async () => {
    const answer = await unchanged(() => post(`${stack.base}/api/ticks`, JSON.stringify(kinds.map(([, tick]) => tick))));
    expect(answer.status, answer.text).toBe(200);
    const results = answer.json?.results as { index: number; status: string; reason?: string; message?: string }[];
    expect(results.map((result) => `${kinds[result.index]?.[0]}: ${result.reason}`)).toEqual(kinds.map(([name, , reason]) => `${name}: ${reason}`));
    for (const result of results) expect(result.message, JSON.stringify(result)).toMatch(/\w{3}/);
    expect(answer.json).toMatchObject({ accepted: 0, stored: 0, rejected: kinds.length });
  });

  it('refuses batches that are not arrays, empty, too large, or in an unknown media type', async () => {
    const cases: [string, string, number, RegExp][] = [
      ['application/json', '{"symbol":"GOOD"}', 400, /Send a JSON array/],
      ['application/json', '"GOOD"', 400, /Send a JSON array/],
      ['application/json', '[]', 400, /The batch is empty/],
      ['application/json', JSON.stringify(Array.from({ length: TICKS_MAX_BATCH + 1 }, () => ({ symbol: 'GOOD', ts: tsOk, price: 1 }))), 413, /At most 50 ticks per request/],
      ['text/plain', 'GOOD,2025-06-02,1', 400, /Send a JSON array/],
      ['application/xml', '<ticks/>', 415, /Unsupported Media Type/],
    ];
    for (const [contentType, body, status, message] of cases) {
      const answer = await unchanged(() => post(`${stack.base}/api/ticks`, body, contentType));
      expect(answer.status, `${contentType} ${body.slice(0, 40)}: ${answer.text}`).toBe(status);
      expect(String(answer.json?.message)).toMatch(message);
    }
  });

  it('reads NDJSON line by line: a garbage line is a malformed tick, not a lost batch', async () => {
    const lines = ['{"symbol":"NOPE","ts":"2025-06-02T15:00:00Z","price":1}', '{not json', '[1,2]', '', '   ', '"GOOD"'].join('\n');
    const answer = await unchanged(() => post(`${stack.base}/api/ticks`, lines, 'application/x-ndjson'));
    expect(answer.status).toBe(200);
    expect(((answer.json?.results ?? []) as { reason: string }[]).map((result) => result.reason)).toEqual(['unknown_symbol', 'malformed', 'malformed', 'malformed']);
  });

  // Rejection messages describe the bad value briefly (stringifying it whole overflowed on deep nesting).
  it('refuses a tick whose field is deeply nested JSON as invalid, not with a 500', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const answer = await unchanged(() => post(`${stack.base}/api/ticks`, `[{"symbol":${deep},"ts":"${tsOk}","price":1}]`));
    expect(answer.status).toBe(200);
    expect(((answer.json?.results ?? []) as { reason: string }[])[0]?.reason).toBe('invalid_symbol');
  });

  it('asks for the bearer token when TICKS_API_TOKEN is set, and refuses a wrong one', async () => {
    const token = 'chaos-token-0123456789';
    const guarded: TestBot = await startTestBot({ env: { TICKS_API_TOKEN: token } });
    try {
      // Refused before anything is queued (this bot has no worker to answer for queued ticks).
      const body = JSON.stringify([{ symbol: 'NO PE', ts: tsOk, price: 1 }]);
      const send = (authorization?: string) =>
        fetch(`${guarded.base}/api/ticks`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body }).then(
          async (response) => ({ status: response.status, json: (await response.json()) as Record<string, unknown> }),
        );
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${token}x`, token, `Basic ${token}`]) {
        expect(await send(authorization)).toEqual({ status: 401, json: { error: 'unauthorised', message: expect.stringMatching(/bearer token/) } });
      }
      const allowed = await send(`Bearer ${token}`);
      expect(allowed.status).toBe(200);
      expect(await guarded.bot.core.db.tick.count()).toBe(0);
    } finally {
      await guarded.close();
    }
  });
});

describe('action ids, cards and posts that do not exist', () => {
  it('the local API refuses a button that is not on the message, an unknown message, and a message from another conversation', async () => {
    const card = (await (await fetch(`${stack.base}/api/local/conversations/general/messages`)).json()) as { messages: { id: string; kind: string; buttons: { id: string }[] }[] };
    const message = card.messages.find((candidate) => candidate.kind === 'card');
    if (!message) throw new Error('no card in general');
    const postId = Number(/^rate:(\d+):/.exec(message.buttons.find((button) => button.id.startsWith('rate:'))?.id ?? '')?.[1]);
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ conversation: 'general', user: 'ann', messageId: message.id, actionId: `rate:${postId + 1000}:3` }, 400, /no such button/],
      [{ conversation: 'general', user: 'ann', messageId: message.id, actionId: `rate:${postId}:9` }, 400, /no such button/],
      [{ conversation: 'general', user: 'ann', messageId: message.id, actionId: 'reveal-card:99999' }, 400, /no such button/],
      [{ conversation: 'general', user: 'ann', messageId: '99999999', actionId: `rate:${postId}:3` }, 404, /No such message/],
      [{ conversation: 'elsewhere', user: 'ann', messageId: message.id, actionId: `rate:${postId}:3` }, 404, /No such message/],
      [{ conversation: 'general', user: 'ann', messageId: 'abc', actionId: `rate:${postId}:3` }, 400, /messageId/],
      [{ conversation: 'general', user: 'ann', messageId: message.id, actionId: 'x'.repeat(101) }, 400, /actionId/],
    ];
    for (const [body, status, reason] of cases) {
      const answer = await unchanged(() => post(`${stack.base}/api/local/actions`, JSON.stringify(body)));
      expect(answer.status, answer.text).toBe(status);
      expect(String(answer.json?.message)).toMatch(reason);
    }
    const reactions: [Record<string, unknown>, number][] = [
      [{ conversation: 'general', user: 'ann', messageId: '99999999', emoji: 'one' }, 404],
      [{ conversation: 'general', user: 'ann', messageId: message.id, emoji: 'six' }, 400],
      [{ conversation: 'general', user: 'ann', messageId: message.id, emoji: 'one', added: 'yes' }, 400],
    ];
    for (const [body, status] of reactions) expect((await unchanged(() => post(`${stack.base}/api/local/reactions`, JSON.stringify(body)))).status).toBe(status);
  });

  it('Slack clicks naming unknown posts and cards, other channels’ posts, or unknown buttons get a private explanation and change nothing', async () => {
    const channel = standIn.state.addChannel();
    const other = standIn.state.addChannel();
    const olga = standIn.state.addUser({ id: 'U0BADOLGA', name: 'olga' });
    const before = standIn.state.messages.length;
    await sender.slashCommand(slashCommand({ command: '/quiz', channel: other, user: olga, responseUrl: standIn.responseUrl() }));
    await slack.idle();
    const otherTs = standIn.state.messages.slice(before).find((message) => message.channel === other)?.ts ?? '';
    const otherPost = await db().post.findFirstOrThrow({ where: { messageRef: otherTs } });
    const cases: [string, RegExp][] = [
      ['rate:99999999:3', /not in this conversation any more/],
      [`rate:${otherPost.id}:3`, /not in this conversation any more/],
      ['reveal:99999999', /not in this conversation any more/],
      ['reveal-card:99999999', /no longer exists/],
      [`rate:${otherPost.id}:9`, /not one this bot knows/],
      ['rate:1:', /not one this bot knows/],
      ['delete-everything', /not one this bot knows/],
    ];
    for (const [actionId, explanation] of cases) {
      const ephemerals = standIn.state.ephemerals.length;
      // A refused click still uses up its delivery id (so a replay is not re-run): the ledger may grow.
      const delivery = await unchanged(
        () => sender.interaction(blockAction({ actionId, channel, messageTs: '1700000000.000100', user: olga, responseUrl: standIn.responseUrl() })),
        { ignoreDeliveryLedger: true },
      );
      expect(delivery.status).toBe(200);
      const shown = standIn.state.ephemerals.slice(ephemerals);
      expect(shown.map((message) => message.text), actionId).toEqual([expect.stringMatching(explanation)]);
    }
    // A reaction on a message that is no card, or with an emoji that is no rating, is just chat.
    await unchanged(async () => {
      await sender.event(reactionEvent({ added: true, reaction: 'three', channel, ts: '1700000000.000100', user: olga }));
      await sender.event(reactionEvent({ added: true, reaction: 'thumbsup', channel: other, ts: otherTs, user: olga }));
    }, { ignoreDeliveryLedger: true });
  });

  it('/forecast names an unknown symbol and an invalid one', async () => {
    expect((await unchanged(() => say('ann', '/forecast NOPE'))).text).toMatch(/There is no symbol NOPE/);
    expect((await unchanged(() => say('ann', '/forecast ***'))).text).toMatch(/"\*\*\*" is not a symbol/);
  });
});

describe('Slack requests that are forged, stale or tampered with', () => {
  const SIX_MINUTES = 6 * 60;
  const refusals: [string, (now: number) => SendOptions][] = [
    ['signed with the wrong secret', () => ({ secret: 'not-the-signing-secret' })],
    ['unsigned', () => ({ sign: false })],
    ['signed over a different body', () => ({ signedBody: 'command=%2Fsubscribe' })],
    ['six minutes old', (now) => ({ timestamp: now - SIX_MINUTES })],
  ];

  it.each(refusals)('refuses a command, a click and an event %s with 401, changing and posting nothing', async (_name, options) => {
    const channel = standIn.state.addChannel();
    const mallory = standIn.state.addUser({ id: 'U0MALLORY', name: 'mallory', isAdmin: true });
    const now = Math.floor(Date.now() / 1000);
    const statuses = await unchanged(async () => [
      (await sender.slashCommand(slashCommand({ command: '/subscribe', channel, user: mallory, responseUrl: standIn.responseUrl() }), options(now))).status,
      (await sender.interaction(blockAction({ actionId: 'rate:1:5', channel, messageTs: '1700000000.000100', user: mallory, responseUrl: standIn.responseUrl() }), options(now))).status,
      (await sender.event(reactionEvent({ added: true, reaction: 'five', channel, ts: '1700000000.000100', user: mallory }), options(now))).status,
    ]);
    expect(statuses).toEqual([401, 401, 401]);
  });

  // Left out: a signed block_actions payload with an empty `actions` array, which Bolt itself answers
  // with 500 (its action matcher reads actions[0] before any of our code runs). Only a holder of the
  // signing secret can send it, and Slack never does.
  it('refuses a correctly signed body that is not a Slack payload without a server error or a change', async () => {
    const bodies: [string, string][] = [
      ['application/json', '{"type":'],
      ['application/json', '[]'],
      ['application/json', '{"type":"event_callback","event":{"type":"reaction_added"}}'],
      ['application/x-www-form-urlencoded', 'payload=%7Bnot-json'],
      ['application/x-www-form-urlencoded', 'command=%2Fquiz'],
    ];
    for (const [contentType, body] of bodies) {
      const timestamp = Math.floor(Date.now() / 1000);
      const status = await unchanged(async () => {
        const response = await fetch(slack.url, {
          method: 'POST',
          headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body) },
          body,
        });
        await response.text();
        return response.status;
      });
      expect(status, `${contentType} ${body}`).toBeLessThan(500);
      const unsigned = await unchanged(() => fetch(slack.url, { method: 'POST', headers: { 'content-type': contentType }, body }).then((response) => response.status));
      expect(unsigned, `unsigned ${contentType} ${body}`).toBe(401);
    }
  });
});

describe('admin commands from non-admins', () => {
  it('refuses every admin command from a local non-admin, saying nothing changed', async () => {
    for (const command of ['/subscribe', '/subscribe 08:00 Europe/Paris', '/unsubscribe', '/deck import', '/forecast subscribe GOOD', '/forecast unsubscribe GOOD']) {
      const reply = await unchanged(() => say('mallory', command, 'general', command === '/deck import' ? deckAttachment(realDeck) : undefined));
      expect(reply.text, command).toMatch(/Only an admin of this server or workspace can do that\. Nothing was changed\./);
    }
  });

  it('refuses a Slack member who is neither a workspace admin nor listed in SLACK_ADMIN_USERS', async () => {
    const channel = standIn.state.addChannel();
    const member: Person = standIn.state.addUser({ id: 'U0MEMBER', name: 'member' });
    for (const command of ['/subscribe', '/unsubscribe', '/forecast']) {
      const responseUrl = standIn.responseUrl();
      const text = command === '/forecast' ? 'subscribe GOOD' : '';
      await unchanged(() => sender.slashCommand(slashCommand({ command, text, channel, user: member, responseUrl })), { ignoreDeliveryLedger: true });
      const answer = standIn.responses.find((response) => responseUrl.includes(`/${response.id}/`));
      expect(String(answer?.body.text), command).toMatch(/Only an admin/);
    }
  });
});

describe('garbage on every HTTP route', () => {
  const garbage: [string, string | Buffer][] = [
    ['application/json', '{"conversation":'],
    ['application/json', ''],
    ['application/json', 'null'],
    ['application/json', '12'],
    ['application/json', '"text"'],
    ['application/json', '[]'],
    ['application/json', '{}'],
    ['application/json', '{"__proto__":{"polluted":true}}'],
    ['application/json', '{"constructor":{"prototype":{"polluted":true}}}'],
    ['application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['application/json', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['application/octet-stream', Buffer.from([0, 1, 2, 3, 255])],
    ['application/x-www-form-urlencoded', 'a=b&c=d'],
    ['multipart/form-data; boundary=x', '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\nb\r\n--x--'],
  ];

  const POST_ROUTES = ['/api/ticks', '/api/local/messages', '/api/local/actions', '/api/local/reactions'];

  it('covers every POST route the bot serves (a new one must be added here)', () => {
    const tree = stack.bot.http.printRoutes({ method: 'POST', commonPrefix: false });
    expect([...tree.matchAll(/(\/[\w/:.*-]+) \(POST\)/g)].map((match) => match[1]).sort()).toEqual([...POST_ROUTES].sort());
  });

  it.each(POST_ROUTES)('%s answers garbage with a 4xx and a message, changing nothing', async (route) => {
    for (const [contentType, body] of garbage) {
      const answer = await unchanged(() => post(`${stack.base}${route}`, body, contentType));
      const shown = `${contentType} ${String(body).slice(0, 30)} → ${answer.status} ${answer.text.slice(0, 200)}`;
      if (route === '/api/ticks' && answer.status === 200) {
        // A non-empty JSON array is a batch: every item in it is refused on its own.
        expect(answer.json, shown).toMatchObject({ accepted: 0, rejected: expect.any(Number) });
        continue;
      }
      expect(answer.status, shown).toBeGreaterThanOrEqual(400);
      expect(answer.status, shown).toBeLessThan(500);
      expect(typeof answer.json?.message, shown).toBe('string');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a body over the 25 MiB limit with 413', async () => {
    const answer = await unchanged(() => post(`${stack.base}/api/local/messages`, Buffer.alloc(26 * 1024 * 1024, 0x20)));
    expect(answer.status).toBe(413);
    expect(String(answer.json?.message)).toMatch(/too large/i);
  });

  it('answers bad path and query parameters on the GET routes with 400', async () => {
    for (const url of ['/api/local/conversations/NOT%20A%20CHANNEL/messages', '/api/local/conversations/general/messages?user=a%20b']) {
      const response = await fetch(`${stack.base}${url}`);
      expect(response.status, url).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/\w/);
    }
  });
});

describe('property-based fuzzing', () => {
  const REGISTERED = 'FUZZ';
  const KNOWN_REASONS = ['malformed', 'invalid_symbol', 'invalid_price', 'invalid_timestamp', 'future_timestamp', 'unknown_symbol'];
  const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

  /** The tick API's contract, written from its documentation: what each value should come to. */
  function expectedVerdict(item: unknown, now: number): { key: string } | { reason: string } {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return { reason: 'malformed' };
    const tick = item as Record<string, unknown>;
    const symbol = typeof tick.symbol === 'string' ? tick.symbol.trim().toUpperCase() : '';
    if (!/^[A-Z0-9][A-Z0-9._-]{0,19}$/.test(symbol)) return { reason: 'invalid_symbol' };
    const price = typeof tick.price === 'number' ? tick.price : typeof tick.price === 'string' && tick.price.trim() !== '' ? Number(tick.price) : Number.NaN;
    if (!Number.isFinite(price) || price <= 0) return { reason: 'invalid_price' };
    let ts: number | undefined;
    if (typeof tick.ts === 'number') ts = Number.isSafeInteger(tick.ts) && tick.ts > 0 ? tick.ts : undefined;
    else if (typeof tick.ts === 'string' && ISO_WITH_ZONE.test(tick.ts.trim())) {
      const parsed = Date.parse(tick.ts.trim());
      ts = Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
    }
    if (ts === undefined) return { reason: 'invalid_timestamp' };
    if (ts > now + 5 * 60_000) return { reason: 'future_timestamp' };
    if (symbol !== REGISTERED) return { reason: 'unknown_symbol' };
    return { key: String(ts) };
  }

  it('the tick API: any JSON never gets a 5xx, every item one known result, and exactly the distinct valid ticks are stored', async () => {
    await registerSymbol(db(), REGISTERED);
    const symbolId = (await db().symbol.findUniqueOrThrow({ where: { code: REGISTERED } })).id;
    const instants = Array.from({ length: 24 }, (_, i) => Date.UTC(2024, 0, 2 + i, 15, 0, 0, i * 7));
    const isoForms = (ms: number) => {
      const iso = new Date(ms).toISOString();
      return [iso, iso.replace('Z', '+00:00'), iso.replace('Z', '+0000'), new Date(ms + 2 * 3_600_000).toISOString().replace('Z', '+02:00')];
    };
    const tsArb = fc.oneof(
      fc.constantFrom(...instants),
      fc.constantFrom(...instants.flatMap(isoForms)),
      fc.constantFrom(...instants.map((ms) => ` ${new Date(ms).toISOString()} `)),
      fc.constantFrom('2024-01-02', '2024-01-02T15:00', 'soon', '', '2024-02-30T00:00Z', '9999-12-31T23:59Z', '0000-01-01T00:00Z'),
      fc.integer(),
      fc.double(),
      fc.jsonValue(),
    );
    const priceArb = fc.oneof(
      fc.double({ min: 0.0001, max: 1e6, noNaN: true }),
      fc.constantFrom('12.5', ' 7 ', '0x10', '1e3', '-3', '0', 'NaN', 'Infinity', '', ' '),
      fc.double(),
      fc.jsonValue(),
    );
    const symbolArb = fc.oneof(fc.constantFrom(REGISTERED, 'fuzz', ' Fuzz ', 'NOPE', 'FU ZZ', '', 'X'.repeat(21)), fc.string({ maxLength: 8 }), fc.jsonValue());
    const tickArb = fc.oneof(
      { weight: 4, arbitrary: fc.record({ symbol: fc.constant(REGISTERED), ts: fc.constantFrom(...instants), price: fc.double({ min: 1, max: 500, noNaN: true }) }) },
      { weight: 4, arbitrary: fc.record({ symbol: symbolArb, ts: tsArb, price: priceArb }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.jsonValue() },
    );
    const bodyArb = fc.oneof({ weight: 9, arbitrary: fc.array(tickArb, { minLength: 1, maxLength: 30 }) }, { weight: 1, arbitrary: fc.jsonValue() });

    let runs = 0;
    let accepted = 0;
    const storedTimes = async () => new Set((await db().tick.findMany({ where: { symbolId }, select: { ts: true } })).map((tick) => String(tick.ts.getTime())));
    await fc.assert(
      fc.asyncProperty(bodyArb, async (generated) => {
        runs += 1;
        const sent = JSON.parse(JSON.stringify(generated) ?? 'null') as unknown;
        const before = await storedTimes();
        const answer = await post(`${stack.base}/api/ticks`, JSON.stringify(sent) ?? 'null');
        expect(answer.status, answer.text).toBeLessThan(500);
        if (!Array.isArray(sent) || sent.length === 0) {
          expect(answer.status).toBe(400);
          expect(typeof answer.json?.message).toBe('string');
          expect(await storedTimes()).toEqual(before);
          return;
        }
        expect(answer.status, answer.text).toBe(200);
        const results = answer.json?.results as { index: number; status: string; reason?: string; message?: string }[];
        expect(results.map((result) => result.index)).toEqual(sent.map((_, index) => index));
        const now = Date.now();
        const firstInBatch = new Set<string>();
        for (const [index, item] of sent.entries()) {
          const result = results[index] as { status: string; reason?: string; message?: string };
          const verdict = expectedVerdict(item, now);
          if ('reason' in verdict) {
            expect(result, JSON.stringify(item)).toMatchObject({ status: 'rejected', reason: verdict.reason, message: expect.any(String) });
            expect(KNOWN_REASONS).toContain(result.reason);
          } else {
            const isNew = !before.has(verdict.key) && !firstInBatch.has(verdict.key);
            firstInBatch.add(verdict.key);
            expect(result.status, JSON.stringify(item)).toEqual(isNew ? expect.stringMatching(/^stored(_late)?$/) : 'duplicate');
            accepted += 1;
          }
        }
        expect(await storedTimes()).toEqual(new Set([...before, ...firstInBatch]));
      }),
      { numRuns: 120, seed: FUZZ_SEED },
    );
    expect(runs).toBe(120);
    expect(accepted).toBeGreaterThan(0);
    console.log(`tick fuzz: ${runs} requests, ${accepted} valid ticks among them, ${(await storedTimes()).size} distinct stored`);
  }, 120_000);

  it('the chat deck import: random and mutated files are either imported or refused with a parse error, never a fault', async () => {
    const lines = realDeck.split('\n');
    // U+0000 is left out of generated text: it is the known bug above (Postgres rejects it).
    const textArb = fc.string({ maxLength: 40, unit: fc.oneof(fc.constantFrom('a', 'Q', 'A', '1', '2', ' ', '\t', 'é', '😀', '\r', '\uFFFD'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }).filter((c) => c !== '\u0000')) });
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), line: fc.oneof(textArb, fc.constantFrom('Q', 'A', '1', '2', '3', '', 'How well did you know this?', 'Perfectly', 'Not at all')) }),
      fc.record({ op: fc.constant('replace' as const), at: fc.nat(), line: textArb }),
      fc.record({ op: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
    );
    const mutatedDeck = fc.array(mutation, { minLength: 1, maxLength: 6 }).map((mutations) => {
      const copy = [...lines];
      for (const change of mutations) {
        const at = change.at % Math.max(copy.length, 1);
        if (change.op === 'delete') copy.splice(at, 1);
        else if (change.op === 'insert') copy.splice(at, 0, change.line);
        else if (change.op === 'replace') copy[at] = change.line;
        else {
          const other = change.with % Math.max(copy.length, 1);
          [copy[at], copy[other]] = [copy[other] ?? '', copy[at] ?? ''];
        }
      }
      return Buffer.from(copy.join('\n'));
    });
    const randomBytes = fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes.map((byte) => (byte === 0 ? 0x20 : byte))));
    const tinyDeck = fc.array(fc.tuple(textArb, textArb), { minLength: 1, maxLength: 4 }).map((cards) => Buffer.from(`Fuzz deck\n${cards.map(([q, a], i) => CARD(i + 1, q, a)).join('')}`));
    const fileArb = fc.oneof(mutatedDeck, randomBytes, tinyDeck);

    const outcomes = { imported: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fileArb, async (bytes) => {
        const before = await Promise.all([db().deck.count(), db().card.count()]);
        const reply = await say('admin', '/deck import', 'general', deckAttachment(bytes, 'fuzz.txt'));
        expect(reply.text, bytes.toString('utf8').slice(0, 300)).not.toMatch(APOLOGY);
        if (/^The deck was not imported: /.test(reply.text)) {
          outcomes.refused += 1;
          expect(await Promise.all([db().deck.count(), db().card.count()])).toEqual(before);
        } else {
          expect(reply.text).toMatch(/^Deck “[\s\S]*”: \d+ new, \d+ updated, \d+ unchanged\./);
          outcomes.imported += 1;
        }
      }),
      { numRuns: 150, seed: FUZZ_SEED },
    );
    expect(outcomes.imported).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
    console.log(`deck fuzz: ${outcomes.imported} imported, ${outcomes.refused} refused with a parse error, 0 faults`);
  }, 120_000);
});
