import { describe, expect, it } from 'vitest';
import { loadSlackConfig, SLACK_DEFAULT_PORT } from '../../src/bot/slack/config.js';
import { toMrkdwn } from '../../src/bot/slack/mrkdwn.js';
import {
  blockActionsBody,
  fileReferences,
  ratingEmoji,
  reactionEventBody,
  slashCommandBody,
  toActionEvent,
  toCommandEvent,
  toReactionEvent,
} from '../../src/bot/slack/parse.js';
import { renderMessage, SLACK_MAX_BUTTON_TEXT, SLACK_MAX_SECTION_TEXT } from '../../src/bot/slack/render.js';
import { renderCardMessage } from '../../src/shared/quiz/card-message.js';
import { ConfigError } from '../../src/shared/config.js';
import { validateBlocks } from './stand-in/blocks.js';
import { blockAction, reactionEvent, slashCommand } from './stand-in/payloads.js';
import { BOT_ID, BOT_USER_ID, TEAM_ID } from './stand-in/wire.js';

const identity = { teamId: TEAM_ID, botUserId: BOT_USER_ID, botId: BOT_ID };
const alice = { id: 'U0ALICE01', name: 'alice' };

describe('core markdown → Slack mrkdwn', () => {
  it.each([
    ['**Answer**\nLSTMs & GRUs', '*Answer*\nLSTMs &amp; GRUs'],
    ['a *soft* word and a **hard** one', 'a _soft_ word and a *hard* one'],
    ['see [the paper](https://arxiv.org/abs/1409.3215)', 'see <https://arxiv.org/abs/1409.3215|the paper>'],
    ['# Leaderboard\n- one\n- two', '*Leaderboard*\n• one\n• two'],
    ['x < y > z and `a **b** <c>`', 'x &lt; y &gt; z and `a **b** <c>`'],
    ['~~gone~~', '~gone~'],
  ])('%j → %j', (markdown, mrkdwn) => {
    expect(toMrkdwn(markdown)).toBe(mrkdwn);
  });
});

describe('core messages → Block Kit', () => {
  it('renders the quiz card into blocks Slack accepts, keeping the button ids as action_ids', () => {
    const card = renderCardMessage({ postId: 42, deckName: 'RNN Flashcards', cardNumber: 7, question: 'Why do gradients vanish?' });
    const rendered = renderMessage(card as Exclude<typeof card, { kind: 'image' }>);
    expect(validateBlocks(rendered.blocks)).toEqual([]);
    expect(rendered.text).toBe('RNN Flashcards · card 7: Why do gradients vanish?');
    const actions = rendered.blocks?.find((block) => block.type === 'actions');
    expect(actions && 'elements' in actions ? actions.elements.map((element) => 'action_id' in element && element.action_id) : []).toEqual([
      'reveal:42',
      'rate:42:1',
      'rate:42:2',
      'rate:42:3',
      'rate:42:4',
      'rate:42:5',
    ]);
  });

  it('cuts text to Slack’s limits instead of having the whole message refused', () => {
    const rendered = renderMessage({
      kind: 'card',
      title: 'T'.repeat(500),
      body: 'x'.repeat(10_000),
      buttons: [{ id: 'b', label: 'L'.repeat(200) }],
      fallbackText: 'long',
    });
    expect(validateBlocks(rendered.blocks)).toEqual([]);
    const section = rendered.blocks?.find((block) => block.type === 'section');
    expect(section && 'text' in section ? section.text?.text.length : 0).toBe(SLACK_MAX_SECTION_TEXT);
    const actions = rendered.blocks?.find((block) => block.type === 'actions');
    const button = actions && 'elements' in actions ? actions.elements[0] : undefined;
    expect(button && 'text' in button ? button.text.text.length : 0).toBe(SLACK_MAX_BUTTON_TEXT);
  });

  it('refuses a button id Slack would truncate rather than route clicks to nothing', () => {
    expect(() => renderMessage({ kind: 'card', body: 'b', buttons: [{ id: 'x'.repeat(300), label: 'L' }], fallbackText: 'f' })).toThrow(
      /longer than Slack's 255/,
    );
  });
});

