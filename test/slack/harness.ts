import { readFile } from 'node:fs/promises';
import { expect } from 'vitest';
import type { SlackAdapter } from '../../src/bot/slack/adapter.js';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { startTestBot, type TestBot } from '../support/bot.js';
import { slackAdapterOf, slackTestEnv } from '../support/stack.js';
import { type Person, slashCommand } from './stand-in/payloads.js';
import { SlackSender } from './stand-in/sender.js';
import type { StandInMessage, StandInUser } from './stand-in/state.js';
import { SlackStandIn } from './stand-in/web-api.js';
import { SIGNING_SECRET, slackId } from './stand-in/wire.js';

export interface SlackHarness {
  standIn: SlackStandIn;
  testBot: TestBot;
  slack: SlackAdapter;
  sender: SlackSender;
  db: TestBot['bot']['core']['db'];
  /** A new channel with the bot in it. */
  channel(): string;
  /** A new workspace member (admin/owner flags as users.info will report them). */
  person(name: string, flags?: Partial<Omit<StandInUser, 'name'>>): Person;
  seedDeck(): Promise<void>;
  /** Runs /quiz as `user` and returns the card Slack stored and its Post row. */
  postCard(channel: string, user: Person): Promise<{ message: StandInMessage; postId: number }>;
  close(): Promise<void>;
}

/**
 * The real bot (composition root, core, Postgres, Redis) with Slack switched on by its env vars and its
 * Web API client pointed at the stand-in. Requests reach Bolt only through the signing sender.
 */
export async function startSlackHarness(env: NodeJS.ProcessEnv = {}): Promise<SlackHarness> {
  const standIn = await SlackStandIn.start();
  const testBot = await startTestBot({ env: { ...slackTestEnv(standIn), ...env } });
  const slack = slackAdapterOf(testBot.bot);
  const sender = new SlackSender(slack.url, SIGNING_SECRET);
  const db = testBot.bot.core.db;

  return {
    standIn,
    testBot,
    slack,
    sender,
    db,
    channel: () => standIn.state.addChannel(),
    person(name, flags = {}) {
      return standIn.state.addUser({ id: flags.id ?? slackId('U'), name, ...flags });
    },
    async seedDeck() {
      await importDeckBytes(db, await readFile('decks/rnn-flashcards.txt'), { maxBytes: 1024 * 1024 });
    },
    async postCard(channel, user) {
      const before = standIn.state.messages.length;
      const delivery = await sender.slashCommand(slashCommand({ command: '/quiz', channel, user, responseUrl: standIn.responseUrl() }));
      expect(delivery.status).toBe(200);
      await slack.idle();
      const message = standIn.state.messages.slice(before).find((candidate) => candidate.channel === channel);
      if (!message) throw new Error(`/quiz posted no card in ${channel}`);
      const post = await db.post.findFirstOrThrow({ where: { messageRef: message.ts } });
      return { message, postId: post.id };
    },
    async close() {
      await testBot.close();
      await standIn.close();
    },
  };
}
