/** RFC 4180 CSV: every field quoted when it holds a comma, quote or line break. */
export function toCsv<T extends object>(rows: readonly T[]): string {
  if (rows.length === 0) return '';
  const header = Object.keys(rows[0] as object);
  const quote = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [header.join(','), ...rows.map((row) => header.map((key) => quote((row as Record<string, unknown>)[key])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
