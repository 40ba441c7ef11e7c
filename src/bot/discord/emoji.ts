import { RATING_EMOJI } from '../../shared/chat/types.js';

type RatingEmojiName = (typeof RATING_EMOJI)[number];

/** Keycap emoji: digit + VS16 + combining enclosing keycap, as Discord sends them in reaction events. */
const KEYCAPS: Record<RatingEmojiName, string> = {
  one: '1\uFE0F\u20E3',
  two: '2\uFE0F\u20E3',
  three: '3\uFE0F\u20E3',
  four: '4\uFE0F\u20E3',
  five: '5\uFE0F\u20E3',
};

/** The unicode emoji the bot reacts with for a core emoji name ("one" → 1️⃣). */
export function unicodeForEmojiName(name: string): string | undefined {
  return (KEYCAPS as Record<string, string | undefined>)[name];
}

/**
 * The core name for a reaction's emoji, or undefined for anything that is not a rating. Custom
 * emoji (with an id) never count, even one a server named "one". Clients differ on whether they
 * keep the VS16 selector, so it is ignored.
 */
export function emojiNameForReaction(emoji: { id: string | null; name: string | null }): RatingEmojiName | undefined {
  if (emoji.id !== null || emoji.name === null) return undefined;
  const bare = emoji.name.replace(/\uFE0F/g, '');
  return RATING_EMOJI.find((name) => KEYCAPS[name].replace(/\uFE0F/g, '') === bare);
}
