import {
  type APIAttachment,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIUser,
  type APIDMChannel,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  type GatewayMessageReactionAddDispatchData,
  type GatewayMessageReactionRemoveDispatchData,
  type GatewayReadyDispatchData,
  MessageType,
  PermissionFlagsBits,
} from 'discord.js';
import { snowflakeTime } from './snowflake.js';

/**
 * Builders for the payloads Discord sends, shaped after recorded API v10 traffic (field for field
 * where discord.js reads them). Typed with discord-api-types, so a missing field fails to compile.
 */

/** Discord sends 0 for "no flags"; the typings model flags as enums that have no 0 member. */
const NO_FLAGS = 0 as never;

/** What an ordinary member may do in a text channel (no Manage Server). */
export const MEMBER_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles;

/** Everything Discord grants the bot's managed role when invited with the documented permissions. */
export const BOT_PERMISSIONS = MEMBER_PERMISSIONS;

export interface StandInMember {
  user: APIUser;
  nick: string | null;
  roles: string[];
  /** The member's computed permissions in the channel, as Discord puts them into interactions. */
  permissions: bigint;
  joinedAt: string;
}

export interface StandInGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  channel: APITextChannel;
  members: Map<string, StandInMember>;
}

export function userPayload(id: string, username: string, options: { bot?: boolean; globalName?: string } = {}): APIUser {
  return {
    id,
    username,
    discriminator: options.bot ? '4417' : '0',
    global_name: options.bot ? null : (options.globalName ?? username),
    avatar: null,
    ...(options.bot ? { bot: true } : {}),
    public_flags: NO_FLAGS,
    flags: NO_FLAGS,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

export function rolePayload(id: string, name: string, permissions: bigint, position: number): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: NO_FLAGS,
  };
}

export function textChannelPayload(id: string, guildId: string, name: string): APITextChannel {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name,
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    rate_limit_per_user: 0,
    last_message_id: null,
    last_pin_timestamp: null,
    default_auto_archive_duration: 1440,
    flags: NO_FLAGS,
  };
}

export function dmChannelPayload(id: string, recipient: APIUser): APIDMChannel {
  return { id, type: ChannelType.DM, recipients: [recipient], last_message_id: null, flags: NO_FLAGS, name: null };
}

export function guildMemberPayload(member: StandInMember): APIGuildMember {
  return {
    user: member.user,
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: member.roles,
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: NO_FLAGS,
    pending: false,
    communication_disabled_until: null,
  };
}

export function interactionMemberPayload(member: StandInMember): APIInteractionGuildMember {
  return { ...guildMemberPayload(member), permissions: member.permissions.toString() };
}

export function readyPayload(input: {
  bot: APIUser;
  applicationId: string;
  guildIds: string[];
  sessionId: string;
  resumeUrl: string;
}): GatewayReadyDispatchData {
  return {
    v: 10,
    user: input.bot,
    guilds: input.guildIds.map((id) => ({ id, unavailable: true })),
    session_id: input.sessionId,
    resume_gateway_url: input.resumeUrl,
    shard: [0, 1],
    application: { id: input.applicationId, flags: NO_FLAGS, flags_new: '0' },
  };
}

export function guildCreatePayload(guild: StandInGuild): GatewayGuildCreateDispatchData {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    region: 'deprecated',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 2,
    roles: guild.roles,
    emojis: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: guild.channel.id,
    system_channel_flags: NO_FLAGS,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US' as GatewayGuildCreateDispatchData['preferred_locale'],
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    approximate_member_count: guild.members.size,
    approximate_presence_count: 1,
    nsfw_level: 0,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    joined_at: snowflakeTime(guild.id),
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [],
    members: [...guild.members.values()].filter((member) => member.user.bot).map(guildMemberPayload),
    channels: [guild.channel],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function messagePayload(input: {
  id: string;
  channelId: string;
  guildId?: string;
  author: APIUser;
  body: Record<string, unknown>;
  attachments: APIAttachment[];
  flags?: number;
  applicationId?: string;
}): APIMessage {
  const body = input.body;
  return {
    id: input.id,
    type: MessageType.Default,
    channel_id: input.channelId,
    author: input.author,
    content: typeof body.content === 'string' ? body.content : '',
    timestamp: snowflakeTime(input.id),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: input.attachments,
    embeds: Array.isArray(body.embeds) ? (body.embeds as APIMessage['embeds']).map((embed) => ({ type: 'rich', ...embed }) as APIMessage['embeds'][number]) : [],
    components: Array.isArray(body.components) ? (body.components as APIMessage['components']) : [],
    pinned: false,
    flags: input.flags ?? 0,
    ...(input.applicationId ? { application_id: input.applicationId, webhook_id: input.applicationId } : {}),
  };
}

export function reactionAddPayload(input: {
  member: StandInMember;
  guildId: string;
  channelId: string;
  messageId: string;
  messageAuthorId: string;
  emoji: string;
}): GatewayMessageReactionAddDispatchData {
  return {
    user_id: input.member.user.id,
    channel_id: input.channelId,
    message_id: input.messageId,
    guild_id: input.guildId,
    member: guildMemberPayload(input.member),
    emoji: { id: null, name: input.emoji },
    message_author_id: input.messageAuthorId,
    burst: false,
    burst_colors: [],
    type: 0,
  } as GatewayMessageReactionAddDispatchData;
}

export function reactionRemovePayload(input: {
  userId: string;
  guildId: string;
  channelId: string;
  messageId: string;
  emoji: string;
}): GatewayMessageReactionRemoveDispatchData {
  return {
    user_id: input.userId,
    channel_id: input.channelId,
    message_id: input.messageId,
    guild_id: input.guildId,
    emoji: { id: null, name: input.emoji },
    burst: false,
    type: 0,
  } as GatewayMessageReactionRemoveDispatchData;
}
