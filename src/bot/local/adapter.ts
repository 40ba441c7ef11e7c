import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type {
  Attachment,
  ChatAdapter,
  ConversationRef,
  HandlerResult,
  IncomingEvent,
  OutgoingMessage,
  Reply,
  SentMessage,
  UserRef,
} from '../../shared/chat/types.js';
import type { Clock } from '../../shared/time.js';
import { LOCAL_IMAGE_ROUTE, type LocalMessage, type LocalMessageStore } from './message-store.js';
import { renderLocalMessage } from './render.js';
import {
  channelName,
  parseTypedCommand,
  postActionBody,
  postMessageBody,
  postReactionBody,
  toActionEvent,
  toReactionEvent,
  userName,
} from './parse.js';
import { localChatPage } from './page.js';

const BOT_NAME = 'quizcast';
/** The local API waits this long for slow answers (model scores) so scripts get them in one call. */
const FOLLOW_UP_WAIT_MS = 30_000;

const attachmentBody = z
  .object({ name: z.string().min(1).max(200), contentBase64: z.string().max(20_000_000) })
  .optional();
/** Built once: zod compiles a schema on first use, and a schema extended per request is compiled per request. */
const postMessageWithAttachment = postMessageBody.extend({ attachment: attachmentBody });

/**
 * The no-token chat: a page and a JSON API on the bot's HTTP server. Users are just names (one
 * browser can act as a team); admins are the names in LOCAL_ADMINS.
 */
export class LocalAdapter implements ChatAdapter {
  readonly platform = 'local';
  private onEvent: ((event: IncomingEvent) => Promise<HandlerResult>) | undefined;

  constructor(
    private readonly store: LocalMessageStore,
    private readonly admins: readonly string[],
    private readonly clock: Clock,
  ) {}

  async start(onEvent: (event: IncomingEvent) => Promise<HandlerResult>): Promise<void> {
    this.onEvent = onEvent;
  }

  async stop(): Promise<void> {
    this.onEvent = undefined;
  }

  async send(conversation: ConversationRef, message: OutgoingMessage): Promise<SentMessage> {
    const stored = await this.append(channelName.parse(conversation), BOT_NAME, message);
    return { messageRef: stored.id };
  }

  async edit(_conversation: ConversationRef, messageRef: string, message: OutgoingMessage): Promise<void> {
    // Reactions live in their own hash, so the stored message is all there is to update.
    const existing = await this.store.find(messageRef);
    if (!existing) return;
    await this.store.replace({ ...existing, ...(await this.render(message)) });
  }

  async isAdmin(user: UserRef): Promise<boolean> {
    return this.admins.includes(user.displayName);
  }

  private render(message: OutgoingMessage) {
    return renderLocalMessage(message, (png) => this.store.putImage(png));
  }

  private async append(conversation: string, author: string, message: OutgoingMessage, visibleTo?: string) {
    return this.store.append(
      { conversation, author, ...(await this.render(message)), ...(visibleTo ? { visibleTo } : {}) },
      this.clock(),
    );
  }

