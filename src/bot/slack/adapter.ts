import type { AddressInfo } from 'node:net';
import { App, type RespondFn, webApi } from '@slack/bolt';
import type {
  Attachment,
  ChatAdapter,
  ConversationRef,
  HandlerResult,
  IncomingEvent,
  OutgoingMessage,
  SentMessage,
  UserRef,
} from '../../shared/chat/types.js';
import { findCommand } from '../../shared/commands/registry.js';
import type { Logger } from '../../shared/logger.js';
import { SLACK_EVENTS_PATH, type SlackConfig } from './config.js';
import { SlackFileProblem, SlackFiles } from './files.js';
import { boltLogger } from './logger.js';
import {
  actionChannel,
  authTestResult,
  blockActionsBody,
  fileReferences,
  parseSlackConversationRef,
  postedMessage,
  ratingEmoji,
  reactionEventBody,
  type SlackIdentity,
  type SlashCommandBody,
  slackUserId,
  slashCommandBody,
  toActionEvent,
  toCommandEvent,
  toReactionEvent,
  uploadedFileId,
} from './parse.js';
import { renderMessage, renderUpload } from './render.js';
import { commandRoute, type ReplyRoute, SlackReplies } from './replies.js';
import { SlackUsers, slackErrorCode } from './users.js';

/**
 * Slack through Bolt in HTTP mode: one endpoint (/slack/events) for events, interactivity and slash
 * commands, every request verified by Bolt (v0 signature, 5-minute timestamp window) before any of this
 * code runs. Each listener acknowledges first and hands the work to `track`, so Slack always gets its
 * answer within its 3 seconds and slow work replies later (response_url, chat.postEphemeral/postMessage).
 */
export class SlackAdapter implements ChatAdapter {
  readonly platform = 'slack';
  private readonly client: webApi.WebClient;
  private readonly users: SlackUsers;
  private readonly files: SlackFiles;
  private readonly replies: SlackReplies;
  private readonly inFlight = new Set<Promise<void>>();
  private onEvent: ((event: IncomingEvent) => Promise<HandlerResult>) | undefined;
  private port: number | undefined;

  /** Asks Slack who the token belongs to (auth.test) first: a wrong token stops startup, not the first event. */
  static async create(config: SlackConfig, logger: Logger): Promise<SlackAdapter> {
    const log = logger.child({ platform: 'slack' });
    const clientOptions = { slackApiUrl: config.SLACK_API_URL, logger: boltLogger(log) };
    const identity = authTestResult.parse(await new webApi.WebClient(config.SLACK_BOT_TOKEN, clientOptions).auth.test());
    const app = new App({
      token: config.SLACK_BOT_TOKEN,
      signingSecret: config.SLACK_SIGNING_SECRET,
      // Known ids mean Bolt's authorize() needs no auth.test of its own.
      botId: identity.botId,
      botUserId: identity.botUserId,
      logger: clientOptions.logger,
      clientOptions: { slackApiUrl: config.SLACK_API_URL },
      // Listeners only ack and hand work to `track`, so holding the HTTP response until they return costs
      // microseconds and guarantees accepted work is in `inFlight` before Slack sees the 200: stop() (and
      // a test) can then wait for exactly the work that was accepted.
      processBeforeResponse: true,
      convoStore: false,
    });
    return new SlackAdapter(app, identity, config, log);
  }

  private constructor(
    private readonly app: App,
    readonly identity: SlackIdentity,
    private readonly config: SlackConfig,
    private readonly logger: Logger,
  ) {
    this.client = app.client;
    this.users = new SlackUsers(app.client, config.SLACK_ADMIN_USERS, logger);
    this.files = new SlackFiles(app.client, config.SLACK_BOT_TOKEN, config.SLACK_API_URL);
    this.replies = new SlackReplies(app.client);
    this.client.on(webApi.WebClientEvent.RATE_LIMITED, (retryAfterSeconds: number, request: { url?: string }) =>
      this.logger.warn({ retryAfterSeconds, url: request.url }, 'Slack rate-limited a call; the client waits and retries'),
    );
    this.registerListeners();
  }

  /** The endpoint on this machine (Slack reaches it through your public URL; tests post here directly). */
  get url(): string {
    if (this.port === undefined) throw new Error('the Slack adapter is not started');
    return `http://127.0.0.1:${this.port}${SLACK_EVENTS_PATH}`;
  }

  async start(onEvent: (event: IncomingEvent) => Promise<HandlerResult>): Promise<void> {
    this.onEvent = onEvent;
    const server = await this.app.start(this.config.SLACK_PORT);
    this.port = (server.address() as AddressInfo).port;
    this.logger.info({ port: this.port, path: SLACK_EVENTS_PATH }, 'Slack endpoint listening');
  }

  async stop(): Promise<void> {
    if (this.port !== undefined) await this.app.stop();
    this.port = undefined;
    await this.idle();
    this.onEvent = undefined;
  }

