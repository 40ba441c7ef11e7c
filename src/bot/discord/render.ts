import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Button, OutgoingMessage } from '../../shared/chat/types.js';
import { unicodeForEmojiName } from './emoji.js';
import {
  DISCORD_MAX_ACTION_ROWS,
  DISCORD_MAX_ATTACHMENT_DESCRIPTION_LENGTH,
  DISCORD_MAX_BUTTON_LABEL_LENGTH,
  DISCORD_MAX_BUTTONS_PER_ROW,
  DISCORD_MAX_CONTENT_LENGTH,
  DISCORD_MAX_CUSTOM_ID_LENGTH,
  DISCORD_MAX_EMBED_DESCRIPTION_LENGTH,
  DISCORD_MAX_EMBED_TITLE_LENGTH,
} from './limits.js';
import { truncate } from '../../shared/chat/truncate.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

/** A message as discord.js takes it for channel sends, interaction replies and webhook edits alike. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ButtonRow[];
  files: { attachment: Buffer; name: string; description?: string }[];
  /** Core text quotes deck content and user names: it must never ping @everyone or a role. */
  allowedMentions: { parse: [] };
}

/** Embed accent for cards, so the daily card stands out from chat. */
const CARD_COLOUR = 0x5865f2;

const STYLES: Record<NonNullable<Button['style']>, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** Core message → Discord message. */
export function renderMessage(message: OutgoingMessage): DiscordMessage {
  const base = { embeds: [], components: [], files: [], allowedMentions: { parse: [] as [] } };
  switch (message.kind) {
    case 'text':
      return { ...base, content: truncate(message.markdown, DISCORD_MAX_CONTENT_LENGTH) };
    case 'card':
      return {
        ...base,
        embeds: [
          {
            ...(message.title ? { title: truncate(message.title, DISCORD_MAX_EMBED_TITLE_LENGTH) } : {}),
            description: truncate(message.body, DISCORD_MAX_EMBED_DESCRIPTION_LENGTH),
            color: CARD_COLOUR,
          },
        ],
        components: renderButtonRows(message.buttons),
      };
    case 'image':
      return {
        ...base,
        ...(message.caption ? { content: truncate(message.caption, DISCORD_MAX_CONTENT_LENGTH) } : {}),
        files: [
          {
            attachment: message.png,
            name: message.filename,
            description: truncate(message.alt, DISCORD_MAX_ATTACHMENT_DESCRIPTION_LENGTH),
          },
        ],
      };
  }
}

/** The unicode reactions the bot adds under a message (1️⃣–5️⃣ for a rateable card). */
export function renderReactions(message: OutgoingMessage): string[] {
  if (message.kind !== 'card') return [];
  return (message.reactions ?? []).map((name) => {
    const unicode = unicodeForEmojiName(name);
    if (!unicode) throw new Error(`no Discord emoji for the core reaction "${name}"`);
    return unicode;
  });
}

/**
 * Buttons in rows: consecutive buttons of one style share a row (so a card reads "Show answer" above
 * the 1–5 scale), and a run longer than a row wraps.
 */
export function renderButtonRows(buttons: readonly Button[]): ButtonRow[] {
  const runs: Button[][] = [];
  for (const button of buttons) {
    const run = runs.at(-1);
    if (run && styleOf(run[0]) === styleOf(button) && run.length < DISCORD_MAX_BUTTONS_PER_ROW) run.push(button);
    else runs.push([button]);
  }
  if (runs.length > DISCORD_MAX_ACTION_ROWS) {
    throw new Error(`a Discord message holds at most ${DISCORD_MAX_ACTION_ROWS} rows of buttons; this one needs ${runs.length}`);
  }
  return runs.map((run) => ({ type: ComponentType.ActionRow, components: run.map(renderButton) }));
}

function renderButton(button: Button): APIButtonComponentWithCustomId {
  if (button.id.length > DISCORD_MAX_CUSTOM_ID_LENGTH) {
    // Truncating would route the click to a different action, so this is a bug to surface.
    throw new Error(`button id "${button.id}" is longer than Discord's ${DISCORD_MAX_CUSTOM_ID_LENGTH} characters`);
  }
  return {
    type: ComponentType.Button,
    custom_id: button.id,
    label: truncate(button.label, DISCORD_MAX_BUTTON_LABEL_LENGTH),
    style: STYLES[styleOf(button)],
  };
}

function styleOf(button: Button | undefined): NonNullable<Button['style']> {
  return button?.style ?? 'secondary';
}
