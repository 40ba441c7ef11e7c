/**
 * Parser for Brainscape-style text exports:
 *
 *   <deck title>
 *   1
 *   Q
 *   <question lines>
 *   A
 *   <answer lines>
 *   How well did you know this?
 *   1 / Not at all / 2 / 3 / 4 / 5 / Perfectly      (the rating footer, one item per line)
 *   2
 *   Q …
 *
 * Questions and answers may span lines and contain blank lines, bare numbers, emoji and subscripts;
 * an answer ends only at the footer. A card with an empty question or answer is skipped with a warning.
 */

export interface ParsedCard {
  number: number;
  question: string;
  answer: string;
}

export interface DeckWarning {
  cardNumber: number;
  message: string;
}

export interface ParsedDeck {
  title: string;
  cards: ParsedCard[];
  warnings: DeckWarning[];
}

export class DeckParseError extends Error {
  constructor(
    readonly line: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`line ${line}: expected ${expected}, found ${found === '' ? 'end of file' : JSON.stringify(found.slice(0, 60))}`);
    this.name = 'DeckParseError';
  }
}

export const DEFAULT_DECK_MAX_BYTES = 1024 * 1024;
const FOOTER = 'How well did you know this?';
const FOOTER_ITEMS = ['1', 'Not at all', '2', '3', '4', '5', 'Perfectly'];

export function parseDeck(input: string | Buffer, maxBytes = DEFAULT_DECK_MAX_BYTES): ParsedDeck {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > maxBytes) {
    throw new DeckParseError(0, `a deck of at most ${maxBytes} bytes`, `${size} bytes`);
  }
  const text = (typeof input === 'string' ? input : input.toString('utf8')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.replace(/\s+$/u, ''));
  // Postgres text cannot hold U+0000; a file with one is not a text export.
  const nul = lines.findIndex((line) => line.includes('\u0000'));
  if (nul !== -1) throw new DeckParseError(nul + 1, 'text without NUL characters', 'a NUL character');
  const reader = new LineReader(lines);

  const titleLines: string[] = [];
  while (!reader.done() && !isCardNumber(reader.peek(), 1)) titleLines.push(reader.next());
  const title = titleLines.join('\n').trim();
  if (reader.done()) throw new DeckParseError(reader.lineNumber(), 'card number 1', '');

  const cards: ParsedCard[] = [];
  const warnings: DeckWarning[] = [];
  let expectedNumber = 1;
  while (!reader.done()) {
    skipBlank(reader);
    if (reader.done()) break;
    if (!isCardNumber(reader.peek(), expectedNumber)) {
      throw new DeckParseError(reader.lineNumber(), `card number ${expectedNumber} or end of file`, reader.peek());
    }
    reader.next();
    skipBlank(reader);
    if (reader.peek().trim() !== 'Q') throw new DeckParseError(reader.lineNumber(), '"Q"', reader.peek());
    reader.next();
    const question = readUntil(reader, (line) => line.trim() === 'A', '"A" after the question');
    reader.next();
    const answer = readUntil(reader, (line) => line.trim() === FOOTER, `"${FOOTER}" after the answer`);
    reader.next();
    skipFooterItems(reader, expectedNumber + 1);
    if (question === '' || answer === '') {
      const missing = question === '' && answer === '' ? 'question and answer' : question === '' ? 'question' : 'answer';
      warnings.push({ cardNumber: expectedNumber, message: `card ${expectedNumber} has no ${missing}; skipped` });
    } else {
      cards.push({ number: expectedNumber, question, answer });
    }
    expectedNumber += 1;
  }
  return { title, cards, warnings };
}

class LineReader {
  private index = 0;
  constructor(private readonly lines: string[]) {
    // A trailing newline yields one empty last element; it is not a line of the file.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  }
  done(): boolean {
    return this.index >= this.lines.length;
  }
  peek(offset = 0): string {
    return this.lines[this.index + offset] ?? '';
  }
  next(): string {
    const line = this.lines[this.index] ?? '';
    this.index += 1;
    return line;
  }
  /** 1-based number of the line peek() returns. */
  lineNumber(): number {
    return this.index + 1;
  }
  hasMore(offset: number): boolean {
    return this.index + offset < this.lines.length;
  }
}

function isCardNumber(line: string, expected: number): boolean {
  return line.trim() === String(expected);
}

function skipBlank(reader: LineReader): void {
  while (!reader.done() && reader.peek().trim() === '') reader.next();
}

function readUntil(reader: LineReader, isEnd: (line: string) => boolean, expected: string): string {
  const collected: string[] = [];
  while (!reader.done() && !isEnd(reader.peek())) collected.push(reader.next());
  if (reader.done()) throw new DeckParseError(reader.lineNumber(), expected, '');
  return collected.join('\n').trim();
}

/**
 * Consumes the footer's rating items in their fixed order, tolerating a truncated footer (the last card
 * of an export often lacks "Perfectly"). A rating digit that is also the next card's number, followed by
 * "Q", belongs to the next card.
 */
function skipFooterItems(reader: LineReader, nextCardNumber: number): void {
  let item = 0;
  while (!reader.done() && item < FOOTER_ITEMS.length) {
    const line = reader.peek().trim();
    if (line === '') {
      reader.next();
      continue;
    }
    if (line !== FOOTER_ITEMS[item]) return;
    if (isCardNumber(line, nextCardNumber) && startsCard(reader)) return;
    reader.next();
    item += 1;
  }
}

function startsCard(reader: LineReader): boolean {
  let offset = 1;
  while (reader.hasMore(offset) && reader.peek(offset).trim() === '') offset += 1;
  return reader.peek(offset).trim() === 'Q';
}
