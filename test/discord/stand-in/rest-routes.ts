import { type APIMessage, GatewayIntentBits } from 'discord.js';
import { guildCreatePayload, guildMemberPayload, reactionAddPayload, reactionRemovePayload } from './payloads.js';
import { validateCommands } from './rest-commands.js';
import { createMessage, EPHEMERAL, editMessage, findChannelMessage, LOADING, validateMessage } from './rest-messages.js';
import { type RestContext, type RestReply, discordError, noContent } from './rest-types.js';
import type { InteractionState } from './world.js';

export interface Route {
  method: string;
  pattern: string;
  /** Bot-token routes; interaction callbacks and webhooks are authorised by the token in the URL. */
  auth: boolean;
  handle(context: RestContext): RestReply;
}

const ok = (json: unknown): RestReply => ({ status: 200, json });

export const routes: Route[] = [
  {
    method: 'GET',
    pattern: '/gateway/bot',
    auth: true,
    handle: ({ base }) =>
      ok({
        url: `${base.replace(/^http/, 'ws')}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      }),
  },
  { method: 'GET', pattern: '/gateway', auth: false, handle: ({ base }) => ok({ url: `${base.replace(/^http/, 'ws')}/gateway` }) },
  { method: 'GET', pattern: '/users/@me', auth: true, handle: ({ world }) => ok(world.bot) },
  {
    method: 'GET',
    pattern: '/channels/:channel',
    auth: true,
    handle: ({ world, params }) => {
      const found = world.channel(params.channel ?? '');
      return found ? ok(found.channel) : discordError(404, 10003, 'Unknown Channel');
    },
  },
  {
    method: 'POST',
    pattern: '/channels/:channel/messages',
    auth: true,
    handle: (context) => {
      const found = context.world.channel(context.params.channel ?? '');
      if (!found) return discordError(404, 10003, 'Unknown Channel');
      const invalid = validateMessage(context.json, context.files);
      if (invalid) return invalid;
      return ok(createMessage(context, { channelId: found.channel.id, guildId: found.guildId, json: context.json, files: context.files }));
    },
  },
  {
    method: 'GET',
    pattern: '/channels/:channel/messages/:message',
    auth: true,
    handle: (context) => {
      const found = findChannelMessage(context, context.params.channel ?? '', context.params.message ?? '');
      return found.error ?? ok(found.stored.message);
    },
  },
  {
    method: 'PATCH',
    pattern: '/channels/:channel/messages/:message',
    auth: true,
    handle: (context) => {
      const found = findChannelMessage(context, context.params.channel ?? '', context.params.message ?? '');
      if (found.error) return found.error;
      if (found.stored.message.author.id !== context.world.bot.id) return discordError(403, 50005, 'Cannot edit a message authored by another user');
      return validateMessage(context.json, context.files, { partial: true }) ?? ok(editMessage(context, found.stored, context.json, context.files));
    },
  },
  { method: 'PUT', pattern: '/channels/:channel/messages/:message/reactions/:emoji/:user', auth: true, handle: (context) => react(context, true) },
  { method: 'DELETE', pattern: '/channels/:channel/messages/:message/reactions/:emoji/:user', auth: true, handle: (context) => react(context, false) },
  { method: 'POST', pattern: '/interactions/:interaction/:token/callback', auth: false, handle: interactionCallback },
  { method: 'POST', pattern: '/webhooks/:application/:token', auth: false, handle: followUp },
  { method: 'GET', pattern: '/webhooks/:application/:token/messages/:message', auth: false, handle: (c) => webhookMessage(c, 'get') },
  { method: 'PATCH', pattern: '/webhooks/:application/:token/messages/:message', auth: false, handle: (c) => webhookMessage(c, 'edit') },
  { method: 'DELETE', pattern: '/webhooks/:application/:token/messages/:message', auth: false, handle: (c) => webhookMessage(c, 'delete') },
  { method: 'GET', pattern: '/applications/:application/commands', auth: true, handle: (c) => commands(c, 'get') },
  { method: 'PUT', pattern: '/applications/:application/commands', auth: true, handle: (c) => commands(c, 'put') },
  { method: 'GET', pattern: '/applications/:application/guilds/:guild/commands', auth: true, handle: (c) => commands(c, 'get') },
  { method: 'PUT', pattern: '/applications/:application/guilds/:guild/commands', auth: true, handle: (c) => commands(c, 'put') },
  {
    method: 'GET',
    pattern: '/guilds/:guild',
    auth: true,
    handle: ({ world, params }) => (params.guild === world.guild.id ? ok(guildCreatePayload(world.guild)) : discordError(404, 10004, 'Unknown Guild')),
  },
  {
    method: 'GET',
    pattern: '/guilds/:guild/members/:user',
    auth: true,
    handle: ({ world, params }) => {
      if (params.guild !== world.guild.id) return discordError(404, 10004, 'Unknown Guild');
      const member = world.guild.members.get(params.user ?? '');
      return member ? ok(guildMemberPayload(member)) : discordError(404, 10007, 'Unknown Member');
    },
  },
];

/** The bot's own reaction; Discord echoes it as a gateway event to clients with the reactions intent. */
function react(context: RestContext, added: boolean): RestReply {
  const { world, params, gateway } = context;
  if (params.user !== '@me' && added) return discordError(405, 0, '405: Method Not Allowed');
  const found = findChannelMessage(context, params.channel ?? '', params.message ?? '');
  if (found.error) return found.error;
  const emoji = params.emoji ?? '';
  if (!/\p{Extended_Pictographic}|\u20E3/u.test(emoji)) return discordError(400, 10014, 'Unknown Emoji');
  const userId = params.user === '@me' ? world.bot.id : (params.user ?? '');
  const users = found.stored.reactions.get(emoji) ?? new Set<string>();
  const changed = added ? !users.has(userId) : users.delete(userId);
  if (added) users.add(userId);
  found.stored.reactions.set(emoji, users);
  const guildId = found.stored.guildId;
  const member = world.guild.members.get(userId);
  if (changed && guildId && member) {
    const where = { guildId, channelId: found.stored.message.channel_id, messageId: found.stored.message.id, emoji };
    if (added) {
      const data = reactionAddPayload({ ...where, member, messageAuthorId: found.stored.message.author.id });
      gateway.dispatchForIntent(GatewayIntentBits.GuildMessageReactions, 'MESSAGE_REACTION_ADD', data);
    } else {
      gateway.dispatchForIntent(GatewayIntentBits.GuildMessageReactions, 'MESSAGE_REACTION_REMOVE', reactionRemovePayload({ ...where, userId }));
    }
  }
  return noContent;
}

function interactionCallback(context: RestContext): RestReply {
  const { world, params, json, files, query } = context;
  const interaction = world.interactions.get(params.interaction ?? '');
  if (!interaction || interaction.token !== params.token) return discordError(404, 10062, 'Unknown interaction');
  if (interaction.response) return discordError(400, 40060, 'Interaction has already been acknowledged.');
  const body = (json ?? {}) as { type?: number; data?: { flags?: number } };
  const flags = body.data?.flags ?? 0;
  const where = { channelId: interaction.channelId, guildId: interaction.guildId, viaApplication: true };
  switch (body.type) {
    case 4: {
      const invalid = validateMessage(body.data, files);
      if (invalid) return invalid;
      interaction.original = createMessage(context, { ...where, json: body.data, files, flags: flags & EPHEMERAL });
      break;
    }
    case 5:
      interaction.original = createMessage(context, { ...where, json: { content: '' }, files: [], flags: (flags & EPHEMERAL) | LOADING });
      break;
    case 6:
    case 7:
      if (!interaction.message) return discordError(400, 40004, 'Interaction is not a component interaction');
      if (body.type === 7) {
        const stored = world.messages.get(interaction.message.id);
        if (stored) editMessage(context, stored, body.data, files);
      }
      break;
    default:
      return discordError(400, 50035, 'Invalid Form Body', { type: 'Value must be one of {4, 5, 6, 7, 8, 9}.' });
  }
  interaction.response = { type: body.type, flags };
  if (query.get('with_response') !== 'true') return noContent;
  return ok({
    interaction: {
      id: interaction.id,
      type: interaction.type,
      response_message_id: interaction.original?.id,
      response_message_loading: body.type === 5,
      response_message_ephemeral: (flags & EPHEMERAL) !== 0,
    },
    resource: { type: body.type, ...(interaction.original ? { message: interaction.original } : {}) },
  });
}

function webhookInteraction(context: RestContext): InteractionState | RestReply {
  const interaction = context.world.interactionByToken(context.params.token ?? '');
  if (context.params.application !== context.world.applicationId || !interaction?.response) {
    return discordError(404, 10015, 'Unknown Webhook');
  }
  return interaction;
}

function followUp(context: RestContext): RestReply {
  const interaction = webhookInteraction(context);
  if ('status' in interaction) return interaction;
  const invalid = validateMessage(context.json, context.files);
  if (invalid) return invalid;
  const original = interaction.original;
  let message: APIMessage;
  if (original && (original.flags ?? 0) & LOADING) {
    // Discord: the first follow-up after a deferral replaces the "thinking…" message and keeps its visibility.
    const stored = context.world.messages.get(original.id);
    message = stored ? editMessage(context, stored, context.json, context.files) : original;
    interaction.original = message;
  } else {
    const flags = ((context.json ?? {}) as { flags?: number }).flags ?? 0;
    message = createMessage(context, {
      channelId: interaction.channelId,
      guildId: interaction.guildId,
      json: context.json,
      files: context.files,
      flags: flags & EPHEMERAL,
      viaApplication: true,
    });
    interaction.followUps.push(message);
  }
  return context.query.get('wait') === 'true' ? ok(message) : noContent;
}

function webhookMessage(context: RestContext, action: 'get' | 'edit' | 'delete'): RestReply {
  const interaction = webhookInteraction(context);
  if ('status' in interaction) return interaction;
  const id = context.params.message;
  const message = id === '@original' ? interaction.original : interaction.followUps.find((candidate) => candidate.id === id);
  const stored = message && context.world.messages.get(message.id);
  if (!message || !stored) return discordError(404, 10008, 'Unknown Message');
  if (action === 'get') return ok(stored.message);
  if (action === 'delete') {
    context.world.messages.delete(message.id);
    if (id === '@original') interaction.original = undefined;
    else interaction.followUps = interaction.followUps.filter((candidate) => candidate.id !== id);
    return noContent;
  }
  const invalid = validateMessage(context.json, context.files, { partial: true });
  if (invalid) return invalid;
  const edited = editMessage(context, stored, context.json, context.files);
  if (id === '@original') interaction.original = edited;
  else interaction.followUps = interaction.followUps.map((candidate) => (candidate.id === id ? edited : candidate));
  return ok(edited);
}

function commands(context: RestContext, action: 'get' | 'put'): RestReply {
  const { world, params } = context;
  if (params.application !== world.applicationId) return discordError(403, 50001, 'Missing Access');
  if (params.guild !== undefined && params.guild !== world.guild.id) return discordError(404, 10004, 'Unknown Guild');
  const current = params.guild ? (world.commands.guild.get(params.guild) ?? []) : world.commands.global;
  if (action === 'get') return ok(current);
  const checked = validateCommands(context.json);
  if ('status' in checked) return checked;
  const registered = checked.map((command) => ({
    id: current.find((existing) => existing.name === command.name)?.id ?? world.ids.next(),
    application_id: world.applicationId,
    version: world.ids.next(),
    default_member_permissions: null,
    nsfw: false,
    ...(params.guild ? { guild_id: params.guild } : {}),
    ...command,
  }));
  if (params.guild) world.commands.guild.set(params.guild, registered as never);
  else world.commands.global = registered as never;
  return ok(registered);
}
