import type { APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateActionId } from '../../src/shared/quiz/card-message.js';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { deliverPost, prepareDailyPost } from '../../src/shared/quiz/quiz-service.js';
import { TEST_DECK } from './support/deck.js';
import { type DiscordBot, startDiscordBot } from './support/discord-bot.js';
import type { StandInMember } from './stand-in/index.js';

const IDENTIFY = 2;
const RESUME = 6;

describe('Discord gateway connection dropped mid-session', () => {
  let harness: DiscordBot;
  let postId: number;
  let card: APIMessage;

  beforeAll(async () => {
    // Short heartbeats so the test sees several; Discord's are ~41 s. (Too short, and a busy test
    // process misses ACKs and reconnects on its own: legitimate, but noise.)
    harness = await startDiscordBot({ heartbeatIntervalMs: 1000 });
    await importDeckBytes(harness.bot.core.db, Buffer.from(TEST_DECK), { maxBytes: 100_000 });
    const post = await prepareDailyPost(harness.bot.core, harness.standIn.conversation);
    if (!post) throw new Error('no daily post was prepared');
    postId = post.id;
    const { messageRef } = await deliverPost(harness.bot.core, post.id);
    card = harness.standIn.messagesIn().find((message) => message.id === messageRef) as APIMessage;
  });

  afterAll(async () => {
    await harness?.close();
  });

  const ratingOf = (member: StandInMember) =>
    harness.db.rating.findUnique({
      where: { postId_userId: { postId, userId: `discord:${member.user.id}` } },
      select: { value: true, source: true },
    });

  const handled = (member: StandInMember, from: number) =>
    harness.logs.waitFor((line) => line.msg === 'discord reaction handled' && line.user === member.user.id, `${member.user.username}'s reaction`, from);

  it('resumes the same session, gets the missed events replayed, and loses no rating', async () => {
    const { standIn } = harness;
    const ada = standIn.member('ada');
    const bob = standIn.member('bob');
    const carol = standIn.member('carol');
    const dave = standIn.member('dave');
    const sessionId = standIn.gateway.sessionId;
    const connectionsBefore = standIn.gateway.connectionCount;

    let mark = harness.logs.mark;
    standIn.react(ada, card, '3️⃣');
    await handled(ada, mark);

    // One event goes out just as the connection dies: it either arrived or is replayed; either way it counts.
    mark = harness.logs.mark;
    standIn.react(dave, card, '1️⃣');
    const lastBeforeDrop = standIn.gateway.sequence;
    await standIn.gateway.drop();

    // Members keep acting while the bot is away; Discord keeps these for the session.
    const bobReaction = standIn.react(bob, card, '4️⃣');
    const click = standIn.clickButton(carol, card, rateActionId(postId, 5));
    expect(standIn.gateway.connected).toBe(false);

    const resumed = await standIn.gateway.waitForConnection(connectionsBefore);
    expect(resumed.t).toBe('RESUMED');
    const resume = standIn.gateway.frames.entries.find(
      (frame) => frame.direction === 'in' && frame.op === RESUME && frame.connection === resumed.connection,
    );
    const resumedFrom = resume?.d as { session_id: string; seq: number } | undefined;
    expect(resumedFrom?.session_id).toBe(sessionId);
    // The client resumes from the last event it saw: ada's reaction, or dave's if it got through.
    expect([lastBeforeDrop - 1, lastBeforeDrop]).toContain(resumedFrom?.seq);
    expect(standIn.gateway.frames.entries.filter((frame) => frame.direction === 'in' && frame.op === IDENTIFY)).toHaveLength(1);

    // Replayed on the new connection with their original sequence numbers.
    const replayed = standIn.gateway.frames.entries.filter((frame) => frame.direction === 'out' && frame.connection === resumed.connection);
    expect(replayed.map((frame) => frame.s)).toEqual(expect.arrayContaining([bobReaction, click.sequence]));

    await handled(dave, mark);
    await handled(bob, mark);
    expect((await standIn.answerTo(click)).private).toEqual([expect.stringContaining('Recorded **5')]);

    expect(await ratingOf(ada)).toEqual({ value: 3, source: 'reaction' });
    expect(await ratingOf(bob)).toEqual({ value: 4, source: 'reaction' });
    expect(await ratingOf(carol)).toEqual({ value: 5, source: 'button' });
    expect(await ratingOf(dave)).toEqual({ value: 1, source: 'reaction' });
  });

  it('heartbeats with the last sequence number and gets acknowledged', async () => {
    const { gateway } = harness.standIn;
    const connection = gateway.connectionCount;
    const from = gateway.frames.mark;
    const beats = await gateway.frames.waitForCount(
      (frame) => frame.direction === 'in' && frame.op === 1 && frame.connection === connection,
      2,
      'two heartbeats',
      from,
    );
    const lastBeat = beats.at(-1);
    expect(lastBeat?.d).toBe(gateway.sequence);
    await gateway.frames.waitFor((frame) => frame.direction === 'out' && frame.op === 11, 'a heartbeat ACK', from);
  });

  it('treats a link whose heartbeats go unanswered as dead, reconnects and resumes', async () => {
    const { standIn } = harness;
    const connectionsBefore = standIn.gateway.connectionCount;
    standIn.gateway.ackHeartbeats = false;
    // Discord's rule: no ACK before the next heartbeat means a zombie connection; the client must resume.
    const resumed = await standIn.gateway.waitForConnection(connectionsBefore);
    standIn.gateway.ackHeartbeats = true;
    expect(resumed.t).toBe('RESUMED');

    const erin = standIn.member('erin');
    const mark = harness.logs.mark;
    standIn.react(erin, card, '2️⃣');
    await handled(erin, mark);
    expect(await ratingOf(erin)).toEqual({ value: 2, source: 'reaction' });
  });
});
