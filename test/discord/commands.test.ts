import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTED_IN_CHANNEL } from '../../src/bot/discord/interaction-responder.js';
import { reply } from '../../src/shared/commands/command.js';
import { registerCommand } from '../../src/shared/commands/registry.js';
import { TEST_DECK } from './support/deck.js';
import { type DiscordBot, startDiscordBot } from './support/discord-bot.js';
import type { RecordedRequest } from './stand-in/index.js';

const EPHEMERAL = 64;
const CALLBACK = 'POST /interactions/:interaction/:token/callback';
const EDIT_ORIGINAL = 'PATCH /webhooks/:application/:token/messages/:message';

/** A command whose handler finishes only when the test says so: slowness without a clock. */
let releaseSlowCheck: () => void = () => undefined;
const slowCheckGate = new Promise<void>((resolve) => {
  releaseSlowCheck = resolve;
});
registerCommand({
  name: 'slowcheck',
  description: 'Test command that answers privately once released',
  usage: '/slowcheck',
  options: [],
  async handle() {
    await slowCheckGate;
    return reply('Checked: everything is fine.', true);
  },
});

describe('Discord slash commands', () => {
  let harness: DiscordBot;

  beforeAll(async () => {
    // By name, as an admin would type it into the environment.
    harness = await startDiscordBot({ env: { DISCORD_ADMIN_ROLE: 'Quiz Admins' } });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const callbackFor = (id: string) => harness.standIn.waitForRequest(CALLBACK, (request) => request.params.interaction === id);
  const responseOf = (request: RecordedRequest) => request.body.json as { type: number; data?: { content?: string; flags?: number } };
  const subscription = () => harness.db.quizSubscription.findFirst({ where: { conversation: { ref: harness.standIn.conversation } } });

  it('refuses a non-admin’s /subscribe politely and privately, and changes nothing', async () => {
    const { standIn } = harness;
    const eve = standIn.member('eve');
    const command = standIn.runCommand(eve, { name: 'subscribe', options: { time: '07:30', timezone: 'Europe/Paris' } });
    const answer = await standIn.answerTo(command);
    expect(answer.public).toEqual([]);
    expect(answer.private).toEqual(['Only an admin of this server or workspace can do that. Nothing was changed.']);
    expect(await subscription()).toBeNull();
    expect(await harness.bot.core.queues.dailyQuiz.getJobSchedulers()).toEqual([]);
  });

  it('lets a member with Manage Server subscribe, with the options read in the core’s order', async () => {
    const { standIn } = harness;
    const owner = standIn.member('olga', { manageGuild: true });
    // Typed in the "wrong" order: Discord sends options as typed; the adapter orders them as declared.
    const command = standIn.runCommand(owner, { name: 'subscribe', options: { timezone: 'Europe/Paris', time: '07:30' } });
    const answer = await standIn.answerTo(command);
    expect(answer.public).toEqual(['Subscribed: a flashcard will be posted here every day at 07:30 (Europe/Paris).']);
    expect(await subscription()).toMatchObject({ postTime: '07:30', timezone: 'Europe/Paris' });
    const schedulers = await harness.bot.core.queues.dailyQuiz.getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.key ?? scheduler.id)).toEqual([`daily-quiz|${standIn.conversation}`]);
  });

  it('treats members of DISCORD_ADMIN_ROLE as admins', async () => {
    const { standIn } = harness;
    const quizAdmin = standIn.member('quentin', { roles: [standIn.world.quizAdminRole] });
    const command = standIn.runCommand(quizAdmin, { name: 'unsubscribe' });
    expect((await standIn.answerTo(command)).public).toEqual(['Unsubscribed: no more daily cards here.']);
    expect(await subscription()).toBeNull();
  });

  it('says an admin command only works in a server when used in a DM', async () => {
    const { standIn } = harness;
    const dm = { dm: standIn.member('dmitri', { manageGuild: true }).user };
    const command = standIn.runCommand(dm, { name: 'subscribe' });
    expect(await standIn.answerTo(command)).toMatchObject({
      private: ['`/subscribe` only works in a server channel, not in direct messages.'],
      public: [],
    });
    expect(await harness.db.quizSubscription.count()).toBe(0);

    // Per subcommand: /forecast show works in DMs, its admin subcommands do not.
    const forecast = standIn.runCommand(dm, { name: 'forecast', subcommand: 'subscribe', options: { symbol: 'SPX' } });
    expect((await standIn.answerTo(forecast)).private).toEqual(['`/forecast subscribe` only works in a server channel, not in direct messages.']);

    const help = standIn.runCommand(dm, { name: 'help' });
    expect((await standIn.answerTo(help)).private.join('')).toContain('/review');
  });

  it('defers a slow command privately, then edits the deferred reply with the answer', async () => {
    const { standIn } = harness;
    const command = standIn.runCommand(standIn.member('sam'), { name: 'slowcheck' });
    const deferral = await callbackFor(command.id);
    expect(responseOf(deferral)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    releaseSlowCheck();
    const token = standIn.world.interactions.get(command.id)?.token;
    const edit = await standIn.waitForRequest(EDIT_ORIGINAL, (request) => request.params.token === token);
    expect(edit.params.message).toBe('@original');
    expect(edit.status).toBe(200);
    expect(edit.body.json).toMatchObject({ content: 'Checked: everything is fine.' });
    expect(edit.index).toBeGreaterThan(deferral.index);
  });

  it('defers /deck import while the attachment downloads slowly, posts the result, and edits the deferral', async () => {
    const { standIn } = harness;
    let releaseDownload: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      releaseDownload = resolve;
    });
    const admin = standIn.member('ines', { manageGuild: true });
    const command = standIn.runCommand(admin, {
      name: 'deck',
      subcommand: 'import',
      files: { file: { filename: 'recurrent-nets.txt', bytes: Buffer.from(TEST_DECK), held } },
    });
    const deferral = await callbackFor(command.id);
    expect(responseOf(deferral)).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    // The bot started fetching the file from the CDN and is waiting for it.
    await standIn.waitForRequest('GET /attachments/:channel/:attachment/:filename');
    releaseDownload();

    // The import summary is public, a deferral is private: the summary goes to the channel…
    const posted = await standIn.waitForRequest('POST /channels/:channel/messages', (request) =>
      String((request.body.json as { content?: string }).content).startsWith('Deck “Recurrent Nets”'),
    );
    expect((posted.body.json as { content: string }).content).toBe('Deck “Recurrent Nets”: 2 new, 0 updated, 0 unchanged.');
    // …and the private "thinking…" is edited to say so.
    const token = standIn.world.interactions.get(command.id)?.token;
    const edit = await standIn.waitForRequest(EDIT_ORIGINAL, (request) => request.params.token === token);
    expect(edit.body.json).toMatchObject({ content: POSTED_IN_CHANNEL });
    expect(posted.index).toBeGreaterThan(deferral.index);
    expect(edit.index).toBeGreaterThan(posted.index);
    expect(await harness.db.card.count({ where: { deck: { name: 'Recurrent Nets' } } })).toBe(2);
  });

  it('made no request Discord would have refused', () => {
    const refused = harness.standIn.requests.entries.filter((request) => (request.status ?? 0) >= 400);
    expect(refused.map((request) => `${request.route} → ${request.status}`)).toEqual([]);
  });
});
