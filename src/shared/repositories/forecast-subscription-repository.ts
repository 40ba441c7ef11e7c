import type { ConversationRef } from '../chat/types.js';
import { ensureConversation } from './conversation-repository.js';
import type { Database } from './database.js';

export interface ForecastSubscriptionRow {
  conversation: ConversationRef;
  symbol: string;
  postTime: string;
  timezone: string;
}

export async function upsertForecastSubscription(db: Database, row: ForecastSubscriptionRow): Promise<void> {
  const conversationId = await ensureConversation(db, row.conversation);
  const symbol = await db.symbol.findUniqueOrThrow({ where: { code: row.symbol }, select: { id: true } });
  await db.forecastSubscription.upsert({
    where: { conversationId_symbolId: { conversationId, symbolId: symbol.id } },
    create: { conversationId, symbolId: symbol.id, postTime: row.postTime, timezone: row.timezone },
    update: { postTime: row.postTime, timezone: row.timezone },
  });
}

export async function deleteForecastSubscription(db: Database, conversation: ConversationRef, symbol: string): Promise<boolean> {
  const deleted = await db.forecastSubscription.deleteMany({
    where: { conversation: { ref: conversation }, symbol: { code: symbol } },
  });
  return deleted.count > 0;
}

export async function listForecastSubscriptions(db: Database): Promise<ForecastSubscriptionRow[]> {
  const rows = await db.forecastSubscription.findMany({
    include: { conversation: { select: { ref: true } }, symbol: { select: { code: true } } },
  });
  return rows.map((row) => ({
    conversation: row.conversation.ref,
    symbol: row.symbol.code,
    postTime: row.postTime,
    timezone: row.timezone,
  }));
}

/**
 * Claims the post of a symbol's forecast for a target date in a conversation. Only the first claim
 * wins, so a scheduler firing twice (or a retried job) posts once.
 */
export async function claimForecastPost(
  db: Database,
  input: { conversation: ConversationRef; symbol: string; targetDate: string },
): Promise<boolean> {
  const conversationId = await ensureConversation(db, input.conversation);
  const claimed = await db.$executeRaw`
    INSERT INTO "ForecastPost" ("conversationId", "symbolId", "targetDate", "createdAt")
    SELECT ${conversationId}, "id", ${input.targetDate}, now() FROM "Symbol" WHERE "code" = ${input.symbol}
    ON CONFLICT ("conversationId", "symbolId", "targetDate") DO NOTHING`;
  return claimed === 1;
}

export async function forecastPostClaimed(
  db: Database,
  input: { conversation: ConversationRef; symbol: string; targetDate: string },
): Promise<boolean> {
  const row = await db.forecastPost.findFirst({
    where: { conversation: { ref: input.conversation }, symbol: { code: input.symbol }, targetDate: input.targetDate },
    select: { targetDate: true },
  });
  return row !== null;
}
