import { z } from 'zod';
import {
  type ActionEvent,
  type Attachment,
  type CommandEvent,
  type ConversationRef,
  RATING_EMOJI,
  type ReactionEvent,
  type UserRef,
} from '../../shared/chat/types.js';

/** Slack → core. Every payload passes a zod schema first; the shapes are Slack's documented wire formats. */

const slackId = z.string().regex(/^[A-Z0-9]+$/, 'a Slack id');

/**
 * Who the bot is, from auth.test. Refs carry the installation's team, not the payload's: in a shared
 * (Slack Connect) channel a command's team_id is the *user's* workspace, and reaction events carry no
 * user team at all, so using the payload's team would give one channel, or one user, two refs.
 */
export interface SlackIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
}

export const authTestResult = z
  .object({ ok: z.literal(true), team_id: slackId, user_id: slackId, bot_id: slackId })
  .transform((result): SlackIdentity => ({ teamId: result.team_id, botUserId: result.user_id, botId: result.bot_id }));

export function slackConversationRef(teamId: string, channelId: string): ConversationRef {
  return `slack:${teamId}:${channelId}`;
}

export function parseSlackConversationRef(ref: ConversationRef): { teamId: string; channelId: string } | undefined {
  const match = /^slack:([A-Z0-9]+):([A-Z0-9]+)$/.exec(ref);
  return match?.[1] && match[2] ? { teamId: match[1], channelId: match[2] } : undefined;
}

export function slackUser(teamId: string, userId: string, displayName: string): UserRef {
  return { id: `slack:${teamId}:${userId}`, displayName };
}

/** The Slack user id inside a core UserRef id, or undefined for another platform's user. */
export function slackUserId(user: UserRef): string | undefined {
  return /^slack:[A-Z0-9]+:([A-Z0-9]+)$/.exec(user.id)?.[1];
}

export const slashCommandBody = z.object({
  team_id: slackId,
  channel_id: slackId,
  user_id: slackId,
  user_name: z.string().min(1),
  command: z.string().regex(/^\/[a-z0-9_-]{1,32}$/i, 'a slash command'),
  text: z.string().default(''),
  response_url: z.url(),
  trigger_id: z.string().min(1),
});
export type SlashCommandBody = z.infer<typeof slashCommandBody>;

/**
 * A slash command. Its deliveryId is the trigger_id: Slack mints one per invocation and never retries
 * commands, so the only way to see one twice is a replayed request, which must not run twice.
 */
export function toCommandEvent(body: SlashCommandBody, identity: SlackIdentity, attachments: Attachment[]): CommandEvent {
  return {
    kind: 'command',
    name: body.command.slice(1).toLowerCase(),
    text: body.text.trim(),
    options: {},
    attachments,
    user: slackUser(identity.teamId, body.user_id, body.user_name),
    conversation: slackConversationRef(identity.teamId, body.channel_id),
    deliveryId: body.trigger_id,
  };
}

export const blockActionsBody = z.object({
  type: z.literal('block_actions'),
  trigger_id: z.string().min(1),
  user: z.object({ id: slackId, username: z.string().optional(), name: z.string().optional() }),
  channel: z.object({ id: slackId }).optional(),
  container: z
    .object({ message_ts: z.string().optional(), channel_id: slackId.optional(), is_ephemeral: z.boolean().optional() })
    .optional(),
  message: z.object({ ts: z.string() }).optional(),
  response_url: z.url().optional(),
  actions: z.array(z.object({ action_id: z.string().min(1), action_ts: z.string().optional() })).min(1),
});
export type BlockActionsBody = z.infer<typeof blockActionsBody>;

export function actionChannel(body: BlockActionsBody): string | undefined {
  return body.channel?.id ?? body.container?.channel_id;
}

/**
 * A button click on one of our messages. The deliveryId is the trigger_id, minted per click (interactions
 * are not retried by Slack either), so only a replay of the very same request repeats it. Clicks outside
 * a channel message (App Home, modals) have no conversation and are not ours.
 */