  private async deliver(conversation: string, user: string, result: HandlerResult): Promise<LocalMessage[]> {
    const shown = await this.appendReplies(conversation, user, result.replies);
    if (result.followUp) {
      const later = await Promise.race([
        result.followUp,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), FOLLOW_UP_WAIT_MS).unref()),
      ]);
      if (later) shown.push(...(await this.appendReplies(conversation, user, later)));
      else void result.followUp.then((replies) => this.appendReplies(conversation, user, replies));
    }
    return shown;
  }

  private async appendReplies(conversation: string, user: string, replies: Reply[]): Promise<LocalMessage[]> {
    const shown: LocalMessage[] = [];
    for (const item of replies) {
      shown.push(await this.append(conversation, BOT_NAME, item.message, item.ephemeral ? user : undefined));
    }
    return shown;
  }

  private dispatch(event: IncomingEvent): Promise<HandlerResult> {
    if (!this.onEvent) throw new Error('local adapter is not started');
    return this.onEvent(event);
  }

  registerRoutes(app: FastifyInstance): void {
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(localChatPage));

    app.get('/api/local/conversations', async () => ({ conversations: await this.store.conversations() }));

    app.get<{ Params: { name: string } }>(`${LOCAL_IMAGE_ROUTE}/:name`, async (request, reply) => {
      const sha256 = /^([0-9a-f]{64})\.png$/.exec(request.params.name)?.[1];
      const png = sha256 ? await this.store.image(sha256) : undefined;
      if (!png) return reply.code(404).send({ error: 'not_found', message: 'No such image (it may have expired).' });
      // Content-addressed: the bytes under a name never change.
      return reply.type('image/png').header('cache-control', 'public, max-age=31536000, immutable').send(png);
    });

    app.get<{ Params: { conversation: string }; Querystring: { user?: string } }>(
      '/api/local/conversations/:conversation/messages',
      async (request, reply) => {
        const conversation = channelName.safeParse(request.params.conversation);
        const viewer = request.query.user === undefined ? undefined : userName.safeParse(request.query.user);
        if (!conversation.success) return badRequest(reply, conversation.error);
        if (viewer && !viewer.success) return badRequest(reply, viewer.error);
        return { messages: await this.store.list(conversation.data, viewer?.data) };
      },
    );

    app.post('/api/local/messages', async (request, reply) => {
      const parsed = postMessageWithAttachment.safeParse(request.body);
      if (!parsed.success) return badRequest(reply, parsed.error);
      const body = parsed.data;
      const message = await this.append(body.conversation, body.user, { kind: 'text', markdown: body.text });
      const command = parseTypedCommand(body);
      if (!command) return { message, replies: [] };
      if (body.attachment) command.attachments.push(toAttachment(body.attachment));
      const result = await this.dispatch(command);
      return answer(reply, result, { message, replies: await this.deliver(body.conversation, body.user, result) });
    });

    app.post('/api/local/actions', async (request, reply) => {
      const parsed = postActionBody.safeParse(request.body);
      if (!parsed.success) return badRequest(reply, parsed.error);
      const target = await this.store.find(parsed.data.messageId);
      if (!target || target.conversation !== parsed.data.conversation) {
        return reply.code(404).send({ error: 'not_found', message: 'No such message in this conversation.' });
      }
      if (!target.buttons.some((button) => button.id === parsed.data.actionId)) {
        return reply.code(400).send({ error: 'invalid_input', message: 'That message has no such button.' });
      }
      const result = await this.dispatch(toActionEvent(parsed.data));
      return answer(reply, result, { replies: await this.deliver(parsed.data.conversation, parsed.data.user, result) });
    });

    app.post('/api/local/reactions', async (request, reply) => {
      const parsed = postReactionBody.safeParse(request.body);
      if (!parsed.success) return badRequest(reply, parsed.error);
      const target = await this.store.find(parsed.data.messageId);
      if (!target || target.conversation !== parsed.data.conversation) {
        return reply.code(404).send({ error: 'not_found', message: 'No such message in this conversation.' });
      }
      await this.store.react(target.id, parsed.data.emoji, parsed.data.user, parsed.data.added);
      const result = await this.dispatch(toReactionEvent(parsed.data));
      return answer(reply, result, { replies: await this.deliver(parsed.data.conversation, parsed.data.user, result) });
    });
  }
}

function toAttachment(input: { name: string; contentBase64: string }): Attachment {
  const size = Buffer.byteLength(input.contentBase64, 'base64');
  return { name: input.name, size, download: async () => Buffer.from(input.contentBase64, 'base64') };
}

/**
 * 200 with the replies; 503 when the core failed on our side, still carrying the apology it shows, so a
 * script can tell "done" from "try again" without reading the text.
 */
function answer<T extends { replies: LocalMessage[] }>(reply: FastifyReply, result: HandlerResult, body: T) {
  if (!result.fault) return body;
  const message = body.replies.map((shown) => shown.text).join('\n') || 'Something went wrong on our side.';
  return reply.code(503).send({ error: 'internal', message, ...body });
}

function badRequest(reply: FastifyReply, error: z.ZodError) {
  return reply.code(400).send({
    error: 'invalid_input',
    message: error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
  });
}
