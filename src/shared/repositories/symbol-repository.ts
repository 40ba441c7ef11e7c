import { UserError } from '../errors.js';
import { SYMBOL_PATTERN } from '../ticks/tick.js';
import type { DatabaseOrTransaction } from './database.js';

export function normaliseSymbol(code: string): string {
  const symbol = code.trim().toUpperCase();
  if (!SYMBOL_PATTERN.test(symbol)) {
    throw new UserError('invalid_input', `"${code}" is not a symbol: use 1–20 letters, digits, . _ or -.`);
  }
  return symbol;
}

/** Registers a symbol (idempotent); only registered symbols accept ticks. */
export async function registerSymbol(db: DatabaseOrTransaction, code: string): Promise<{ id: number; code: string; created: boolean }> {
  const symbol = normaliseSymbol(code);
  const inserted = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "Symbol" ("code", "createdAt") VALUES (${symbol}, now()) ON CONFLICT ("code") DO NOTHING RETURNING "id"`;
  if (inserted[0]) return { id: inserted[0].id, code: symbol, created: true };
  const existing = await db.symbol.findUniqueOrThrow({ where: { code: symbol }, select: { id: true } });
  return { id: existing.id, code: symbol, created: false };
}

export async function findSymbol(db: DatabaseOrTransaction, code: string): Promise<{ id: number; code: string } | undefined> {
  return (await db.symbol.findUnique({ where: { code: code.trim().toUpperCase() }, select: { id: true, code: true } })) ?? undefined;
}

export async function listSymbols(db: DatabaseOrTransaction) {
  return db.symbol.findMany({
    orderBy: { code: 'asc' },
    select: { code: true, createdAt: true, _count: { select: { ticks: true, closes: true } } },
  });
}
