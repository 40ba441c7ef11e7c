import { requireAdmin } from '../core/preconditions.js';
import { UserError } from '../errors.js';
import { describeImport, importDeckBytes } from '../quiz/deck-import.js';
import { type CommandDefinition, reply, words } from './command.js';

export const deckCommand: CommandDefinition = {
  name: 'deck',
  description: 'Manage flashcard decks',
  usage: '/deck import (attach a Brainscape-style .txt export)',
  options: [],
  subcommands: [
    {
      name: 'import',
      description: 'Import or update a deck from an attached file',
      adminOnly: true,
      options: [{ name: 'file', description: 'Brainscape-style text export', type: 'attachment', required: true }],
    },
  ],
  preconditions: [requireAdmin],
  async handle(event, context) {
    const [sub] = words(event.text);
    if (sub !== 'import') throw new UserError('usage', `Usage: ${this.usage}`);
    const file = event.attachments[0];
    if (!file) throw new UserError('usage', 'Attach or link the deck file with `/deck import`.');
    const maxBytes = context.config.DECK_MAX_BYTES;
    if (file.size > maxBytes) {
      throw new UserError('too_large', `That file is ${file.size} bytes; decks may be at most ${maxBytes} bytes.`);
    }
    const report = await importDeckBytes(context.db, await file.download(), { maxBytes });
    return reply(describeImport(report));
  },
};
