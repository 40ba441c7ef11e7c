import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdLocks, lockWaiters } from '../chaos/support.js';
import { eventually } from '../support/processes.js';
import { type SlackHarness, startSlackHarness } from './harness.js';
import { blockAction, reactionEvent, slashCommand } from './stand-in/payloads.js';
import { BOT_USER_ID, triggerId } from './stand-in/wire.js';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.seedDeck();
});

afterAll(async () => {
  await h?.close();
});

function ratingsOf(postId: number) {
  return h.db.rating.findMany({ where: { postId }, orderBy: { id: 'asc' } });
}

describe('ratings from Slack', () => {
  it('a click on a rating button lands one rating and a private confirmation (chat.postEphemeral)', async () => {
    const channel = h.channel();
    const alice = h.person('alice');
    const { message, postId } = await h.postCard(channel, alice);

    const click = await h.sender.interaction(
      blockAction({ actionId: `rate:${postId}:4`, channel, messageTs: message.ts, user: alice, responseUrl: h.standIn.responseUrl() }),
    );
    expect(click).toEqual({ status: 200, body: '' });
    await h.slack.idle();

    expect(await ratingsOf(postId)).toEqual([
      expect.objectContaining({ userId: `slack:${h.standIn.state.teamId}:${alice.id}`, value: 4, source: 'button' }),
    ]);
    expect(await h.db.chatUser.findUniqueOrThrow({ where: { id: `slack:${h.standIn.state.teamId}:${alice.id}` } })).toMatchObject({
      displayName: 'alice',
    });
    const confirmation = h.standIn.state.ephemerals.filter((sent) => sent.channel === channel);
    expect(confirmation).toEqual([expect.objectContaining({ visibleTo: alice.id, text: expect.stringMatching(/^Recorded \*4\* \(\w+\) for card \d+\./) })]);
  });

  it('the same click replayed (same trigger_id) is processed once', async () => {
    const channel = h.channel();
    const bob = h.person('bob');
    const { message, postId } = await h.postCard(channel, bob);
    const payload = blockAction({ actionId: `rate:${postId}:2`, channel, messageTs: message.ts, user: bob, responseUrl: h.standIn.responseUrl() });

    for (let attempt = 0; attempt < 2; attempt++) expect((await h.sender.interaction(payload)).status).toBe(200);
    await h.slack.idle();

    expect(await ratingsOf(postId)).toHaveLength(1);
    expect(h.standIn.state.ephemerals.filter((sent) => sent.channel === channel)).toHaveLength(1);
  });

  /** A card and a person whose (user, card) rating lock is held here, so their click waits inside the bot. */
  async function cardWithLockedRating(name: string) {
    const channel = h.channel();
    const person = h.person(name);
    const { message, postId } = await h.postCard(channel, person);
    const post = await h.db.post.findUniqueOrThrow({ where: { id: postId } });
    const userId = `slack:${h.standIn.state.teamId}:${person.id}`;
    const lock = await holdLocks(h.testBot.databaseUrl, [{ text: 'SELECT pg_advisory_lock(hashtext($1), $2::int)', values: [userId, post.cardId] }]);
    const click = (value: number) =>
      blockAction({ actionId: `rate:${postId}:${value}`, channel, messageTs: message.ts, user: person, responseUrl: h.standIn.responseUrl() });
    return { channel, postId, userId, lock, click };
  }

  it('answers a click only once its rating is stored, so a 200 never stands for a rating not yet written', async () => {
    const { postId, userId, lock, click: payload } = await cardWithLockedRating('erin');
    let answered = false;
    const click = h.sender
      .interaction(payload(3))
      .finally(() => {
        answered = true;
      });
    try {
      await eventually(async () => ((await lockWaiters(h.testBot.databaseUrl, lock.pid)).length > 0 ? true : undefined), 10_000, 'the click to wait');
      expect(answered).toBe(false);
    } finally {
      await lock.release();
    }
    expect((await click).status).toBe(200);
    expect(await ratingsOf(postId)).toEqual([expect.objectContaining({ userId, value: 3 })]);
  });

  it('answers 500 when a click is not stored within the deadline, stores it anyway, and counts the retry once', async () => {
    const { channel, postId, userId, lock, click } = await cardWithLockedRating('fay');
    const payload = click(5);
    let first: Awaited<ReturnType<typeof h.sender.interaction>>;
    try {
      first = await h.sender.interaction(payload);
    } finally {
      await lock.release();
    }
    expect(first.status).toBe(500);
    await h.slack.idle();
    expect(await ratingsOf(postId)).toEqual([expect.objectContaining({ userId, value: 5 })]);
    // The same delivery again (a proxy's retry): recognised, so neither stored nor confirmed twice.
    expect((await h.sender.interaction(payload)).status).toBe(200);
    await h.slack.idle();
    expect(await ratingsOf(postId)).toHaveLength(1);
    expect(h.standIn.state.ephemerals.filter((sent) => sent.channel === channel && sent.text?.startsWith('Recorded'))).toHaveLength(1);
  });

  it('a :three: reaction lands one rating; changing it to :five: updates it; removing :five: withdraws it', async () => {
    const channel = h.channel();
    const carol = h.person('carol');
    const { message, postId } = await h.postCard(channel, carol);
    const react = async (added: boolean, reaction: string) => {
      expect((await h.sender.event(reactionEvent({ added, reaction, channel, ts: message.ts, user: carol }))).status).toBe(200);
      await h.slack.idle();
      return ratingsOf(postId);
    };

    expect(await react(true, 'three')).toEqual([
      expect.objectContaining({ userId: `slack:${h.standIn.state.teamId}:${carol.id}`, value: 3, source: 'reaction' }),
    ]);
    expect(await react(true, 'five')).toEqual([expect.objectContaining({ value: 5, source: 'reaction' })]);
    expect(await react(false, 'three')).toEqual([expect.objectContaining({ value: 5 })]);
    expect(await react(false, 'five')).toEqual([]);
    // Reactions answer nothing in the channel: they are the rating.
    expect(h.standIn.state.ephemerals.filter((sent) => sent.channel === channel)).toEqual([]);
  });

  it('an event Slack redelivers (X-Slack-Retry-Num) counts once, even after the reaction was removed', async () => {
    const channel = h.channel();
    const dave = h.person('dave');
    const { message, postId } = await h.postCard(channel, dave);
    const added = reactionEvent({ added: true, reaction: 'two', channel, ts: message.ts, user: dave });
    const removed = reactionEvent({ added: false, reaction: 'two', channel, ts: message.ts, user: dave });

    expect((await h.sender.event(added)).status).toBe(200);
    expect((await h.sender.event(added, { retryNum: 1, retryReason: 'http_timeout' })).status).toBe(200);
    await h.slack.idle();
    expect(await ratingsOf(postId)).toHaveLength(1);

    expect((await h.sender.event(removed)).status).toBe(200);
    await h.slack.idle();
    // A late retry of the add must not bring back the rating the user took away.
    expect((await h.sender.event(added, { retryNum: 2, retryReason: 'http_timeout' })).status).toBe(200);
    await h.slack.idle();

    expect(await ratingsOf(postId)).toEqual([]);
    expect(await h.db.processedEvent.count({ where: { key: `reaction:${added.event_id}` } })).toBe(1);
  });

  it('ignores the bot’s own reactions, other emoji, and reactions on messages that are not cards', async () => {
    const channel = h.channel();
    const erin = h.person('erin');
    const { message, postId } = await h.postCard(channel, erin);
    const processedBefore = await h.db.processedEvent.count();

    for (const event of [
      reactionEvent({ added: true, reaction: 'one', channel, ts: message.ts, user: { id: BOT_USER_ID, name: 'quizcast' } }),
      reactionEvent({ added: true, reaction: 'tada', channel, ts: message.ts, user: erin }),
      reactionEvent({ added: true, reaction: 'four', channel, ts: '1700000000.000100', user: erin, itemUser: erin.id }),
    ]) {
      expect((await h.sender.event(event)).status).toBe(200);
    }
    await h.slack.idle();

    expect(await ratingsOf(postId)).toEqual([]);
    expect(await h.db.processedEvent.count()).toBe(processedBefore);
  });

  it('answers a click on a private (ephemeral) /review card through its response_url', async () => {
    const channel = h.channel();
    const fay = h.person('fay');
    const { message, postId } = await h.postCard(channel, fay);
    await h.sender.interaction(
      blockAction({ actionId: `rate:${postId}:3`, channel, messageTs: message.ts, user: fay, responseUrl: h.standIn.responseUrl() }),
    );
    await h.slack.idle();

    const reviewUrl = h.standIn.responseUrl();
    await h.sender.slashCommand(slashCommand({ command: '/review', channel, user: fay, responseUrl: reviewUrl }));
    await h.slack.idle();
    const review = h.standIn.responses.find((post) => reviewUrl.includes(`/${post.id}/`))?.body as {
      response_type: string;
      blocks: { type: string; elements?: { action_id: string }[] }[];
    };
    expect(review.response_type).toBe('ephemeral');
    const reveal = review.blocks.find((block) => block.type === 'actions')?.elements?.[0]?.action_id;
    expect(reveal).toMatch(/^reveal-card:\d+$/);

    const clickUrl = h.standIn.responseUrl();
    const ephemeralsBefore = h.standIn.state.ephemerals.length;
    await h.sender.interaction(
      blockAction({ actionId: reveal!, channel, messageTs: '1700000001.000200', user: fay, responseUrl: clickUrl, ephemeral: true, triggerId: triggerId() }),
    );
    await h.slack.idle();

    const answer = h.standIn.responses.find((post) => clickUrl.includes(`/${post.id}/`))?.body;
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: expect.stringMatching(/^\*Answer\*\n/) });
    expect(h.standIn.state.ephemerals.length).toBe(ephemeralsBefore);
  });
});
