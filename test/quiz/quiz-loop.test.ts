import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandEvent, OutgoingMessage } from '../../src/shared/chat/types.js';
import { replayReviews } from '../../src/shared/quiz/fsrs.js';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { prepareDailyPost, deliverPost } from '../../src/shared/quiz/quiz-service.js';
import { exportRatings } from '../../src/shared/repositories/rating-repository.js';
import { toFsrsCard } from '../../src/shared/repositories/review-repository.js';
import { createTestCore, type TestCore } from '../support/core.js';

const CONVERSATION = 'test:team:quiz';
const alice = { id: 'test:alice', displayName: 'alice' };
const bob = { id: 'test:bob', displayName: 'bob' };

function command(name: string, text = '', user = alice): CommandEvent {
  return { kind: 'command', name, text, options: {}, attachments: [], user, conversation: CONVERSATION };
}

function textOf(message: OutgoingMessage | undefined): string {
  if (!message) return '';
  return message.kind === 'text' ? message.markdown : message.kind === 'card' ? message.body : message.alt;
}

describe('quiz loop on real Postgres and Redis', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore({ admins: ['test:admin'] });
    const deck = await readFile(new URL('../../decks/rnn-flashcards.txt', import.meta.url));
    await importDeckBytes(t.core.db, deck, { maxBytes: 1 << 20 });
  });
  afterAll(() => t.close());

  async function postCard() {
    const result = await t.dispatch(command('quiz'));
    expect(textOf(result.replies[0]?.message)).toMatch(/Posted card/);
    const sent = t.adapter.sent.at(-1);
    if (sent?.message.kind !== 'card') throw new Error('no card was sent');
    return sent;
  }

  it('posts a card with Show answer and the five rating buttons with the seed’s labels', async () => {
    const sent = await postCard();
    if (sent.message.kind !== 'card') throw new Error('not a card');
    expect(sent.message.body).toContain('What is the big idea behind RNN?');
    expect(sent.message.buttons.map((button) => button.label)).toEqual([
      'Show answer',
      '1 · Not at all',
      '2',
      '3',
      '4',
      '5 · Perfectly',
    ]);
    expect(sent.message.reactions).toEqual(['one', 'two', 'three', 'four', 'five']);
  });

  it('stores a duplicate click once', async () => {
    const sent = await postCard();
    if (sent.message.kind !== 'card') throw new Error('not a card');
    const rate4 = sent.message.buttons.find((button) => button.label === '4');
    const click = { kind: 'action' as const, actionId: rate4!.id, messageRef: sent.messageRef, user: bob, conversation: CONVERSATION };
    const first = await t.dispatch(click);
    await t.dispatch(click);
    expect(textOf(first.replies[0]?.message)).toMatch(/Recorded \*\*4\*\* \(Good\)/);
    const rows = await t.core.db.rating.findMany({ where: { userId: bob.id, post: { messageRef: sent.messageRef } } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).toBe(4);
  });

  it('stores two concurrent clicks as one rating and one consistent review state', async () => {
    const sent = await postCard();
    if (sent.message.kind !== 'card') throw new Error('not a card');
    const ids = sent.message.buttons.map((button) => button.id);
    const clicks = [ids[2]!, ids[5]!, ids[2]!, ids[5]!].map((actionId) =>
      t.dispatch({ kind: 'action', actionId, messageRef: sent.messageRef, user: alice, conversation: CONVERSATION }),
    );
    await Promise.all(clicks);
    const post = await t.core.db.post.findFirstOrThrow({ where: { messageRef: sent.messageRef } });
    const rows = await t.core.db.rating.findMany({ where: { postId: post.id, userId: alice.id } });
    expect(rows).toHaveLength(1);
    const state = await t.core.db.reviewState.findUniqueOrThrow({
      where: { userId_cardId: { userId: alice.id, cardId: post.cardId } },
    });
    // Whichever click won, the state is exactly the replay of the stored rating.
    const expected = replayReviews([{ confidence: rows[0]!.value, at: rows[0]!.ratedAt }]);
    expect(toFsrsCard(state)).toEqual(expected);
  });

  it('leaves the FSRS state as if only the final rating had been given', async () => {
    const sent = await postCard();
    if (sent.message.kind !== 'card') throw new Error('not a card');
    const post = await t.core.db.post.findFirstOrThrow({ where: { messageRef: sent.messageRef } });
    const firstAt = new Date('2026-03-02T10:00:00Z');
    t.now.value = firstAt;
    const carol = { id: 'test:carol', displayName: 'carol' };
    const rate = (index: number) =>
      t.dispatch({
        kind: 'action',
        actionId: sent.message.kind === 'card' ? sent.message.buttons[index]!.id : '',
        messageRef: sent.messageRef,
        user: carol,
        conversation: CONVERSATION,
      });
    await rate(1); // 1 · Not at all
    t.now.value = new Date('2026-03-02T10:05:00Z');
    await rate(5); // changed to 5 · Perfectly
    const state = await t.core.db.reviewState.findUniqueOrThrow({
      where: { userId_cardId: { userId: carol.id, cardId: post.cardId } },
    });
    expect(toFsrsCard(state)).toEqual(replayReviews([{ confidence: 5, at: firstAt }]));
    expect(state.lapses).toBe(0);
    const ratings = await t.core.db.rating.findMany({ where: { postId: post.id, userId: carol.id } });
    expect(ratings.map((rating) => rating.value)).toEqual([5]);
  });

  it('counts reactions as ratings: add sets, a new one changes, removing the current one withdraws', async () => {
    const sent = await postCard();
    const dave = { id: 'test:dave', displayName: 'dave' };
    const react = (emoji: string, added: boolean) =>
      t.dispatch({ kind: 'reaction', emoji, added, messageRef: sent.messageRef, user: dave, conversation: CONVERSATION });
    const stored = async () =>
      (await t.core.db.rating.findMany({ where: { userId: dave.id, post: { messageRef: sent.messageRef } } })).map(
        (rating) => rating.value,
      );
    await react('three', true);
    expect(await stored()).toEqual([3]);
    await react('five', true);
    expect(await stored()).toEqual([5]);
    await react('three', false); // removing an old emoji withdraws nothing
    expect(await stored()).toEqual([5]);
    await react('five', false);
    expect(await stored()).toEqual([]);
    expect(await t.core.db.reviewState.count({ where: { userId: dave.id } })).toBe(0);
    await react('heart', true); // not a rating emoji
    expect(await stored()).toEqual([]);
  });

  it('refuses a button id from another conversation', async () => {
    const sent = await postCard();
    const result = await t.dispatch({
      kind: 'action',
      actionId: sent.message.kind === 'card' ? sent.message.buttons[3]!.id : '',
      messageRef: sent.messageRef,
      user: alice,
      conversation: 'test:team:elsewhere',
    });
    expect(textOf(result.replies[0]?.message)).toMatch(/not in this conversation/);
  });

  it('refuses a non-admin /subscribe and changes nothing; an admin subscribes', async () => {
    const refused = await t.dispatch(command('subscribe', '08:30 Europe/Paris'));
    expect(textOf(refused.replies[0]?.message)).toMatch(/Only an admin/);
    expect(refused.replies[0]?.ephemeral).toBe(true);
    expect(await t.core.db.quizSubscription.count()).toBe(0);
    expect(await t.core.queues.dailyQuiz.getJobSchedulersCount()).toBe(0);

    const admin = { id: 'test:admin', displayName: 'admin' };
    const bad = await t.dispatch(command('subscribe', '25:00', admin));
    expect(textOf(bad.replies[0]?.message)).toMatch(/not a time of day/);
    const badZone = await t.dispatch(command('subscribe', '08:30 Mars/Olympus', admin));
    expect(textOf(badZone.replies[0]?.message)).toMatch(/not an IANA time zone/);
    expect(await t.core.db.quizSubscription.count()).toBe(0);

    const ok = await t.dispatch(command('subscribe', '08:30 Europe/Paris', admin));
    expect(textOf(ok.replies[0]?.message)).toMatch(/every day at 08:30 \(Europe\/Paris\)/);
    const schedulers = await t.core.queues.dailyQuiz.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ pattern: '0 30 8 * * *', tz: 'Europe/Paris' });

    // A platform with named options (Discord) may send the zone alone: it must not be read as the time.
    const named = await t.dispatch({ ...command('subscribe', 'Asia/Tokyo', admin), options: { timezone: 'Asia/Tokyo' } });
    expect(textOf(named.replies[0]?.message)).toMatch(/every day at 09:00 \(Asia\/Tokyo\)/);

    const notAdminUnsub = await t.dispatch(command('unsubscribe'));
    expect(textOf(notAdminUnsub.replies[0]?.message)).toMatch(/Only an admin/);
    expect(await t.core.db.quizSubscription.count()).toBe(1);
  });

  it('creates one daily post per conversation and local date, even when the scheduler fires twice', async () => {
    const conversation = 'test:team:daily';
    t.now.value = new Date('2026-03-03T07:00:00Z');
    const [first, second] = await Promise.all([
      prepareDailyPost(t.core, conversation),
      prepareDailyPost(t.core, conversation),
    ]);
    expect(first?.id).toBeDefined();
    expect(second?.id).toBe(first?.id);
    const before = t.adapter.sent.length;
    await deliverPost(t.core, first!.id);
    await deliverPost(t.core, first!.id);
    expect(t.adapter.sent.length).toBe(before + 1);
    expect(await t.core.db.post.count({ where: { conversation: { ref: conversation } } })).toBe(1);
    t.now.value = new Date('2026-03-04T07:00:00Z');
    const nextDay = await prepareDailyPost(t.core, conversation);
    expect(nextDay?.id).not.toBe(first?.id);
    expect(nextDay?.card.id).not.toBe(first?.card.id);
  });

  it('shows stats with a leaderboard that honours opt-out, and exports every rating', async () => {
    const stats = await t.dispatch(command('stats', '', alice));
    const text = textOf(stats.replies[0]?.message);
    expect(text).toMatch(/reviews: \d+/);
    expect(text).toContain('alice');
    await t.dispatch(command('stats', 'optout', bob));
    const after = textOf((await t.dispatch(command('stats', '', alice))).replies[0]?.message);
    expect(after).not.toContain('bob');
    const exported = await exportRatings(t.core.db);
    expect(exported.some((row) => row.user === 'test:bob' && row.question === 'In one sentence how can i describe RNN?')).toBe(true);
  });

  it('answers an unknown command with help, and /review privately', async () => {
    const unknown = await t.dispatch(command('nope'));
    expect(textOf(unknown.replies[0]?.message)).toMatch(/no \/nope command/);
    const review = await t.dispatch(command('review', '', alice));
    expect(review.replies[0]?.ephemeral).toBe(true);
    expect(review.replies[0]?.message.kind).toBe('card');
  });
});
