import type { ConversationRef } from '../chat/types.js';
import type { DatabaseOrTransaction } from './database.js';

/**
 * The conversation's id, created on first use. Prisma's upsert is a read then a write and fails when
 * two first uses race; INSERT … ON CONFLICT is one atomic statement.
 */
export async function ensureConversation(db: DatabaseOrTransaction, ref: ConversationRef): Promise<number> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "Conversation" ("ref", "createdAt") VALUES (${ref}, now())
    ON CONFLICT ("ref") DO UPDATE SET "ref" = EXCLUDED."ref"
    RETURNING "id"`;
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`could not store conversation ${ref}`);
  return id;
}

export async function findConversationId(db: DatabaseOrTransaction, ref: ConversationRef): Promise<number | undefined> {
  return (await db.conversation.findUnique({ where: { ref }, select: { id: true } }))?.id;
}
