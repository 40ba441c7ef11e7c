import {
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIDMChannel,
  type APIInteractionDataResolvedChannel,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APITextChannel,
  type APIUser,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ComponentType,
  InteractionContextType,
  InteractionType,
} from 'discord.js';
import { BOT_PERMISSIONS, interactionMemberPayload, type StandInMember } from './payloads.js';

/** INTERACTION_CREATE data as Discord sends it for a slash command or a button press. */

export function chatInputInteractionPayload(input: {
  id: string;
  token: string;
  applicationId: string;
  commandId: string;
  name: string;
  options: APIApplicationCommandInteractionDataOption[];
  attachments: Record<string, APIAttachment>;
  where: InteractionPlace;
}): APIChatInputApplicationCommandInteraction {
  return {
    id: input.id,
    application_id: input.applicationId,
    type: InteractionType.ApplicationCommand,
    data: {
      id: input.commandId,
      name: input.name,
      type: ApplicationCommandType.ChatInput,
      ...(input.options.length ? { options: input.options } : {}),
      ...(Object.keys(input.attachments).length ? { resolved: { attachments: input.attachments } } : {}),
      ...(input.where.guildId ? { guild_id: input.where.guildId } : {}),
    },
    ...placeFields(input.where),
    token: input.token,
    version: 1,
    app_permissions: BOT_PERMISSIONS.toString(),
    locale: 'en-GB',
    entitlements: [],
    attachment_size_limit: 10_485_760,
  } as APIChatInputApplicationCommandInteraction;
}

export function buttonInteractionPayload(input: {
  id: string;
  token: string;
  applicationId: string;
  customId: string;
  message: APIMessage;
  where: InteractionPlace;
}): APIMessageComponentButtonInteraction {
  return {
    id: input.id,
    application_id: input.applicationId,
    type: InteractionType.MessageComponent,
    data: { custom_id: input.customId, component_type: ComponentType.Button },
    message: input.message,
    ...placeFields(input.where),
    token: input.token,
    version: 1,
    app_permissions: BOT_PERMISSIONS.toString(),
    locale: 'en-GB',
    entitlements: [],
    attachment_size_limit: 10_485_760,
  } as APIMessageComponentButtonInteraction;
}

/** Where an interaction happened: a guild text channel (with the member) or the bot's DM (with the user). */
export type InteractionPlace =
  | { guildId: string; channel: APITextChannel; member: StandInMember; guildLocale?: string }
  | { guildId?: undefined; channel: APIDMChannel; user: APIUser };

function placeFields(where: InteractionPlace) {
  const channel = where.channel as unknown as APIInteractionDataResolvedChannel;
  if ('member' in where) {
    return {
      guild_id: where.guildId,
      guild: { id: where.guildId, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      channel,
      channel_id: where.channel.id,
      member: interactionMemberPayload(where.member),
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: where.guildId },
      context: InteractionContextType.Guild,
    };
  }
  return {
    channel,
    channel_id: where.channel.id,
    user: where.user,
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: '0' },
    context: InteractionContextType.BotDM,
  };
}
