import type { APIApplicationCommand, APIAttachment, APIDMChannel, APIMessage, APIUser } from 'discord.js';
import { PermissionFlagsBits } from 'discord.js';
import {
  BOT_PERMISSIONS,
  MEMBER_PERMISSIONS,
  rolePayload,
  type StandInGuild,
  type StandInMember,
  textChannelPayload,
  userPayload,
  dmChannelPayload,
} from './payloads.js';
import { Snowflakes, snowflakeTime } from './snowflake.js';

export interface StoredMessage {
  message: APIMessage;
  guildId: string | undefined;
  /** emoji (unicode) → ids of the users who reacted with it. */
  reactions: Map<string, Set<string>>;
}

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  channelId: string;
  guildId: string | undefined;
  /** The sourcing message of a button click. */
  message?: APIMessage;
  /** The initial response (callback) type and flags, once answered. */
  response?: { type: number; flags: number };
  /** The message shown for the initial response ("thinking…" while deferred). */
  original?: APIMessage;
  followUps: APIMessage[];
}

export interface HostedFile {
  bytes: Buffer;
  contentType: string;
  /** When set, downloads wait for it: a slow CDN, for tests of slow commands. */
  gate?: Promise<void>;
}

/** Everything the stand-in's Discord knows: one guild with one text channel, users, messages, interactions. */
export class World {
  readonly ids = new Snowflakes();
  readonly applicationId = this.ids.next();
  readonly bot: APIUser = userPayload(this.applicationId, 'quizcast', { bot: true });
  readonly guild: StandInGuild;
  /** A role to configure as DISCORD_ADMIN_ROLE; it grants no Discord permission by itself. */
  readonly quizAdminRole: string;
  readonly dmChannels = new Map<string, APIDMChannel>();
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, InteractionState>();
  readonly commands = { global: [] as APIApplicationCommand[], guild: new Map<string, APIApplicationCommand[]>() };
  readonly files = new Map<string, HostedFile>();

  constructor() {
    const guildId = this.ids.next();
    const ownerId = this.ids.next();
    this.quizAdminRole = this.ids.next();
    const botRole = this.ids.next();
    this.guild = {
      id: guildId,
      name: 'Flashcard Club',
      ownerId,
      roles: [
        rolePayload(guildId, '@everyone', MEMBER_PERMISSIONS, 0),
        rolePayload(this.quizAdminRole, 'Quiz Admins', 0n, 1),
        { ...rolePayload(botRole, 'quizcast', BOT_PERMISSIONS, 2), managed: true, tags: { bot_id: this.applicationId } },
      ],
      channel: textChannelPayload(this.ids.next(), guildId, 'general'),
      members: new Map(),
    };
    this.guild.members.set(this.bot.id, {
      user: this.bot,
      nick: null,
      roles: [botRole],
      permissions: BOT_PERMISSIONS,
      joinedAt: snowflakeTime(this.guild.id),
    });
  }

  /** A guild member; `manageGuild` gives them Manage Server, `roles` e.g. the quiz admin role. */
  addMember(username: string, options: { manageGuild?: boolean; roles?: string[]; nick?: string } = {}): StandInMember {
    const member: StandInMember = {
      user: userPayload(this.ids.next(), username),
      nick: options.nick ?? null,
      roles: options.roles ?? [],
      permissions: options.manageGuild ? MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild : MEMBER_PERMISSIONS,
      joinedAt: new Date('2026-01-05T12:00:00Z').toISOString(),
    };
    this.guild.members.set(member.user.id, member);
    return member;
  }

  /** The bot's DM channel with a user, created on first use as Discord does. */
  dmChannelWith(user: APIUser): APIDMChannel {
    const existing = [...this.dmChannels.values()].find((channel) => channel.recipients?.[0]?.id === user.id);
    if (existing) return existing;
    const channel = dmChannelPayload(this.ids.next(), user);
    this.dmChannels.set(channel.id, channel);
    return channel;
  }

  channel(id: string) {
    if (id === this.guild.channel.id) return { channel: this.guild.channel, guildId: this.guild.id };
    const dm = this.dmChannels.get(id);
    return dm ? { channel: dm, guildId: undefined } : undefined;
  }

  interactionByToken(token: string): InteractionState | undefined {
    return [...this.interactions.values()].find((interaction) => interaction.token === token);
  }

  hostedFileUrl(base: string, channelId: string, attachment: Pick<APIAttachment, 'id' | 'filename'>): string {
    return `${base}/attachments/${channelId}/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
  }
}
