import { z } from 'zod';
import type { ActionEvent, CommandEvent, ReactionEvent, UserRef } from '../../shared/chat/types.js';

/** Local channel names: what follows "#" in the page, e.g. "general". */
export const channelName = z
  .string()
  .trim()
  .transform((value) => value.replace(/^local:/, '').replace(/^#/, ''))
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'channel names are lowercase letters, digits, - and _'));

export const userName = z
  .string()
  .trim()
  .min(1, 'a user name is required')
  .max(64)
  .regex(/^[\p{L}\p{N}_.-]+$/u, 'user names are letters, digits, _ . and -');

export const postMessageBody = z.object({
  conversation: channelName,
  user: userName,
  text: z.string().max(4000, 'messages are at most 4000 characters'),
});

export const postActionBody = z.object({
  conversation: channelName,
  user: userName,
  messageId: z.string().regex(/^\d+$/),
  actionId: z.string().min(1).max(100),
});

export const postReactionBody = z.object({
  conversation: channelName,
  user: userName,
  messageId: z.string().regex(/^\d+$/),
  emoji: z.enum(['one', 'two', 'three', 'four', 'five']),
  added: z.boolean().default(true),
});

export function localConversationRef(channel: string): string {
  return `local:${channel}`;
}

export function localUser(name: string): UserRef {
  return { id: `local:${name}`, displayName: name };
}

/** "/subscribe 09:00 UTC" → a command event; anything else is just chat. */
export function parseTypedCommand(body: z.infer<typeof postMessageBody>): CommandEvent | undefined {
  const match = /^\/([a-zA-Z][\w-]*)(?:\s+([\s\S]*))?$/.exec(body.text.trim());
  if (!match?.[1]) return undefined;
  return {
    kind: 'command',
    name: match[1].toLowerCase(),
    text: (match[2] ?? '').trim(),
    options: {},
    attachments: [],
    user: localUser(body.user),
    conversation: localConversationRef(body.conversation),
  };
}

export function toActionEvent(body: z.infer<typeof postActionBody>): ActionEvent {
  return {
    kind: 'action',
    actionId: body.actionId,
    messageRef: body.messageId,
    user: localUser(body.user),
    conversation: localConversationRef(body.conversation),
  };
}

export function toReactionEvent(body: z.infer<typeof postReactionBody>): ReactionEvent {
  return {
    kind: 'reaction',
    emoji: body.emoji,
    added: body.added,
    messageRef: body.messageId,
    user: localUser(body.user),
    conversation: localConversationRef(body.conversation),
  };
}