export function toActionEvent(body: BlockActionsBody, identity: SlackIdentity): ActionEvent | undefined {
  const channelId = actionChannel(body);
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  const [action] = body.actions;
  if (!channelId || !messageTs || !action) return undefined;
  return {
    kind: 'action',
    actionId: action.action_id,
    messageRef: messageTs,
    user: slackUser(identity.teamId, body.user.id, body.user.username ?? body.user.name ?? body.user.id),
    conversation: slackConversationRef(identity.teamId, channelId),
    deliveryId: body.trigger_id,
  };
}

export const reactionEventBody = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1),
  event: z.object({
    type: z.enum(['reaction_added', 'reaction_removed']),
    user: slackId,
    reaction: z.string().min(1),
    item_user: slackId.optional(),
    item: z.object({ type: z.string(), channel: slackId.optional(), ts: z.string().optional() }),
  }),
});
export type ReactionEventBody = z.infer<typeof reactionEventBody>;

/** ":one:" … ":five:"; skin tones ("thumbsup::skin-tone-2") are not part of the emoji's identity. */
export function ratingEmoji(reaction: string): string | undefined {
  const name = reaction.replace(/::skin-tone-\d$/, '');
  return (RATING_EMOJI as readonly string[]).includes(name) ? name : undefined;
}

/**
 * A rating emoji added to or removed from one of the bot's messages. Anything else (other emoji, files,
 * other people's messages) is just chat and never reaches the core, so it costs no database write.
 * The deliveryId is Slack's event_id, which a retry (X-Slack-Retry-Num) repeats.
 */
export function toReactionEvent(body: ReactionEventBody, identity: SlackIdentity, displayName = body.event.user): ReactionEvent | undefined {
  const { event } = body;
  const emoji = ratingEmoji(event.reaction);
  if (!emoji || event.item.type !== 'message' || !event.item.channel || !event.item.ts) return undefined;
  if (event.item_user !== undefined && event.item_user !== identity.botUserId) return undefined;
  return {
    kind: 'reaction',
    emoji,
    added: event.type === 'reaction_added',
    messageRef: event.item.ts,
    user: slackUser(identity.teamId, event.user, displayName),
    conversation: slackConversationRef(identity.teamId, event.item.channel),
    deliveryId: body.event_id,
  };
}

/**
 * Slash commands cannot carry files, so `/deck import` names a file already shared in the channel by its
 * link (⋯ → Copy link: https://<workspace>.slack.com/files/<user>/<file id>/<name>) or its bare id.
 */
export function fileReferences(text: string): string[] {
  const ids = new Set<string>();
  for (const word of text.split(/\s+/)) {
    // With "escape links" on, Slack sends links as <url> or <url|label>.
    const token = word.replace(/^<([^|>]*)(?:\|[^>]*)?>$/, '$1');
    const id = /^https?:\/\//.test(token) ? /\/files\/[A-Z0-9]+\/(F[A-Z0-9]+)(?:\/|$)/.exec(token)?.[1] : token;
    if (id && /^F[A-Z0-9]{6,}$/.test(id)) ids.add(id);
  }
  return [...ids];
}

export const fileInfoResult = z.object({
  ok: z.literal(true),
  file: z.object({
    id: slackId,
    name: z.string().min(1),
    size: z.number().int().nonnegative(),
    url_private_download: z.url().optional(),
    url_private: z.url(),
    channels: z.array(slackId).default([]),
    groups: z.array(slackId).default([]),
    ims: z.array(slackId).default([]),
  }),
});
export type SlackFile = z.infer<typeof fileInfoResult>['file'];

export const postedMessage = z.object({ ok: z.literal(true), ts: z.string().min(1) });

/** filesUploadV2 answers with one files.completeUploadExternal result per upload, each listing its files. */
export const uploadedFileId = z
  .object({ files: z.array(z.object({ files: z.array(z.object({ id: slackId })).min(1) })).min(1) })
  .transform((result) => result.files[0]!.files[0]!.id);

export const usersInfoResult = z.object({
  ok: z.literal(true),
  user: z.object({
    id: slackId,
    name: z.string(),
    is_admin: z.boolean().default(false),
    is_owner: z.boolean().default(false),
    is_primary_owner: z.boolean().default(false),
  }),
});
