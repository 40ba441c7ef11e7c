import { describe, expect, it } from 'vitest';
import { emojiNameForReaction, unicodeForEmojiName } from '../../src/bot/discord/emoji.js';
import { DISCORD_MAX_BUTTONS_PER_ROW, DISCORD_MAX_CONTENT_LENGTH } from '../../src/bot/discord/limits.js';
import { renderButtonRows, renderMessage, renderReactions } from '../../src/bot/discord/render.js';
import type { Button } from '../../src/shared/chat/types.js';
import { renderCardMessage } from '../../src/shared/quiz/card-message.js';

const buttons = (count: number, style: Button['style'] = 'primary'): Button[] =>
  Array.from({ length: count }, (_, index) => ({ id: `b${index}`, label: `B${index}`, style }));

describe('Discord render', () => {
  it('renders the core card as an embed, a Show answer row and a 1–5 row, with 1️⃣–5️⃣ reactions', () => {
    const card = renderCardMessage({ postId: 7, deckName: 'RNN', cardNumber: 3, question: 'Why gates?' });
    const message = renderMessage(card);
    expect(message.content).toBeUndefined();
    expect(message.embeds).toEqual([{ title: 'RNN · card 3', description: expect.stringContaining('Why gates?'), color: expect.any(Number) }]);
    expect(message.components.map((row) => row.components.map((button) => button.custom_id))).toEqual([
      ['reveal:7'],
      ['rate:7:1', 'rate:7:2', 'rate:7:3', 'rate:7:4', 'rate:7:5'],
    ]);
    expect(message.allowedMentions).toEqual({ parse: [] });
    expect(renderReactions(card)).toEqual(['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣']);
  });

  it('wraps a run of buttons at DISCORD_MAX_BUTTONS_PER_ROW and refuses more than five rows', () => {
    expect(renderButtonRows(buttons(12)).map((row) => row.components.length)).toEqual([DISCORD_MAX_BUTTONS_PER_ROW, DISCORD_MAX_BUTTONS_PER_ROW, 2]);
    expect(() => renderButtonRows(buttons(26))).toThrow(/at most 5 rows/);
  });

  it('refuses a button id Discord would cut, since a cut id routes the click elsewhere', () => {
    expect(() => renderButtonRows([{ id: 'x'.repeat(101), label: 'Too long' }])).toThrow(/longer than Discord/);
  });

  it('cuts text at Discord’s content limit, visibly', () => {
    const message = renderMessage({ kind: 'text', markdown: 'a'.repeat(DISCORD_MAX_CONTENT_LENGTH + 10) });
    expect(message.content).toHaveLength(DISCORD_MAX_CONTENT_LENGTH);
    expect(message.content?.endsWith('…')).toBe(true);
  });

  it('sends images as attachments with the alt text as their description', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const message = renderMessage({ kind: 'image', png, alt: 'SPX forecast chart', caption: 'SPX tomorrow', filename: 'spx.png' });
    expect(message).toMatchObject({ content: 'SPX tomorrow', files: [{ attachment: png, name: 'spx.png', description: 'SPX forecast chart' }] });
  });

  it('maps keycap emoji to the core names both ways, with or without VS16, and ignores custom emoji', () => {
    expect(unicodeForEmojiName('three')).toBe('3️⃣');
    expect(emojiNameForReaction({ id: null, name: '3️⃣' })).toBe('three');
    expect(emojiNameForReaction({ id: null, name: '3\u20E3' })).toBe('three');
    expect(emojiNameForReaction({ id: '123456789012345678', name: 'one' })).toBeUndefined();
    expect(emojiNameForReaction({ id: null, name: '👍' })).toBeUndefined();
  });
});
