import { z } from 'zod';

/** One observation of a series; `day` is absent when the CSV has no date column (rows are then in order). */
export interface SeriesPoint {
  day?: string;
  close: number;
}

export const seriesCsvOptionsSchema = z.object({
  valueColumn: z.string().min(1),
  dateColumn: z.string().min(1).optional(),
});
export type SeriesCsvOptions = z.infer<typeof seriesCsvOptionsSchema>;

export class SeriesCsvError extends Error {
  override readonly name = 'SeriesCsvError';
  constructor(
    readonly code: 'empty' | 'missing-column' | 'bad-value' | 'bad-date' | 'too-short',
    message: string,
  ) {
    super(message);
  }
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads one numeric column (and optionally a date column) from CSV text. Dates, when given, must be
 * YYYY-MM-DD (a timestamp's first 10 characters are used) and rows are sorted by them; without a date
 * column the row order is the time order. Blank lines are skipped; any other unreadable value is an error
 * rather than a silently dropped day, because a gap shifts every window after it.
 */
export function parseSeriesCsv(text: string, rawOptions: SeriesCsvOptions): SeriesPoint[] {
  const options = seriesCsvOptionsSchema.parse(rawOptions);
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const headerLine = lines[0];
  if (headerLine === undefined) throw new SeriesCsvError('empty', 'the CSV is empty');
  const header = splitCsvLine(headerLine).map((name) => name.trim());
  const valueIndex = columnIndex(header, options.valueColumn);
  const dateIndex = options.dateColumn === undefined ? undefined : columnIndex(header, options.dateColumn);

  const points: SeriesPoint[] = [];
  for (let row = 1; row < lines.length; row++) {
    const cells = splitCsvLine(lines[row] ?? '');
    const rawValue = (cells[valueIndex] ?? '').trim();
    const close = Number(rawValue);
    if (rawValue === '' || !Number.isFinite(close)) {
      throw new SeriesCsvError('bad-value', `line ${row + 1}: "${rawValue}" in ${options.valueColumn} is not a number`);
    }
    if (dateIndex === undefined) {
      points.push({ close });
      continue;
    }
    const day = (cells[dateIndex] ?? '').trim().slice(0, 10);
    if (!ISO_DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      throw new SeriesCsvError('bad-date', `line ${row + 1}: "${cells[dateIndex] ?? ''}" is not a YYYY-MM-DD date`);
    }
    points.push({ day, close });
  }
  if (dateIndex !== undefined) points.sort((a, b) => (a.day ?? '').localeCompare(b.day ?? ''));
  return points;
}

function columnIndex(header: string[], name: string): number {
  const index = header.indexOf(name);
  if (index < 0) {
    throw new SeriesCsvError('missing-column', `no column "${name}" (columns: ${header.join(', ')})`);
  }
  return index;
}

/** Splits one CSV line, honouring double-quoted fields with "" escapes (no embedded newlines). */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(current);
      current = '';
    } else current += ch;
  }
  cells.push(current);
  return cells;
}
