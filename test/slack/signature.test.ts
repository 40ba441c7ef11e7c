import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackHarness, startSlackHarness } from './harness.js';
import { blockAction, reactionEvent, slashCommand } from './stand-in/payloads.js';
import type { SendOptions } from './stand-in/sender.js';

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
  await h.seedDeck();
});

afterAll(async () => {
  await h?.close();
});

const SIX_MINUTES = 6 * 60;

/** Everything a forged request could have caused: rows written, messages posted, replies sent. */
async function footprint() {
  const [posts, ratings, processed, conversations] = await Promise.all([
    h.db.post.count(),
    h.db.rating.count(),
    h.db.processedEvent.count(),
    h.db.conversation.count(),
  ]);
  const webApiWrites = h.standIn.calls.filter((call) => /^(chat|reactions|files)\./.test(call.method)).length;
  return { posts, ratings, processed, conversations, webApiWrites, responses: h.standIn.responses.length };
}

describe('Slack request verification', () => {
  const refusals: [string, (now: number) => SendOptions][] = [
    ['a signature made with the wrong secret', () => ({ secret: 'not-the-signing-secret' })],
    ['no signature at all', () => ({ sign: false })],
    ['a signature over a different body', () => ({ signedBody: 'command=%2Fhelp' })],
    ['a correct signature on a timestamp older than 5 minutes', (now) => ({ timestamp: now - SIX_MINUTES })],
  ];

  it.each(refusals)('refuses %s with 401 for commands, clicks and events, storing and posting nothing', async (_name, options) => {
    const channel = h.channel();
    const mallory = h.person('mallory');
    // A real card to aim at, posted by a properly signed request before the forgeries.
    const { message, postId } = await h.postCard(channel, mallory);
    const before = await footprint();
    const now = Math.floor(Date.now() / 1000);

    const statuses = [
      (await h.sender.slashCommand(slashCommand({ command: '/quiz', channel, user: mallory, responseUrl: h.standIn.responseUrl() }), options(now))).status,
      (await h.sender.interaction(blockAction({ actionId: `rate:${postId}:5`, channel, messageTs: message.ts, user: mallory, responseUrl: h.standIn.responseUrl() }), options(now))).status,
      (await h.sender.event(reactionEvent({ added: true, reaction: 'five', channel, ts: message.ts, user: mallory }), options(now))).status,
    ];
    await h.slack.idle();

    expect(statuses).toEqual([401, 401, 401]);
    expect(await footprint()).toEqual(before);
  });

  it('accepts the same requests when correctly signed (so the refusals above are about the signature)', async () => {
    const channel = h.channel();
    const trent = h.person('trent');
    const { message, postId } = await h.postCard(channel, trent);
    const before = await footprint();
    // Four minutes old is inside Slack's window.
    const options = { timestamp: Math.floor(Date.now() / 1000) - 4 * 60 };

    const statuses = [
      (await h.sender.interaction(blockAction({ actionId: `rate:${postId}:5`, channel, messageTs: message.ts, user: trent, responseUrl: h.standIn.responseUrl() }), options)).status,
      (await h.sender.event(reactionEvent({ added: true, reaction: 'five', channel, ts: message.ts, user: trent }), options)).status,
    ];
    await h.slack.idle();

    expect(statuses).toEqual([200, 200]);
    const after = await footprint();
    expect(after.ratings).toBe(before.ratings + 1);
    expect(after.processed).toBe(before.processed + 2);
  });

  it('answers Slack’s url_verification challenge (only when signed)', async () => {
    const challenge = { token: 'x', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
    const signed = await h.sender.event(challenge);
    expect(signed.status).toBe(200);
    expect(JSON.parse(signed.body)).toEqual({ challenge: challenge.challenge });
    expect((await h.sender.event(challenge, { sign: false })).status).toBe(401);
  });
});
