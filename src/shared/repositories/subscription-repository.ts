import type { ConversationRef } from '../chat/types.js';
import type { Database } from './database.js';
import { ensureConversation } from './conversation-repository.js';

export interface QuizSubscriptionRow {
  conversation: ConversationRef;
  postTime: string;
  timezone: string;
}

export async function upsertQuizSubscription(db: Database, subscription: QuizSubscriptionRow): Promise<void> {
  const conversationId = await ensureConversation(db, subscription.conversation);
  await db.quizSubscription.upsert({
    where: { conversationId },
    create: { conversationId, postTime: subscription.postTime, timezone: subscription.timezone },
    update: { postTime: subscription.postTime, timezone: subscription.timezone },
  });
}

export async function deleteQuizSubscription(db: Database, conversation: ConversationRef): Promise<boolean> {
  const deleted = await db.quizSubscription.deleteMany({ where: { conversation: { ref: conversation } } });
  return deleted.count > 0;
}

export async function findQuizSubscription(
  db: Database,
  conversation: ConversationRef,
): Promise<QuizSubscriptionRow | undefined> {
  const row = await db.quizSubscription.findFirst({
    where: { conversation: { ref: conversation } },
    include: { conversation: { select: { ref: true } } },
  });
  return row ? { conversation: row.conversation.ref, postTime: row.postTime, timezone: row.timezone } : undefined;
}

export async function listQuizSubscriptions(db: Database): Promise<QuizSubscriptionRow[]> {
  const rows = await db.quizSubscription.findMany({ include: { conversation: { select: { ref: true } } } });
  return rows.map((row) => ({ conversation: row.conversation.ref, postTime: row.postTime, timezone: row.timezone }));
}
