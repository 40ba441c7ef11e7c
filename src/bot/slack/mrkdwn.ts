/**
 * The core writes CommonMark-ish markdown (`**bold**`, `[text](url)`, `# heading`, `- item`); Slack shows
 * its own "mrkdwn" (`*bold*`, `<url|text>`, no headings). Code spans and blocks pass through untouched,
 * and &, <, > are escaped everywhere else because Slack reads them as control characters.
 */
export function toMrkdwn(markdown: string): string {
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]+`)/)
    .map((part, index) => (index % 2 === 1 ? part : convertProse(part)))
    .join('');
}

/** Placeholder for bold's `*` while single-star italics are rewritten; a control character never typed. */
const BOLD = '\u0001';

function convertProse(text: string): string {
  return escapeControlCharacters(text)
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_match, label: string, url: string) => `<${url}|${label}>`)
    .replace(/^#{1,6}\s+(.+)$/gm, `${BOLD}$1${BOLD}`)
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_match, star?: string, underscore?: string) => `${BOLD}${star ?? underscore}${BOLD}`)
    .replace(/(^|[^*\w])\*([^*\n]+)\*(?![*\w])/g, '$1_$2_')
    .replace(/~~(.+?)~~/g, '~$1~')
    .replace(/^(\s*)[-+]\s+/gm, '$1• ')
    .replaceAll(BOLD, '*');
}

export function escapeControlCharacters(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

