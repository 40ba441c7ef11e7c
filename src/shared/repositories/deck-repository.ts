import { createHash } from 'node:crypto';
import type { ParsedDeck } from '../quiz/deck-parser.js';
import type { Database } from './database.js';

export interface DeckImportResult {
  deckId: number;
  deckName: string;
  created: number;
  updated: number;
  unchanged: number;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Stores a parsed deck. Cards keep their identity by number, so an edited card is updated in place and
 * keeps its ratings; an unchanged card is not written at all. Cards missing from a newer file are kept
 * (they may carry ratings) — deleting them is a deliberate act, not a side effect of an import.
 */
export async function importDeck(db: Database, name: string, deck: ParsedDeck): Promise<DeckImportResult> {
  const sourceHash = hash(JSON.stringify(deck.cards));
  return db.$transaction(async (tx) => {
    const existing = await tx.deck.findUnique({ where: { name } });
    const stored =
      existing ??
      (await tx.deck.create({ data: { name, sourceHash } }));
    if (existing && existing.sourceHash !== sourceHash) {
      await tx.deck.update({ where: { id: existing.id }, data: { sourceHash } });
    }
    const current = new Map(
      (await tx.card.findMany({ where: { deckId: stored.id } })).map((card) => [card.number, card]),
    );
    const result: DeckImportResult = { deckId: stored.id, deckName: name, created: 0, updated: 0, unchanged: 0 };
    for (const card of deck.cards) {
      const contentHash = hash(`${card.question}\u0000${card.answer}`);
      const before = current.get(card.number);
      if (!before) {
        await tx.card.create({
          data: { deckId: stored.id, number: card.number, question: card.question, answer: card.answer, contentHash },
        });
        result.created += 1;
      } else if (before.contentHash !== contentHash) {
        await tx.card.update({
          where: { id: before.id },
          data: { question: card.question, answer: card.answer, contentHash },
        });
        result.updated += 1;
      } else {
        result.unchanged += 1;
      }
    }
    return result;
  });
}

export async function countDecks(db: Database): Promise<number> {
  return db.deck.count();
}

export interface DeckCard {
  id: number;
  number: number;
  question: string;
  answer: string;
  deckId: number;
  deckName: string;
}

/** Every card of every deck, in deck order (deck id, then card number). */
export async function listAllCards(db: Database): Promise<DeckCard[]> {
  const cards = await db.card.findMany({
    orderBy: [{ deckId: 'asc' }, { number: 'asc' }],
    include: { deck: { select: { name: true } } },
  });
  return cards.map((card) => ({
    id: card.id,
    number: card.number,
    question: card.question,
    answer: card.answer,
    deckId: card.deckId,
    deckName: card.deck.name,
  }));
}
