import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIMessage,
  type APIUser,
  ApplicationCommandOptionType,
  GatewayIntentBits,
  InteractionType,
} from 'discord.js';
import { buttonInteractionPayload, chatInputInteractionPayload, type InteractionPlace } from './interaction-payloads.js';
import {
  reactionAddPayload,
  reactionRemovePayload,
  type StandInMember,
} from './payloads.js';
import { DiscordServer, type RecordedRequest } from './stand-in.js';

export type { RecordedRequest } from './stand-in.js';

export const INTERACTION_CALLBACK = 'POST /interactions/:interaction/:token/callback';
export const EDIT_WEBHOOK_MESSAGE = 'PATCH /webhooks/:application/:token/messages/:message';
export type { GatewayFrame } from './gateway.js';
export type { StandInMember } from './payloads.js';

/** Who acts, and where: a guild member in the guild's channel, or a user in their DM with the bot. */
export type Actor = StandInMember | { dm: APIUser };

export interface CommandInput {
  name: string;
  subcommand?: string;
  /** String options, in the order the user typed them. */
  options?: Record<string, string>;
  /** Attachment options: the file is hosted on the stand-in's CDN; `held` delays its download. */
  files?: Record<string, { filename: string; bytes: Buffer; contentType?: string; held?: Promise<void> }>;
}

export interface DeliveredInteraction {
  id: string;
  token: string;
  /** The gateway sequence number of the INTERACTION_CREATE. */
  sequence: number;
}

/**
 * A local Discord for tests: REST under `${apiUrl}/v10`, a gateway at the URL GET /gateway/bot
 * returns, and a CDN, all recording what the client did. The methods below play the users: they
 * build the INTERACTION_CREATE and MESSAGE_REACTION_* payloads Discord would send and dispatch them.
 */
export class DiscordStandIn extends DiscordServer {
  /** The value for DISCORD_API_URL (discord.js's `rest.api`). */
  get apiUrl(): string {
    return `${this.base}/api`;
  }

  get guildId(): string {
    return this.world.guild.id;
  }

  get channelId(): string {
    return this.world.guild.channel.id;
  }

  get conversation(): string {
    return `discord:${this.guildId}:${this.channelId}`;
  }

  member(username: string, options: Parameters<DiscordServer['world']['addMember']>[1] = {}): StandInMember {
    return this.world.addMember(username, options);
  }

  /** A user typing a slash command (as Discord resolves it: typed options and resolved attachments). */
  runCommand(actor: Actor, input: CommandInput): DeliveredInteraction {
    const place = this.place(actor);
    const values: APIApplicationCommandInteractionDataOption[] = Object.entries(input.options ?? {}).map(([name, value]) => ({
      name,
      type: ApplicationCommandOptionType.String,
      value,
    }));
    const attachments: Record<string, APIAttachment> = {};
    for (const [name, file] of Object.entries(input.files ?? {})) {
      const id = this.world.ids.next();
      const url = this.world.hostedFileUrl(this.base, place.channel.id, { id, filename: file.filename });
      this.world.files.set(new URL(url).pathname, {
        bytes: file.bytes,
        contentType: file.contentType ?? 'text/plain; charset=utf-8',
        ...(file.held ? { gate: file.held } : {}),
      });
      attachments[id] = {
        id,
        filename: file.filename,
        size: file.bytes.length,
        url,
        proxy_url: url,
        content_type: file.contentType ?? 'text/plain; charset=utf-8',
        ephemeral: true,
      } as APIAttachment;
      values.push({ name, type: ApplicationCommandOptionType.Attachment, value: id });
    }
    const options: APIApplicationCommandInteractionDataOption[] = input.subcommand
      ? [{ name: input.subcommand, type: ApplicationCommandOptionType.Subcommand, options: values as never }]
      : values;
    const registered = [...this.world.commands.global, ...(this.world.commands.guild.get(this.guildId) ?? [])];
    const commandId = registered.find((command) => command.name === input.name)?.id ?? this.world.ids.next();
    return this.deliver(InteractionType.ApplicationCommand, place, (id, token) =>
      chatInputInteractionPayload({
        id,
        token,
        applicationId: this.world.applicationId,
        commandId,
        name: input.name,
        options,
        attachments,
        where: place,
      }),
    );
  }

  /** A user pressing a button on a message the bot posted. */
  clickButton(actor: Actor, message: APIMessage, customId: string): DeliveredInteraction {
    const place = this.place(actor);
    const current = this.world.messages.get(message.id)?.message ?? message;
    const hasButton = current.components?.some((row) => 'components' in row && row.components.some((c) => 'custom_id' in c && c.custom_id === customId));
    if (!hasButton) throw new Error(`message ${message.id} has no button ${customId}`);
    return this.deliver(
      InteractionType.MessageComponent,
      place,
      (id, token) => buttonInteractionPayload({ id, token, applicationId: this.world.applicationId, customId, message: current, where: place }),
      current,
    );
  }

