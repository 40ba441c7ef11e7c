import type { APIAttachment, APIMessage } from 'discord.js';
import type { UploadedFile } from './http-body.js';
import { messagePayload } from './payloads.js';
import { type RestContext, type RestReply, discordError } from './rest-types.js';
import type { StoredMessage } from './world.js';

interface MessageBody {
  content?: unknown;
  embeds?: { title?: string; description?: string }[];
  components?: { type: number; components?: { type: number; custom_id?: string; label?: string; url?: string }[] }[];
  attachments?: { id: string | number; filename?: string; description?: string }[];
  flags?: number;
}

export const EPHEMERAL = 1 << 6;
export const LOADING = 1 << 7;

/** Discord's form validation for the parts of a message this bot uses; undefined when valid. */
export function validateMessage(json: unknown, files: UploadedFile[], options: { partial?: boolean } = {}): RestReply | undefined {
  const body = (json ?? {}) as MessageBody;
  const errors: Record<string, string> = {};
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') errors.content = 'Must be a string.';
  if (typeof body.content === 'string' && body.content.length > 2000) errors.content = 'Must be 2000 or fewer in length.';
  const embeds = body.embeds ?? [];
  if (embeds.length > 10) errors.embeds = 'Must be 10 or fewer in length.';
  embeds.forEach((embed, index) => {
    if ((embed.title?.length ?? 0) > 256) errors[`embeds.${index}.title`] = 'Must be 256 or fewer in length.';
    if ((embed.description?.length ?? 0) > 4096) errors[`embeds.${index}.description`] = 'Must be 4096 or fewer in length.';
  });
  const rows = body.components ?? [];
  if (rows.length > 5) errors.components = 'Must be 5 or fewer in length.';
  const customIds = new Set<string>();
  rows.forEach((row, rowIndex) => {
    if (row.type !== 1) errors[`components.${rowIndex}.type`] = 'Top-level components must be action rows.';
    if ((row.components?.length ?? 0) > 5) errors[`components.${rowIndex}.components`] = 'Must be 5 or fewer in length.';
    row.components?.forEach((button, index) => {
      const where = `components.${rowIndex}.components.${index}`;
      if (!button.url && !button.custom_id) errors[`${where}.custom_id`] = 'This field is required.';
      if ((button.custom_id?.length ?? 0) > 100) errors[`${where}.custom_id`] = 'Must be 100 or fewer in length.';
      if ((button.label?.length ?? 0) > 80) errors[`${where}.label`] = 'Must be 80 or fewer in length.';
      if (button.custom_id && customIds.has(button.custom_id)) errors[`${where}.custom_id`] = 'Component custom id cannot be duplicated.';
      if (button.custom_id) customIds.add(button.custom_id);
    });
  });
  if (Object.keys(errors).length > 0) return discordError(400, 50035, 'Invalid Form Body', errors);
  const empty = !body.content && embeds.length === 0 && rows.length === 0 && files.length === 0 && !body.attachments?.length;
  if (empty && !options.partial) return discordError(400, 50006, 'Cannot send an empty message');
  return undefined;
}

/** Stores uploaded files where their attachment URLs point, as Discord's CDN would serve them. */
export function storeUploads(context: RestContext, channelId: string, json: unknown, files: UploadedFile[]): APIAttachment[] {
  const declared = ((json ?? {}) as MessageBody).attachments ?? [];
  return files.map((file, index) => {
    const slot = /^files\[(\d+)\]$/.exec(file.field)?.[1] ?? String(index);
    const meta = declared.find((attachment) => String(attachment.id) === slot);
    const id = context.world.ids.next();
    const filename = meta?.filename ?? file.filename;
    const url = context.world.hostedFileUrl(context.base, channelId, { id, filename });
    context.world.files.set(new URL(url).pathname, { bytes: file.bytes, contentType: file.contentType });
    return {
      id,
      filename,
      size: file.bytes.length,
      url,
      proxy_url: url,
      content_type: file.contentType || 'application/octet-stream',
      ...(meta?.description ? { description: meta.description } : {}),
    } as APIAttachment;
  });
}

/** A new message from the bot (channel send) or from its application (interaction responses). */
export function createMessage(
  context: RestContext,
  input: { channelId: string; guildId: string | undefined; json: unknown; files: UploadedFile[]; flags?: number; viaApplication?: boolean },
): APIMessage {
  const message = messagePayload({
    id: context.world.ids.next(),
    channelId: input.channelId,
    ...(input.guildId ? { guildId: input.guildId } : {}),
    author: context.world.bot,
    body: (input.json ?? {}) as Record<string, unknown>,
    attachments: storeUploads(context, input.channelId, input.json, input.files),
    flags: input.flags ?? 0,
    ...(input.viaApplication ? { applicationId: context.world.applicationId } : {}),
  });
  context.world.messages.set(message.id, { message, guildId: input.guildId, reactions: new Map() });
  return message;
}

/** Applies an edit: fields present replace the old ones; `attachments` lists which old files stay. */
export function editMessage(context: RestContext, stored: { message: APIMessage }, json: unknown, files: UploadedFile[]): APIMessage {
  const body = (json ?? {}) as MessageBody & Record<string, unknown>;
  const previous = stored.message;
  const kept = body.attachments
    ? previous.attachments.filter((attachment) => body.attachments?.some((entry) => String(entry.id) === attachment.id))
    : previous.attachments;
  const edited = messagePayload({
    id: previous.id,
    channelId: previous.channel_id,
    author: previous.author,
    body: {
      content: 'content' in body ? (body.content ?? '') : previous.content,
      embeds: body.embeds ?? previous.embeds,
      components: body.components ?? previous.components,
    },
    attachments: [...kept, ...storeUploads(context, previous.channel_id, json, files)],
    flags: (previous.flags ?? 0) & ~LOADING,
    ...(previous.application_id ? { applicationId: previous.application_id } : {}),
  });
  stored.message = { ...edited, edited_timestamp: new Date().toISOString() };
  return stored.message;
}

export function findChannelMessage(
  context: RestContext,
  channelId: string,
  messageId: string,
): { stored: StoredMessage; error?: undefined } | { stored?: undefined; error: RestReply } {
  if (!context.world.channel(channelId)) return { error: discordError(404, 10003, 'Unknown Channel') };
  const stored = context.world.messages.get(messageId);
  if (!stored || stored.message.channel_id !== channelId) return { error: discordError(404, 10008, 'Unknown Message') };
  return { stored };
}
