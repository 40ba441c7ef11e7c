import { UserError } from '../errors.js';
import { type DeckImportResult, importDeck } from '../repositories/deck-repository.js';
import type { Database } from '../repositories/database.js';
import { DeckParseError, type DeckWarning, parseDeck } from './deck-parser.js';

export interface DeckImportReport extends DeckImportResult {
  warnings: DeckWarning[];
}

/** Parses and stores a deck file; a malformed file is refused whole, before anything is written. */
export async function importDeckBytes(
  db: Database,
  bytes: Buffer,
  options: { name?: string; maxBytes: number },
): Promise<DeckImportReport> {
  let parsed: ReturnType<typeof parseDeck>;
  try {
    parsed = parseDeck(bytes, options.maxBytes);
  } catch (error) {
    if (error instanceof DeckParseError) throw new UserError('deck_parse', `The deck was not imported: ${error.message}.`);
    throw error;
  }
  if (parsed.cards.length === 0) throw new UserError('deck_parse', 'The deck was not imported: it has no cards.');
  const name = options.name?.trim() || parsed.title || 'Untitled deck';
  const result = await importDeck(db, name, parsed);
  return { ...result, warnings: parsed.warnings };
}

export function describeImport(report: DeckImportReport): string {
  const parts = [`${report.created} new`, `${report.updated} updated`, `${report.unchanged} unchanged`];
  const warnings = report.warnings.map((warning) => `\n• ${warning.message}`).join('');
  return `Deck “${report.deckName}”: ${parts.join(', ')}.${warnings}`;
}
