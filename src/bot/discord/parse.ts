import { ApplicationCommandOptionType, type ButtonInteraction, type ChatInputCommandInteraction } from 'discord.js';
import { z } from 'zod';
import type { ActionEvent, CommandEvent, ConversationRef, ReactionEvent, UserRef } from '../../shared/chat/types.js';
import type { CommandDefinition } from '../../shared/commands/command.js';
import { toCoreAttachment } from './attachment.js';
import { declaredOptions } from './command-shape.js';
import { snowflake } from './config.js';

/** Discord's own placeholder for "no guild" in URLs; DM conversations use it as their guild part. */
export const DM_GUILD = '@me';

const conversationRefPattern = /^discord:(\d{17,20}|@me):(\d{17,20})$/;

export function toConversationRef(guildId: string | null, channelId: string): ConversationRef {
  return `discord:${guildId ?? DM_GUILD}:${channelId}`;
}

export function parseConversationRef(ref: ConversationRef): { guildId: string | undefined; channelId: string } {
  const match = conversationRefPattern.exec(ref);
  if (!match?.[1] || !match[2]) throw new Error(`not a Discord conversation: ${ref}`);
  return { guildId: match[1] === DM_GUILD ? undefined : match[1], channelId: match[2] };
}

/** "discord:<id>" → "<id>"; undefined for another platform's user. */
export function discordUserId(user: UserRef): string | undefined {
  const match = /^discord:(\d{17,20})$/.exec(user.id);
  return match?.[1];
}

/** Server nickname first, then the display name, then the username: what members see in the chat. */
export function toUserRef(user: { id: string; username: string; globalName?: string | null }, nickname?: string | null): UserRef {
  return { id: `discord:${user.id}`, displayName: nickname || user.globalName || user.username };
}

type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction;

function interactionUser(interaction: RepliableInteraction): UserRef {
  const member = interaction.member;
  // A cached GuildMember has `nickname`; the raw interaction member (uncached guild) has `nick`.
  const nickname = member ? ('nickname' in member ? member.nickname : member.nick) : undefined;
  return toUserRef(interaction.user, nickname);
}

function interactionConversation(interaction: RepliableInteraction): ConversationRef {
  if (!interaction.channelId) throw new Error(`interaction ${interaction.id} has no channel`);
  return toConversationRef(interaction.guildId, interaction.channelId);
}

/**
 * A slash command → the core's command event. Handlers read positional text, so the subcommand and
 * string options are joined in the order the core declared them ("/subscribe time:09:00
 * timezone:Europe/Paris" → "09:00 Europe/Paris"); named values also go to `options`.
 */
export function toCommandEvent(interaction: ChatInputCommandInteraction, definition: CommandDefinition | undefined): CommandEvent {
  const subcommand = interaction.options.getSubcommand(false);
  const declared = definition
    ? declaredOptions(definition, subcommand)
    : (subcommand ? (interaction.options.data[0]?.options ?? []) : interaction.options.data).map((option) => ({
        name: option.name,
        type: option.type === ApplicationCommandOptionType.Attachment ? ('attachment' as const) : ('string' as const),
      }));
  const words: string[] = subcommand ? [subcommand] : [];
  const options: Record<string, string> = {};
  const attachments: CommandEvent['attachments'] = [];
  for (const option of declared) {
    if (option.type === 'attachment') {
      const file = interaction.options.getAttachment(option.name);
      if (file) attachments.push(toCoreAttachment(file));
      continue;
    }
    const value = interaction.options.getString(option.name)?.trim();
    if (!value) continue;
    words.push(value);
    options[option.name] = value;
  }
  return {
    kind: 'command',
    name: interaction.commandName,
    text: words.join(' '),
    options,
    attachments,
    user: interactionUser(interaction),
    conversation: interactionConversation(interaction),
    deliveryId: interaction.id,
  };
}

/** A button press → the core's action; the interaction id makes a redelivered click count once. */
export function toActionEvent(interaction: ButtonInteraction): ActionEvent {
  return {
    kind: 'action',
    actionId: interaction.customId,
    messageRef: interaction.message.id,
    user: interactionUser(interaction),
    conversation: interactionConversation(interaction),
    deliveryId: interaction.id,
  };
}

/** MESSAGE_REACTION_ADD / MESSAGE_REACTION_REMOVE data; `member` only on add, in a guild. */
export const reactionPayload = z.object({
  user_id: snowflake,
  channel_id: snowflake,
  message_id: snowflake,
  guild_id: snowflake.optional(),
  emoji: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  member: z
    .object({
      nick: z.string().nullish(),
      user: z.object({ id: snowflake, username: z.string(), global_name: z.string().nullish(), bot: z.boolean().optional() }),
    })
    .optional(),
  burst: z.boolean().default(false),
  /** 0 normal, 1 burst ("super") reaction; the two can coexist for one user and emoji. */
  type: z.number().int().default(0),
});

export type ReactionPayload = z.infer<typeof reactionPayload>;

export function toReactionEvent(
  payload: ReactionPayload,
  emoji: string,
  added: boolean,
  deliveryId: string,
): ReactionEvent {
  const user = payload.member
    ? toUserRef(
        { id: payload.user_id, username: payload.member.user.username, globalName: payload.member.user.global_name },
        payload.member.nick,
      )
    : // Removals carry no member; the name was stored when the rating was added.
      { id: `discord:${payload.user_id}`, displayName: payload.user_id };
  return {
    kind: 'reaction',
    emoji,
    added,
    messageRef: payload.message_id,
    user,
    conversation: toConversationRef(payload.guild_id ?? null, payload.channel_id),
    deliveryId,
  };
}
