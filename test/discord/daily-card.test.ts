import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ratingButtonLabel, rateActionId, revealActionId } from '../../src/shared/quiz/card-message.js';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { prepareDailyPost } from '../../src/shared/quiz/quiz-service.js';
import { TEST_DECK } from './support/deck.js';
import { type DiscordBot, startDiscordBot } from './support/discord-bot.js';
import { INTERACTION_CALLBACK, type StandInMember } from './stand-in/index.js';

const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'];

describe('Discord daily card', () => {
  let harness: DiscordBot;
  let postId: number;
  let card: APIMessage;
  /** Interactions this file delivers twice on purpose: a refused second response to them is expected. */
  const redelivered = new Set<string>();

  beforeAll(async () => {
    harness = await startDiscordBot();
    await importDeckBytes(harness.bot.core.db, Buffer.from(TEST_DECK), { maxBytes: 100_000 });
    const post = await prepareDailyPost(harness.bot.core, harness.standIn.conversation);
    if (!post) throw new Error('no daily post was prepared');
    postId = post.id;
    // The worker's way of posting: a job on the outbox queue, which the bot's outbox consumer delivers.
    await harness.bot.core.queues.outbox.add('quiz-post', { kind: 'quiz-post', postId });
    const created = await harness.standIn.waitForRequest('POST /channels/:channel/messages');
    card = harness.standIn.messagesIn().find((message) => message.embeds.length > 0) as APIMessage;
    expect(created.status).toBe(200);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const ratingsOf = (member: StandInMember) =>
    harness.db.rating.findMany({ where: { postId, userId: `discord:${member.user.id}` }, select: { value: true, source: true } });

  /**
   * A member reacts (or unreacts) and the bot handles it. Reactions send nothing back to Discord, so
   * the adapter's log line is what says a reaction has been handled.
   */
  const react = async (member: StandInMember, emoji: string, added = true) => {
    const mark = harness.logs.mark;
    const sequence = harness.standIn.react(member, card, emoji, added);
    await harness.logs.waitFor(
      (line) => line.msg === 'discord reaction handled' && line.user === member.user.id && line.added === added,
      `${member.user.username}'s ${emoji} ${added ? 'add' : 'remove'}`,
      mark,
    );
    return sequence;
  };

  it('posts an embed with Show answer and 1–5 buttons labelled by the core, then adds 1️⃣–5️⃣', async () => {
    const { standIn } = harness;
    const [sent] = standIn.requestsTo('POST /channels/:channel/messages');
    expect(sent?.params.channel).toBe(standIn.channelId);
    const body = sent?.body.json as { embeds: { title: string; description: string }[]; components: unknown[]; allowed_mentions: unknown };
    expect(body.embeds[0]?.title).toBe('Recurrent Nets · card 1');
    expect(body.embeds[0]?.description).toContain('What does an RNN carry from one step to the next?');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.components).toEqual([
      { type: 1, components: [{ type: 2, custom_id: revealActionId(postId), label: 'Show answer', style: 2 }] },
      {
        type: 1,
        components: [1, 2, 3, 4, 5].map((n) => ({ type: 2, custom_id: rateActionId(postId, n), label: ratingButtonLabel(n), style: 1 })),
      },
    ]);

    const reactions = await standIn.requests.waitForCount((r) => r.route === 'PUT /channels/:channel/messages/:message/reactions/:emoji/:user', 5, 'rating reactions');
    expect(reactions.map((r) => [r.params.message, r.params.emoji, r.params.user])).toEqual(KEYCAPS.map((emoji) => [card.id, emoji, '@me']));
    // The core records where the card went once the send (reactions included) has returned.
    await vi.waitFor(async () => {
      const post = await harness.db.post.findUniqueOrThrow({ where: { id: postId } });
      expect(post.messageRef).toBe(card.id);
      expect(post.deliveredAt).not.toBeNull();
    });
  });

  it('records a button click as one rating and answers privately', async () => {
    const ada = harness.standIn.member('ada', { nick: 'Ada L.' });
    const click = harness.standIn.clickButton(ada, card, rateActionId(postId, 4));
    const answer = await harness.standIn.answerTo(click);
    expect(answer.public).toEqual([]);
    expect(answer.private).toEqual([expect.stringContaining(`Recorded **${ratingButtonLabel(4)}**`)]);
    expect(await ratingsOf(ada)).toEqual([{ value: 4, source: 'button' }]);
    const user = await harness.db.chatUser.findUniqueOrThrow({ where: { id: `discord:${ada.user.id}` } });
    expect(user.displayName).toBe('Ada L.');
  });

  it('shows the answer privately on Show answer', async () => {
    const click = harness.standIn.clickButton(harness.standIn.member('grace'), card, revealActionId(postId));
    expect(await harness.standIn.answerTo(click)).toMatchObject({ private: ['**Answer**\nA hidden state.'], public: [] });
  });

  it('records a reaction as a rating, lets another reaction change it and removing it withdraw it', async () => {
    const bob = harness.standIn.member('bob');
    await react(bob, '2️⃣');
    expect(await ratingsOf(bob)).toEqual([{ value: 2, source: 'reaction' }]);

    await react(bob, '5️⃣');
    expect(await ratingsOf(bob)).toEqual([{ value: 5, source: 'reaction' }]);

    // Removing the old emoji withdraws nothing: the rating is now the 5️⃣.
    await react(bob, '2️⃣', false);
    expect(await ratingsOf(bob)).toEqual([{ value: 5, source: 'reaction' }]);

    await react(bob, '5️⃣', false);
    expect(await ratingsOf(bob)).toEqual([]);

    // Changing one's mind back counts again, though it looks just like the first 2️⃣.
    await react(bob, '2️⃣');
    expect(await ratingsOf(bob)).toEqual([{ value: 2, source: 'reaction' }]);
  });

  it('counts the same INTERACTION_CREATE delivered twice once', async () => {
    const { standIn } = harness;
    const carol = standIn.member('carol');
    const first = standIn.clickButton(carol, card, rateActionId(postId, 3));
    await standIn.answerTo(first);
    const second = standIn.clickButton(carol, card, rateActionId(postId, 5));
    await standIn.answerTo(second);
    expect(await ratingsOf(carol)).toEqual([{ value: 5, source: 'button' }]);

    // The first click arrives again: processed again it would set the rating back to 3 and answer twice.
    redelivered.add(first.id);
    standIn.gateway.redeliver(first.sequence);
    // Done when the bot says it ignored it, or (the failure) when it answered it a second time.
    await Promise.race([
      harness.logs.waitFor((line) => line.msg === 'duplicate delivery ignored' && line.deliveryKey === `action:${first.id}`),
      standIn.requests.waitForCount((r) => r.route === INTERACTION_CALLBACK && r.params.interaction === first.id, 2, 'a second answer'),
    ]);
    expect(await ratingsOf(carol)).toEqual([{ value: 5, source: 'button' }]);
    // Answered once. (Were the duplicate check slow, its copy could try to defer and be refused with
    // 40060 "already acknowledged"; only accepted responses count as answers.)
    const answers = standIn.requestsTo(INTERACTION_CALLBACK).filter((r) => r.params.interaction === first.id && (r.status ?? 0) < 400);
    expect(answers).toHaveLength(1);
  });

  it('counts a reaction delivered twice once, so a later button rating is not overwritten', async () => {
    const { standIn } = harness;
    const dave = standIn.member('dave');
    const reaction = await react(dave, '1️⃣');
    const click = standIn.clickButton(dave, card, rateActionId(postId, 4));
    await standIn.answerTo(click);
    expect(await ratingsOf(dave)).toEqual([{ value: 4, source: 'button' }]);

    const mark = harness.logs.mark;
    standIn.gateway.redeliver(reaction ?? -1);
    // Done when the bot says it ignored it, or (the failure) when it handled it as a new reaction.
    await Promise.race([
      harness.logs.waitFor((line) => line.msg === 'duplicate delivery ignored' && String(line.deliveryKey).includes(`:${dave.user.id}:one:`), 'ignored', mark),
      harness.logs.waitFor((line) => line.msg === 'discord reaction handled' && line.user === dave.user.id, 'handled', mark),
    ]);
    expect(await ratingsOf(dave)).toEqual([{ value: 4, source: 'button' }]);
  });

  it('never counts the bot’s own 1️⃣–5️⃣ as ratings', async () => {
    const { standIn } = harness;
    const botId = standIn.world.bot.id;
    const own = standIn.gateway.frames.entries.filter(
      (frame) => frame.direction === 'out' && frame.t === 'MESSAGE_REACTION_ADD' && (frame.d as { user_id: string }).user_id === botId,
    );
    // Discord echoes the bot's own reactions; they first arrived before the card was recorded as
    // delivered, so replay one now that it is, followed by a member's reaction as a marker.
    expect(own).toHaveLength(5);
    standIn.gateway.redeliver(own[2]?.s ?? -1);
    await react(standIn.member('erin'), '3️⃣');
    expect(await harness.db.rating.count({ where: { userId: `discord:${botId}` } })).toBe(0);
  });

  it('made no request Discord would have refused', () => {
    const refused = harness.standIn.requests.entries.filter(
      (request) => (request.status ?? 0) >= 400 && !redelivered.has(request.params.interaction ?? ''),
    );
    expect(refused.map((request) => `${request.route} → ${request.status}`)).toEqual([]);
  });
});
