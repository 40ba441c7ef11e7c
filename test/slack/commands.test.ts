import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommand } from '../../src/shared/commands/registry.js';
import { ratingButtonLabel } from '../../src/shared/quiz/card-message.js';
import type { Reply } from '../../src/shared/chat/types.js';
import { type SlackHarness, startSlackHarness } from './harness.js';
import { slashCommand } from './stand-in/payloads.js';

const ALLOW_LISTED = 'U0ALLOWLST';
let h: SlackHarness;

/** A promise the test settles by hand: "slow" without a clock. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const slowWork = gate();
const slowFollowUp = gate<Reply[]>();
registerCommand({
  name: 'slowpoke',
  description: 'Test-only: answers when the test says so',
  usage: '/slowpoke',
  options: [],
  async handle() {
    await slowWork.promise;
    return { replies: [{ message: { kind: 'text', markdown: 'The **slow** answer.' } }] };
  },
});
registerCommand({
  name: 'later',
  description: 'Test-only: acknowledges, then follows up when the test says so',
  usage: '/later',
  options: [],
  async handle() {
    return { replies: [{ message: { kind: 'text', markdown: 'Working on it…' }, ephemeral: true }], followUp: slowFollowUp.promise };
  },
});

beforeAll(async () => {
  h = await startSlackHarness({ SLACK_ADMIN_USERS: ALLOW_LISTED });
  await h.seedDeck();
});

afterAll(async () => {
  await h?.close();
});

function run(command: string, channel: string, user: { id: string; name: string }, text = '') {
  const responseUrl = h.standIn.responseUrl();
  const id = responseUrl.split('/').at(-2)!;
  const delivery = h.sender.slashCommand(slashCommand({ command, text, channel, user, responseUrl }));
  return { delivery, responsesTo: () => h.standIn.responses.filter((post) => post.id === id).map((post) => post.body) };
}

describe('slash commands over Slack', () => {
  it('/quiz posts the card as Block Kit with Show answer and the 1–5 rating buttons, then confirms privately', async () => {
    const channel = h.channel();
    const alice = h.person('alice');

    const { message, postId } = await h.postCard(channel, alice);

    const post = await h.db.post.findUniqueOrThrow({ where: { id: postId }, include: { card: true, conversation: true } });
    expect(post.conversation.ref).toBe(`slack:${h.standIn.state.teamId}:${channel}`);
    expect(post.deliveredAt).not.toBeNull();
    const blocks = message.blocks as { type: string; text?: { text: string }; elements?: { action_id: string; text: { text: string } }[] }[];
    expect(blocks.map((block) => block.type)).toEqual(['header', 'section', 'actions']);
    expect(blocks[1]?.text?.text).toContain('What is the big idea behind RNN?');
    expect(blocks[2]?.elements?.map((button) => [button.action_id, button.text.text])).toEqual([
      [`reveal:${postId}`, 'Show answer'],
      ...[1, 2, 3, 4, 5].map((n) => [`rate:${postId}:${n}`, ratingButtonLabel(n)]),
    ]);
    expect(blocks[2]?.elements?.[1]?.text.text).toBe('1 · Not at all');
    expect(message.text).toContain(post.card.question);
    // The bot pre-adds :one: … :five: so rating by reaction is one click.
    expect([...message.reactions.keys()]).toEqual(['one', 'two', 'three', 'four', 'five']);
    const confirmation = h.standIn.responses.at(-1)?.body;
    expect(confirmation).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(confirmation?.text)).toMatch(/^Posted card \d+ of RNN Flashcards\.$/);
  });

  it('refuses /subscribe from a member who is neither admin, owner nor allow-listed, and changes nothing', async () => {
    const channel = h.channel();
    const bob = h.person('bob');

    const { delivery, responsesTo } = run('/subscribe', channel, bob, '08:30 Europe/Paris');
    expect((await delivery).status).toBe(200);
    await h.slack.idle();

    expect(h.standIn.callsTo('users.info').some((call) => call.args.user === bob.id)).toBe(true);
    expect(responsesTo()).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('Only an admin') }),
    ]);
    const conversation = await h.db.conversation.findUnique({
      where: { ref: `slack:${h.standIn.state.teamId}:${channel}` },
      include: { quizSubscription: true },
    });
    expect(conversation?.quizSubscription ?? null).toBeNull();
  });

  it('lets a workspace admin (users.info is_admin) and an allow-listed member subscribe', async () => {
    for (const member of [h.person('carol', { isAdmin: true }), h.person('dave', { id: ALLOW_LISTED })]) {
      const channel = h.channel();
      const { delivery, responsesTo } = run('/subscribe', channel, member, '08:30 Europe/Paris');
      expect((await delivery).status).toBe(200);
      await h.slack.idle();

      expect(responsesTo()).toEqual([expect.objectContaining({ response_type: 'in_channel', text: expect.stringContaining('08:30 (Europe/Paris)') })]);
      const subscription = await h.db.quizSubscription.findFirst({
        where: { conversation: { ref: `slack:${h.standIn.state.teamId}:${channel}` } },
      });
      expect(subscription).toMatchObject({ postTime: '08:30', timezone: 'Europe/Paris' });
    }
  });

  it('acknowledges a slow command at once and answers through response_url when the work is done', async () => {
    const channel = h.channel();
    const erin = h.person('erin');
    const { delivery, responsesTo } = run('/slowpoke', channel, erin);

    // The handler is still blocked on the gate: if the ack waited for it, this await would never return.
    expect(await delivery).toEqual({ status: 200, body: '' });
    expect(responsesTo()).toEqual([]);

    slowWork.open();
    await h.standIn.waitUntil(() => responsesTo().length > 0);
    await h.slack.idle();
    expect(responsesTo()).toEqual([{ response_type: 'in_channel', replace_original: false, text: 'The *slow* answer.' }]);
  });

  it('sends the quick part of an answer first and its follow-up later, both through response_url', async () => {
    const channel = h.channel();
    const { delivery, responsesTo } = run('/later', channel, h.person('frank'));
    expect((await delivery).status).toBe(200);

    await h.standIn.waitUntil(() => responsesTo().length === 1);
    expect(responsesTo()[0]).toMatchObject({ response_type: 'ephemeral', text: 'Working on it…' });

    slowFollowUp.open([{ message: { kind: 'text', markdown: 'Done: [details](https://example.com/a?b=1&c=2)' } }]);
    await h.slack.idle();
    expect(responsesTo()[1]).toMatchObject({ response_type: 'in_channel', text: 'Done: <https://example.com/a?b=1&amp;c=2|details>' });
  });

  it('waits out a rate limit (429 + Retry-After) and retries, posting the card once', async () => {
    const channel = h.channel();
    h.standIn.rateLimitOnce('chat.postMessage', 1);
    const before = h.standIn.callsTo('chat.postMessage').length;

    await h.postCard(channel, h.person('gina'));

    const attempts = h.standIn.callsTo('chat.postMessage').slice(before);
    expect(attempts.map((call) => [call.status, call.response.error ?? 'ok'])).toEqual([
      [429, 'ratelimited'],
      [200, 'ok'],
    ]);
    // The client honoured Retry-After: 1 rather than retrying at once (a lower bound, never flaky).
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(h.standIn.state.messages.filter((message) => message.channel === channel)).toHaveLength(1);
  });

  it('imports a deck from a file shared in the channel, named by its link', async () => {
    const channel = h.channel();
    const admin = h.person('hana', { isOwner: true });
    const deck = (await readFile('decks/rnn-flashcards.txt', 'utf8')).replace('RNN Flashcards', 'Shared Deck');
    const file = h.standIn.state.addFile({ name: 'shared-deck.txt', content: Buffer.from(deck), user: admin.id, channels: [channel] });

    const { delivery, responsesTo } = run('/deck', channel, admin, `import ${file.permalink}`);
    expect((await delivery).status).toBe(200);
    await h.slack.idle();

    expect(responsesTo()).toEqual([expect.objectContaining({ text: expect.stringMatching(/^Deck “Shared Deck”: \d+ new/) })]);
    expect(h.standIn.downloads).toContainEqual({ fileId: file.id, authorized: true });
    expect(await h.db.deck.findUnique({ where: { name: 'Shared Deck' } })).not.toBeNull();
  });

  it('refuses a file that is not shared in the channel, and never downloads a file for a non-admin', async () => {
    const channel = h.channel();
    const elsewhere = h.channel();
    const admin = h.person('ivan', { isAdmin: true });
    const member = h.person('jo');
    const content = Buffer.from((await readFile('decks/rnn-flashcards.txt', 'utf8')).replace('RNN Flashcards', 'Other Deck'));
    const foreign = h.standIn.state.addFile({ name: 'other.txt', content, user: admin.id, channels: [elsewhere] });
    const local = h.standIn.state.addFile({ name: 'local.txt', content, user: admin.id, channels: [channel] });

    const refused = run('/deck', channel, admin, `import ${foreign.id}`);
    expect((await refused.delivery).status).toBe(200);
    const byMember = run('/deck', channel, member, `import ${local.id}`);
    expect((await byMember.delivery).status).toBe(200);
    await h.slack.idle();

    expect(refused.responsesTo()).toEqual([expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('not shared in this channel') })]);
    expect(byMember.responsesTo()).toEqual([expect.objectContaining({ text: expect.stringContaining('Only an admin') })]);
    expect(h.standIn.downloads.filter((download) => [foreign.id, local.id].includes(download.fileId))).toEqual([]);
    expect(await h.db.deck.findUnique({ where: { name: 'Other Deck' } })).toBeNull();
  });

  it('answers an unknown command politely and privately', async () => {
    const { delivery, responsesTo } = run('/nonesuch', h.channel(), h.person('kim'));
    expect((await delivery).status).toBe(200);
    await h.slack.idle();
    expect(responsesTo()).toEqual([expect.objectContaining({ response_type: 'ephemeral', text: expect.stringContaining('There is no /nonesuch command') })]);
  });
});
