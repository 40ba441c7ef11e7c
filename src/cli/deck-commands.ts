import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadCoreConfig } from '../shared/config.js';
import { describeImport, importDeckBytes } from '../shared/quiz/deck-import.js';
import { parseDeck } from '../shared/quiz/deck-parser.js';
import { exportRatings } from '../shared/repositories/rating-repository.js';
import { withDatabase } from './services.js';
import { toCsv } from './csv.js';

export function registerDeckCommands(program: Command): void {
  const deck = program.command('deck').description('Flashcard decks');
  deck
    .command('parse <file>')
    .description('Parse a Brainscape-style export; prints the cards, warnings go to stderr')
    .option('--json', 'print [{"question","answer"}] as JSON (the default)')
    .action(async (file: string) => {
      const config = loadCoreConfig();
      const parsed = parseDeck(await readFile(file), config.DECK_MAX_BYTES);
      for (const warning of parsed.warnings) process.stderr.write(`warning: ${warning.message}\n`);
      const cards = parsed.cards.map(({ question, answer }) => ({ question, answer }));
      process.stdout.write(`${JSON.stringify(cards, null, 2)}\n`);
    });
  deck
    .command('import <file>')
    .description('Store a deck; re-importing the same file changes nothing, edited cards update in place')
    .option('--name <name>', 'deck name (default: the title in the file)')
    .action(async (file: string, options: { name?: string }) => {
      const config = loadCoreConfig();
      const bytes = await readFile(file);
      const report = await withDatabase((db) =>
        importDeckBytes(db, bytes, { maxBytes: config.DECK_MAX_BYTES, ...(options.name ? { name: options.name } : {}) }),
      );
      for (const warning of report.warnings) process.stderr.write(`warning: ${warning.message}\n`);
      process.stdout.write(`${describeImport({ ...report, warnings: [] })}\n`);
    });

  program
    .command('ratings')
    .description('Ratings')
    .command('export')
    .description('Write every rating (conversation, card question, user, rating, rated at)')
    .option('--format <format>', 'csv or json', 'csv')
    .action(async (options: { format: string }) => {
      if (options.format !== 'csv' && options.format !== 'json') {
        throw new Error(`--format must be csv or json, not ${options.format}`);
      }
      const rows = await withDatabase((db) => exportRatings(db));
      process.stdout.write(options.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : toCsv(rows));
    });
}
