import { once } from 'node:events';
import {
  Client,
  Events,
  GatewayDispatchEvents,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
} from 'discord.js';
import type {
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
import { needsGuild } from './command-shape.js';
import type { DiscordConfig } from './config.js';
import { emojiNameForReaction } from './emoji.js';
import { InteractionResponder, type RepliableInteraction } from './interaction-responder.js';
import { InFlightMembers, isAdminAccess, type MemberAccess, resolveAdminRoleId } from './member-access.js';
import {
  discordUserId,
  parseConversationRef,
  reactionPayload,
  toActionEvent,
  toCommandEvent,
  toConversationRef,
  toReactionEvent,
} from './parse.js';
import { ReactionDeliveryIds } from './reaction-delivery.js';
import { renderMessage, renderReactions } from './render.js';

/**
 * Guilds: interactions and the channel/role caches. GuildMessageReactions: 1️⃣–5️⃣ ratings. Neither
 * is privileged, and message content is never read (everything arrives as slash commands).
 */
export const DISCORD_INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions];

/** The core on Discord through discord.js: slash commands, buttons, reactions, channel messages. */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord';
  private readonly client: Client;
  private readonly reactionIds = new ReactionDeliveryIds();
  private readonly members = new InFlightMembers();
  private onEvent: ((event: IncomingEvent) => Promise<HandlerResult>) | undefined;

  constructor(
    private readonly config: DiscordConfig,
    private readonly logger: Logger,
  ) {
    this.client = new Client({ intents: DISCORD_INTENTS, rest: { api: config.DISCORD_API_URL } });
  }

  async start(onEvent: (event: IncomingEvent) => Promise<HandlerResult>): Promise<void> {
    this.onEvent = onEvent;
    this.client.on(Events.InteractionCreate, (interaction) => void this.onInteraction(interaction));
    // Raw gateway data, not discord.js's reaction events: those need the message in discord.js's cache
    // (lost on every restart), while a rating only needs the ids the gateway sends anyway.
    this.client.ws.on(GatewayDispatchEvents.MessageReactionAdd, (data: unknown) => void this.onReaction(data, true));
    this.client.ws.on(GatewayDispatchEvents.MessageReactionRemove, (data: unknown) => void this.onReaction(data, false));
    this.client.on(Events.Error, (error) => this.logger.error({ err: error }, 'discord client error'));
    this.client.on(Events.ShardResume, (shard, replayed) => this.logger.info({ shard, replayed }, 'discord gateway resumed'));
    this.client.on(Events.ShardReconnecting, (shard) => this.logger.warn({ shard }, 'discord gateway reconnecting'));
    const ready = once(this.client, Events.ClientReady);
    await this.client.login(this.config.DISCORD_TOKEN);
    await ready;
    this.logger.info({ user: this.client.user?.id, guilds: this.client.guilds.cache.size }, 'discord gateway ready');
  }

  async stop(): Promise<void> {
    await this.client.destroy();
    this.onEvent = undefined;
  }

  async send(conversation: ConversationRef, message: OutgoingMessage): Promise<SentMessage> {
    const channel = await this.channel(conversation);
    const sent = await channel.send(renderMessage(message));
    await this.addReactions(sent, renderReactions(message));
    return { messageRef: sent.id };
  }

  async edit(conversation: ConversationRef, messageRef: string, message: OutgoingMessage): Promise<void> {
    const channel = await this.channel(conversation);
    const payload = renderMessage(message);
    // Explicit empty content and attachments so an edit replaces what the message showed before.
    await channel.messages.edit(messageRef, { ...payload, content: payload.content ?? '', attachments: [] });
  }

  async isAdmin(user: UserRef, conversation: ConversationRef): Promise<boolean> {
    const { guildId } = parseConversationRef(conversation);
    const userId = discordUserId(user);
    if (!guildId || !userId) return false;
    const access = this.members.get(conversation, userId) ?? (await this.fetchMemberAccess(guildId, userId));
    const roles = this.client.guilds.cache.get(guildId)?.roles.cache.values() ?? [];
    return isAdminAccess(access, resolveAdminRoleId(this.config.DISCORD_ADMIN_ROLE, roles));
  }

  private dispatch(event: IncomingEvent): Promise<HandlerResult> {
    if (!this.onEvent) return Promise.reject(new Error('the Discord adapter is not started'));
    return this.onEvent(event);
  }

  private async channel(conversation: ConversationRef) {
    const { channelId } = parseConversationRef(conversation);
    const channel = await this.client.channels.fetch(channelId);
    if (!channel?.isTextBased() || !channel.isSendable()) throw new Error(`Discord channel ${channelId} cannot take messages`);
    return channel;
  }

  /**
   * Reactions are a convenience next to the buttons, so a failure (e.g. no Add Reactions permission)
   * is logged rather than thrown: throwing would fail the send and make the outbox post the card again.
   */
  private async addReactions(message: Message, emojis: readonly string[]): Promise<void> {
    for (const emoji of emojis) {
      try {
        await message.react(emoji);
      } catch (error) {
        this.logger.error(
          { err: error, channel: message.channelId, message: message.id, emoji },
          'could not add rating reactions (is Add Reactions allowed?); the buttons still work',
        );
        return;
      }
    }
  }

  private async fetchMemberAccess(guildId: string, userId: string): Promise<MemberAccess> {
    const guild = await this.client.guilds.fetch(guildId);
    const member = await guild.members.fetch(userId);
    return { permissions: member.permissions.bitfield, roleIds: [...member.roles.cache.keys()] };
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (!interaction.isChatInputCommand() && !interaction.isButton()) {
      this.logger.debug({ interaction: interaction.id, type: interaction.type }, 'ignoring an interaction type the bot does not use');
      return;
    }
    const log = this.logger.child({ interaction: interaction.id, user: interaction.user.id, channel: interaction.channelId });
    const responder = new InteractionResponder(
      interaction,
      async (message) => {
        if (!interaction.channelId) throw new Error('interaction has no channel to post in');
        await this.send(toConversationRef(interaction.guildId, interaction.channelId), message);
      },
      log,
    );
    try {
      await this.answer(interaction, responder);
    } catch (error) {
      log.error({ err: error }, 'answering a Discord interaction failed');
      if (!responder.answered) {
        await interaction
          .reply({ content: 'Sorry, something went wrong on our side.', flags: MessageFlags.Ephemeral })
          .catch((replyError: unknown) => log.error({ err: replyError }, 'could not tell the user about the failure'));
      }
    }
  }

  private async answer(interaction: RepliableInteraction, responder: InteractionResponder): Promise<void> {
    let event: IncomingEvent;
    if (interaction.isChatInputCommand()) {
      const definition = findCommand(interaction.commandName);
      const subcommand = interaction.options.getSubcommand(false);
      if (definition && needsGuild(definition, subcommand) && !interaction.inGuild()) {
        const typed = [definition.name, subcommand].filter(Boolean).join(' ');
        const markdown = `\`/${typed}\` only works in a server channel, not in direct messages.`;
        await responder.deliver([{ message: { kind: 'text', markdown }, ephemeral: true }]);
        return;
      }
      event = toCommandEvent(interaction, definition);
    } else {
      event = toActionEvent(interaction);
    }
    const release = interaction.inGuild()
      ? this.members.hold(event.conversation, interaction.user.id, {
          permissions: interaction.memberPermissions.bitfield,
          roleIds: Array.isArray(interaction.member.roles) ? interaction.member.roles : [...interaction.member.roles.cache.keys()],
        })
      : () => undefined;
    try {
      const result = await responder.settle(this.dispatch(event), this.config.DISCORD_DEFER_AFTER_MS);
      // Nothing to say only happens for a redelivered interaction, which its first copy answered.
      if (result.replies.length === 0 && !result.followUp) return;
      await responder.deliver(result.replies);
      if (result.followUp) {
        await responder.defer();
        await responder.deliverFollowUp(await result.followUp);
      }
      await responder.finish();
    } finally {
      release();
    }
  }

  private async onReaction(data: unknown, added: boolean): Promise<void> {
    const parsed = reactionPayload.safeParse(data);
    if (!parsed.success) {
      this.logger.warn({ issues: parsed.error.issues }, 'ignoring a reaction event of unexpected shape');
      return;
    }
    const payload = parsed.data;
    // The bot's own 1️⃣–5️⃣ come back as events too; neither they nor other bots' reactions are ratings.
    if (payload.user_id === this.client.user?.id || payload.member?.user.bot) return;
    const emoji = emojiNameForReaction(payload.emoji);
    if (!emoji) return;
    const deliveryId = this.reactionIds.idFor({
      messageId: payload.message_id,
      userId: payload.user_id,
      emoji,
      type: payload.type,
      added,
    });
    const event = toReactionEvent(payload, emoji, added, deliveryId);
    const log = this.logger.child({ reaction: deliveryId, message: payload.message_id, user: payload.user_id, emoji, added });
    try {
      const result = await this.dispatch(event);
      log.debug('discord reaction handled');
      for (const reply of result.replies) {
        // A reaction has no interaction to answer privately; the dispatcher has logged any fault.
        if (reply.ephemeral) log.info({ reply: reply.message }, 'a private answer to a reaction cannot be shown on Discord');
        else await this.send(event.conversation, reply.message);
      }
    } catch (error) {
      log.error({ err: error }, 'handling a Discord reaction failed');
    }
  }
}
