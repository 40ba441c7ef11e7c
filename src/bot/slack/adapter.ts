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

/** Thrown to Bolt so Slack gets a 500 for a rating not stored (yet), so it is not taken as done (see `answerOnceStored`). */
class NotStored extends Error {}

/** What a rating listener learned before answering: stored (or nothing to store), or failed on our side. */
type Settled = 'stored' | 'failed';

/**
 * Slack through Bolt in HTTP mode: one endpoint (/slack/events) for events, interactivity and slash
 * commands, every request verified by Bolt (v0 signature, 5-minute timestamp window) before any of this
 * code runs. Slash commands are answered at once and reply later (response_url). Clicks and reactions
 * are ratings: Slack's 200 waits until the rating is stored (within a deadline), because Slack never
 * redelivers what it saw acknowledged — a 200 before the write would make a crash lose the rating.
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
      // The HTTP response goes out when the listener returns, not at ack(): rating listeners return once
      // the rating is stored, command listeners once the work is in `inFlight` (so stop() and tests can
      // wait for exactly the work that was accepted).
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
      await this.answerOnceStored('action', (settle) => this.handleAction(body, respond, settle));
    });
    for (const type of ['reaction_added', 'reaction_removed'] as const) {
      // Bolt has called ack() for events (and dropped the bot's own reactions) by now; the response
      // itself still waits for this listener.
      this.app.event(type, async ({ body }) => this.answerOnceStored('reaction', (settle) => this.handleReaction(body, settle)));
    }
    this.app.error(async (error) => {
      if (error.original instanceof NotStored || error instanceof NotStored) {
        this.logger.warn({ err: error }, 'answered Slack 500');
        throw error;
      }
      this.logger.error({ err: error }, 'Bolt could not process a Slack request');
    });
  }

  /**
   * Holds Slack's answer until the work says its event is stored (or has ended), at most the deadline.
   * A fault, or a rating not stored by the deadline, is answered 500: the person sees an error and
   * clicks again, or Slack retries the event, and the delivery id claimed with the rating makes a retry
   * of a rating that did get stored a no-op.
   */
  private async answerOnceStored(kind: string, work: (settle: (outcome: Settled) => void) => Promise<void>): Promise<void> {
    let settle: (outcome: Settled) => void = () => {};
    const settled = new Promise<Settled>((resolve) => {
      settle = resolve;
    });
    // Work that ends without settling had nothing to store (an ignored reaction); work that throws failed.
    const task = this.track(kind, async () => {
      try {
        await work(settle);
      } catch (error) {
        settle('failed');
        throw error;
      }
    }).then(() => 'stored' as const);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.config.SLACK_STORE_DEADLINE_MS);
    });
    const outcome = await Promise.race([settled, task, late]);
    clearTimeout(timer);
    if (outcome === 'late') throw new NotStored(`a Slack ${kind} was not stored within ${this.config.SLACK_STORE_DEADLINE_MS} ms`);
    if (outcome === 'failed') throw new NotStored(`a Slack ${kind} failed on our side and was not stored`);
  }

  /**
   * Runs accepted work detached from the HTTP response; a failure (even a synchronous one, such as a
   * payload that fails its schema) is logged, never lost, and never turns the answer into a 500.
   */
  private track(kind: string, work: () => Promise<void>): Promise<void> {
    const task: Promise<void> = Promise.resolve()
      .then(work)
      .catch((error: unknown) => this.logger.error({ err: error, kind }, 'Slack request failed after it was accepted'))
      .finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
    return task;
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

  private async handleAction(body: unknown, respond: RespondFn | undefined, settle: (outcome: Settled) => void): Promise<void> {
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
    await this.dispatchAndReply(event, route, settle);
  }

  private async handleReaction(body: unknown, settle: (outcome: Settled) => void): Promise<void> {
    const parsed = reactionEventBody.safeParse(body);
    if (!parsed.success) {
      this.logger.warn({ issues: parsed.error.issues }, 'ignored a malformed reaction event');
      return;
    }
    const event = toReactionEvent(parsed.data, this.identity);
    if (!event) return;
    // Asked of Slack only for a rating emoji on one of our messages, not for every reaction in the channel.
    const user = { ...event.user, displayName: await this.users.displayName(parsed.data.event.user) };
    await this.dispatchAndReply({ ...event, user }, { channelId: parsed.data.event.item.channel ?? '', userId: parsed.data.event.user }, settle);
  }

  /** `settle` learns, before any reply goes out, whether the core stored the event or failed on our side. */
  private async dispatchAndReply(event: IncomingEvent, route: ReplyRoute, settle?: (outcome: Settled) => void): Promise<void> {
    if (!this.onEvent) throw new Error('the Slack adapter is not started');
    const result = await this.onEvent(event);
    settle?.(result.fault ? 'failed' : 'stored');
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