  /** Resolves when every acknowledged request has been fully handled (replies sent or failure logged). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async send(conversation: ConversationRef, message: OutgoingMessage): Promise<SentMessage> {
    const channel = this.channelOf(conversation);
    if (message.kind === 'image') {
      // Slack shares an uploaded file asynchronously, so there is no message ts yet: the file id stands in.
      const uploaded = await this.client.filesUploadV2({ channel_id: channel, ...renderUpload(message) });
      return { messageRef: uploadedFileId.parse(uploaded) };
    }
    const posted = postedMessage.parse(await this.client.chat.postMessage({ channel, ...renderMessage(message) }));
    if (message.kind === 'card') await this.addReactions(channel, posted.ts, message.reactions ?? []);
    return { messageRef: posted.ts };
  }

  async edit(conversation: ConversationRef, messageRef: string, message: OutgoingMessage): Promise<void> {
    if (message.kind === 'image') throw new Error('Slack cannot turn a message into an uploaded file; send a new one');
    await this.client.chat.update({ channel: this.channelOf(conversation), ts: messageRef, ...renderMessage(message) });
  }

  async isAdmin(user: UserRef): Promise<boolean> {
    const userId = slackUserId(user);
    return userId ? this.users.isAdmin(userId) : false;
  }

  private registerListeners(): void {
    this.app.command(/.*/, async ({ ack, body, respond }) => {
      await ack();
      this.track('command', () => this.handleCommand(slashCommandBody.parse(body), respond));
    });
    this.app.action(/.*/, async ({ ack, body, respond }) => {
      await ack();
      this.track('action', () => this.handleAction(body, respond));
    });
    for (const type of ['reaction_added', 'reaction_removed'] as const) {
      // Bolt has already acknowledged events (and dropped the bot's own reactions) by now.
      this.app.event(type, async ({ body }) => this.track('reaction', () => this.handleReaction(body)));
    }
    this.app.error(async (error) => {
      this.logger.error({ err: error }, 'Bolt could not process a Slack request');
    });
  }

  /**
   * Runs acknowledged work detached from the HTTP response; a failure (even a synchronous one, such as
   * a payload that fails its schema) is logged, never lost, and never turns the ack into a 500.
   */
  private track(kind: string, work: () => Promise<void>): void {
    const task: Promise<void> = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.logger.error({ err: error, kind }, 'Slack request failed after it was acknowledged'))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private async handleCommand(command: SlashCommandBody, respond: RespondFn): Promise<void> {
    const route = commandRoute(command.channel_id, command.user_id, respond);
    let attachments: Attachment[];
    try {
      attachments = await this.sharedFiles(command);
    } catch (error) {
      if (!(error instanceof SlackFileProblem)) throw error;
      await this.replies.deliver(route, [{ message: { kind: 'text', markdown: error.message }, ephemeral: true }]);
      return;
    }
    await this.dispatchAndReply(toCommandEvent(command, this.identity, attachments), route);
  }

  /** Only commands the core declares as taking a file look for file links, so other text is never misread. */
  private async sharedFiles(command: SlashCommandBody): Promise<Attachment[]> {
    const definition = findCommand(command.command.slice(1));
    const options = [...(definition?.options ?? []), ...(definition?.subcommands ?? []).flatMap((sub) => sub.options)];
    if (!options.some((option) => option.type === 'attachment')) return [];
    return Promise.all(fileReferences(command.text).map((id) => this.files.attachment(id, command.channel_id)));
  }

  private async handleAction(body: unknown, respond: RespondFn | undefined): Promise<void> {
    const parsed = blockActionsBody.safeParse(body);
    const event = parsed.success ? toActionEvent(parsed.data, this.identity) : undefined;
    if (!parsed.success || !event) {
      this.logger.warn({ issues: parsed.error?.issues }, 'ignored an interaction that is not a click on a channel message');
      return;
    }
    // A click on an ephemeral message (a private /review card) is answered through its response_url:
    // the bot may not be in that channel, so chat.postEphemeral could be refused.
    const channelId = actionChannel(parsed.data) ?? '';
    const route: ReplyRoute =
      parsed.data.container?.is_ephemeral === true && respond
        ? commandRoute(channelId, parsed.data.user.id, respond)
        : { channelId, userId: parsed.data.user.id };
    await this.dispatchAndReply(event, route);
  }

  private async handleReaction(body: unknown): Promise<void> {
    const parsed = reactionEventBody.safeParse(body);
    if (!parsed.success) {
      this.logger.warn({ issues: parsed.error.issues }, 'ignored a malformed reaction event');
      return;
    }
    if (!ratingEmoji(parsed.data.event.reaction)) return;
    const name = await this.users.displayName(parsed.data.event.user);
    const event = toReactionEvent(parsed.data, this.identity, name);
    if (!event) return;
    await this.dispatchAndReply(event, { channelId: parsed.data.event.item.channel ?? '', userId: parsed.data.event.user });
  }

  private async dispatchAndReply(event: IncomingEvent, route: ReplyRoute): Promise<void> {
    if (!this.onEvent) throw new Error('the Slack adapter is not started');
    const result = await this.onEvent(event);
    await this.replies.deliver(route, result.replies);
    if (result.followUp) await this.replies.deliver(route, await result.followUp);
  }

  /** The bot adds the rating emoji itself so rating is one click; a failure here leaves the card usable. */
  private async addReactions(channel: string, ts: string, names: readonly string[]): Promise<void> {
    for (const name of names) {
      try {
        await this.client.reactions.add({ channel, timestamp: ts, name });
      } catch (error) {
        if (slackErrorCode(error) === 'already_reacted') continue;
        this.logger.warn({ err: error, channel, ts, name }, 'could not add a rating reaction to a card');
      }
    }
  }

  private channelOf(conversation: ConversationRef): string {
    const ref = parseSlackConversationRef(conversation);
    if (!ref) throw new Error(`${conversation} is not a Slack conversation`);
    if (ref.teamId !== this.identity.teamId) {
      throw new Error(`${conversation} belongs to workspace ${ref.teamId}; this bot token is for ${this.identity.teamId}`);
    }
    return ref.channelId;
  }
}
