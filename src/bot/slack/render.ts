import type { types } from '@slack/bolt';
import type { Button, OutgoingMessage } from '../../shared/chat/types.js';
import { truncate } from '../../shared/chat/truncate.js';
import { toMrkdwn } from './mrkdwn.js';

/** Core → Slack. Limits are Slack's documented Block Kit and chat.postMessage limits. */
export const SLACK_MAX_MESSAGE_TEXT = 40_000;
export const SLACK_MAX_SECTION_TEXT = 3_000;
export const SLACK_MAX_HEADER_TEXT = 150;
export const SLACK_MAX_BUTTON_TEXT = 75;
export const SLACK_MAX_ACTION_ID = 255;
export const SLACK_MAX_ELEMENTS_PER_ACTIONS_BLOCK = 25;
export const SLACK_MAX_BLOCKS_PER_MESSAGE = 50;

/** A message for chat.postMessage / chat.postEphemeral / chat.update / response_url (all take text + blocks). */
export interface SlackMessage {
  /** Notification and screen-reader text; the whole message when there are no blocks. */
  text: string;
  blocks?: types.KnownBlock[];
}

/** A file for files.uploadV2 (Slack has no inline images from bytes: a chart is uploaded as a file). */
export interface SlackUpload {
  file: Buffer;
  filename: string;
  alt_text: string;
  initial_comment?: string;
}

export function renderMessage(message: Exclude<OutgoingMessage, { kind: 'image' }>): SlackMessage {
  switch (message.kind) {
    case 'text':
      return { text: truncate(toMrkdwn(message.markdown), SLACK_MAX_MESSAGE_TEXT) };
    case 'card':
      return renderCard(message);
  }
}

/**
 * A card (the daily flashcard, a private review): optional header, the body as one section, and the
 * buttons. Button ids go out as action_ids and come back in block_actions unchanged.
 */
function renderCard(card: Extract<OutgoingMessage, { kind: 'card' }>): SlackMessage {
  const blocks: types.KnownBlock[] = [];
  if (card.title) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(card.title, SLACK_MAX_HEADER_TEXT), emoji: true } });
  }
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(toMrkdwn(card.body), SLACK_MAX_SECTION_TEXT) } });
  for (let start = 0; start < card.buttons.length; start += SLACK_MAX_ELEMENTS_PER_ACTIONS_BLOCK) {
    blocks.push({
      type: 'actions',
      block_id: `card-actions-${start / SLACK_MAX_ELEMENTS_PER_ACTIONS_BLOCK}`,
      elements: card.buttons.slice(start, start + SLACK_MAX_ELEMENTS_PER_ACTIONS_BLOCK).map(renderButton),
    });
  }
  if (blocks.length > SLACK_MAX_BLOCKS_PER_MESSAGE) {
    throw new Error(`a card renders to ${blocks.length} blocks; Slack allows ${SLACK_MAX_BLOCKS_PER_MESSAGE}`);
  }
  return { text: truncate(card.fallbackText, SLACK_MAX_MESSAGE_TEXT), blocks };
}

function renderButton(button: Button): types.Button {
  if (button.id.length > SLACK_MAX_ACTION_ID) {
    // A truncated id would route the click to nothing, so fail where the bad id is made.
    throw new Error(`button id "${button.id.slice(0, 40)}…" is longer than Slack's ${SLACK_MAX_ACTION_ID} characters`);
  }
  const style = buttonStyle(button.style);
  return {
    type: 'button',
    action_id: button.id,
    text: { type: 'plain_text', text: truncate(button.label, SLACK_MAX_BUTTON_TEXT), emoji: true },
    ...(style ? { style } : {}),
  };
}

/**
 * Slack's `primary` (green) is meant for at most one button in a set, so the core's "primary" rating
 * row keeps Slack's default look; only success (green) and danger (red) carry over.
 */
function buttonStyle(style: Button['style']): 'primary' | 'danger' | undefined {
  if (style === 'success') return 'primary';
  if (style === 'danger') return 'danger';
  return undefined;
}

export function renderUpload(image: Extract<OutgoingMessage, { kind: 'image' }>): SlackUpload {
  return {
    file: image.png,
    filename: image.filename,
    alt_text: image.alt,
    ...(image.caption ? { initial_comment: truncate(toMrkdwn(image.caption), SLACK_MAX_MESSAGE_TEXT) } : {}),
  };
}

/**
 * Slack cannot show a file to one person only; a private image reply is shown as its caption and
 * description instead, which keeps it private rather than leaking it to the channel.
 */
export function imageAsText(image: Extract<OutgoingMessage, { kind: 'image' }>): SlackMessage {
  return renderMessage({ kind: 'text', markdown: [image.caption, `(${image.alt})`].filter(Boolean).join('\n') });
}
