/**
 * Text cleaning and tokenization shared by training and inference. The artifact records
 * CLEANING_VERSION so a model is never fed text cleaned by different rules than it was trained on.
 */
export const CLEANING_VERSION = 1;

const LINE_BREAK_TAG = /<br\s*\/?>/gi;
// Bounded so a stray "<" in a long message cannot make this scan quadratic.
const HTML_TAG = /<\/?[a-z][^<>]{0,200}>/gi;
const HTML_ENTITY = /&(?:#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,8});/gi;
const CURLY_APOSTROPHE = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
// Everything that is not a letter, digit or apostrophe (punctuation, symbols, emoji) separates words.
const NOT_WORD = /[^\p{L}\p{N}'\s]+/gu;
// Apostrophes that quote rather than join ("'great'" → "great", "didn't" stays).
const STRAY_APOSTROPHE = /(^|\s)'+|'+(?=\s|$)/g;
const WHITESPACE = /\s+/g;

/** Lower-cased words and numbers separated by single spaces; markup, punctuation and emoji removed. */
export function cleanText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(LINE_BREAK_TAG, ' ')
    .replace(HTML_TAG, ' ')
    .replace(HTML_ENTITY, ' ')
    .toLowerCase()
    .replace(CURLY_APOSTROPHE, "'")
    .replace(NOT_WORD, ' ')
    .replace(STRAY_APOSTROPHE, '$1')
    .replace(WHITESPACE, ' ')
    .trim();
}

export function tokenize(raw: string): string[] {
  const cleaned = cleanText(raw);
  return cleaned === '' ? [] : cleaned.split(' ');
}