  /** A member adding (or, with `added: false`, removing) a unicode reaction; undefined if it changed nothing. */
  react(member: StandInMember, message: APIMessage, emoji: string, added = true): number | undefined {
    const stored = this.world.messages.get(message.id);
    if (!stored?.guildId) throw new Error(`message ${message.id} is not a guild message of this stand-in`);
    const users = stored.reactions.get(emoji) ?? new Set<string>();
    const changed = added ? !users.has(member.user.id) : users.has(member.user.id);
    if (added) users.add(member.user.id);
    else users.delete(member.user.id);
    stored.reactions.set(emoji, users);
    if (!changed) return undefined;
    const where = { guildId: stored.guildId, channelId: message.channel_id, messageId: message.id, emoji };
    const data = added
      ? reactionAddPayload({ ...where, member, messageAuthorId: message.author.id })
      : reactionRemovePayload({ ...where, userId: member.user.id });
    const sequence = this.gateway.dispatchForIntent(
      GatewayIntentBits.GuildMessageReactions,
      added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE',
      data,
    );
    if (sequence === undefined) throw new Error('the client did not ask for the GuildMessageReactions intent');
    return sequence;
  }

  /**
   * What the user was shown in answer to an interaction, however the bot answered: an immediate
   * reply (callback type 4), or a deferral (type 5) whose "thinking…" message was later edited, with
   * any channel messages the bot posted in between. Tests that do not care about timing use this,
   * so a slow machine that makes the bot defer does not fail them.
   */
  async answerTo(interaction: DeliveredInteraction): Promise<{ private: string[]; public: string[]; deferred: boolean }> {
    const callback = await this.waitForRequest(INTERACTION_CALLBACK, (request) => request.params.interaction === interaction.id);
    const deferred = (callback.body.json as { type?: number }).type === 5;
    let end = callback.index;
    if (deferred) {
      const edit = await this.requests.waitFor(
        (request) => request.route === EDIT_WEBHOOK_MESSAGE && request.params.token === interaction.token && request.params.message === '@original',
        'the edit of a deferred answer',
      );
      end = edit.index;
    }
    const original = this.world.interactions.get(interaction.id)?.original;
    const texts = { private: [] as string[], public: [] as string[] };
    if (original) texts[(original.flags ?? 0) & 64 ? 'private' : 'public'].push(original.content);
    const posted = this.requests.entries
      .filter((request) => request.index > callback.index && request.index < end && request.route === 'POST /channels/:channel/messages')
      .map((request) => String((request.body.json as { content?: string }).content ?? ''));
    texts.public.push(...posted);
    return { ...texts, deferred };
  }

  /** Messages in a channel, oldest first (interaction responses included). */
  messagesIn(channelId = this.channelId): APIMessage[] {
    return [...this.world.messages.values()].map((stored) => stored.message).filter((message) => message.channel_id === channelId);
  }

  /** Reactions on a message: emoji → user ids. */
  reactionsOn(messageId: string): Map<string, Set<string>> {
    return this.world.messages.get(messageId)?.reactions ?? new Map();
  }

  /** Requests matching a route pattern such as "POST /channels/:channel/messages". */
  requestsTo(route: string): RecordedRequest[] {
    return this.requests.entries.filter((request) => request.route === route);
  }

  waitForRequest(route: string, match: (request: RecordedRequest) => boolean = () => true): Promise<RecordedRequest> {
    return this.requests.waitFor((request) => request.route === route && match(request), route);
  }

  private place(actor: Actor): InteractionPlace {
    if ('dm' in actor) return { channel: this.world.dmChannelWith(actor.dm), user: actor.dm };
    return { guildId: this.guildId, channel: this.world.guild.channel, member: actor };
  }

  private deliver(type: number, place: InteractionPlace, build: (id: string, token: string) => unknown, message?: APIMessage): DeliveredInteraction {
    const id = this.world.ids.next();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('hex')}`).toString('base64url');
    this.world.interactions.set(id, {
      id,
      token,
      type,
      channelId: place.channel.id,
      guildId: place.guildId,
      ...(message ? { message } : {}),
      followUps: [],
    });
    const sequence = this.gateway.dispatch('INTERACTION_CREATE', build(id, token));
    return { id, token, sequence };
  }
}

export async function startDiscordStandIn(options: { heartbeatIntervalMs?: number } = {}): Promise<DiscordStandIn> {
  const standIn = new DiscordStandIn(options);
  await standIn.listen();
  return standIn;
}