describe('Slack payloads → core events', () => {
  it('turns a slash command into a command event with a stable delivery id', () => {
    const body = slashCommandBody.parse(
      slashCommand({ command: '/Subscribe', text: ' 09:00 UTC ', channel: 'C0QUIZ01', user: alice, responseUrl: 'https://hooks.slack.com/x', triggerId: 'T.1.a' }),
    );
    expect(toCommandEvent(body, identity, [])).toEqual({
      kind: 'command',
      name: 'subscribe',
      text: '09:00 UTC',
      options: {},
      attachments: [],
      user: { id: `slack:${TEAM_ID}:${alice.id}`, displayName: 'alice' },
      conversation: `slack:${TEAM_ID}:C0QUIZ01`,
      deliveryId: 'T.1.a',
    });
  });

  it('turns a button click into an action event on the clicked message', () => {
    const body = blockActionsBody.parse(
      blockAction({ actionId: 'rate:3:4', channel: 'C0QUIZ01', messageTs: '1700000000.000100', user: alice, responseUrl: 'https://hooks.slack.com/y', triggerId: 'T.2.b' }),
    );
    expect(toActionEvent(body, identity)).toMatchObject({
      kind: 'action',
      actionId: 'rate:3:4',
      messageRef: '1700000000.000100',
      conversation: `slack:${TEAM_ID}:C0QUIZ01`,
      deliveryId: 'T.2.b',
    });
  });

  it('maps :one: … :five: (any skin tone) to ratings and leaves every other reaction out', () => {
    expect(['one', 'two', 'three', 'four', 'five', 'three::skin-tone-3'].map(ratingEmoji)).toEqual(['one', 'two', 'three', 'four', 'five', 'three']);
    expect(['six', 'keycap_ten', '+1', 'one-two'].map(ratingEmoji)).toEqual([undefined, undefined, undefined, undefined]);
    const onBot = reactionEventBody.parse(reactionEvent({ added: false, reaction: 'four', channel: 'C0QUIZ01', ts: '1.2', user: alice, eventId: 'Ev0001' }));
    expect(toReactionEvent(onBot, identity, 'alice')).toMatchObject({ emoji: 'four', added: false, messageRef: '1.2', deliveryId: 'Ev0001' });
    const onSomeoneElse = reactionEventBody.parse(reactionEvent({ added: true, reaction: 'four', channel: 'C0QUIZ01', ts: '1.2', user: alice, itemUser: 'U0OTHER01' }));
    expect(toReactionEvent(onSomeoneElse, identity, 'alice')).toBeUndefined();
  });

  it('finds shared files by link (plain or escaped) or bare id, and nothing else', () => {
    expect(fileReferences('import https://quizcast-test.slack.com/files/U0ALICE01/F0DECK0001/rnn.txt')).toEqual(['F0DECK0001']);
    expect(fileReferences('import <https://x.slack.com/files/U0ALICE01/F0DECK0002/FLASHCARDS.txt|rnn.txt>')).toEqual(['F0DECK0002']);
    expect(fileReferences('import F0DECK0003')).toEqual(['F0DECK0003']);
    expect(fileReferences('import F12 deck')).toEqual([]);
    expect(fileReferences('import my-deck.txt')).toEqual([]);
  });
});

describe('Slack settings', () => {
  it('is off without token and secret, on with both, and refuses half a configuration', () => {
    expect(loadSlackConfig({})).toBeUndefined();
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: ' ', SLACK_SIGNING_SECRET: '' })).toBeUndefined();
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 's3cret', SLACK_ADMIN_USERS: 'U0A, W0B' })).toEqual({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 's3cret',
      SLACK_PORT: SLACK_DEFAULT_PORT,
      SLACK_API_URL: 'https://slack.com/api/',
      SLACK_STORE_DEADLINE_MS: 2500,
      SLACK_ADMIN_USERS: ['U0A', 'W0B'],
    });
    expect(() => loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toThrow(ConfigError);
    expect(() => loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN/);
  });
});
