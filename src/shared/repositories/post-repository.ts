import type { ConversationRef } from '../chat/types.js';
import type { Database } from './database.js';
import { ensureConversation } from './conversation-repository.js';

export interface PostWithCard {
  id: number;
  conversation: ConversationRef;
  dailyDate: string | null;
  messageRef: string | null;
  deliveredAt: Date | null;
  card: { id: number; number: number; question: string; answer: string; deckName: string };
}

const postInclude = {
  conversation: { select: { ref: true } },
  card: { include: { deck: { select: { name: true } } } },
} as const;

type PostRow = {
  id: number;
  dailyDate: string | null;
  messageRef: string | null;
  deliveredAt: Date | null;
  conversation: { ref: string };
  card: { id: number; number: number; question: string; answer: string; deck: { name: string } };
};

function toPostWithCard(row: PostRow): PostWithCard {
  return {
    id: row.id,
    conversation: row.conversation.ref,
    dailyDate: row.dailyDate,
    messageRef: row.messageRef,
    deliveredAt: row.deliveredAt,
    card: {
      id: row.card.id,
      number: row.card.number,
      question: row.card.question,
      answer: row.card.answer,
      deckName: row.card.deck.name,
    },
  };
}

/**
 * The daily post for (conversation, local date), created on first call. Later calls — a duplicate
 * scheduler firing, a retried job, a restart — get the same post back, so one day never has two.
 */
export async function findOrCreateDailyPost(
  db: Database,
  conversation: ConversationRef,
  dailyDate: string,
  chooseCard: () => Promise<number | undefined>,
): Promise<PostWithCard | undefined> {
  const conversationId = await ensureConversation(db, conversation);
  const existing = await db.post.findUnique({
    where: { conversationId_dailyDate: { conversationId, dailyDate } },
    include: postInclude,
  });
  if (existing) return toPostWithCard(existing);
  const cardId = await chooseCard();
  if (cardId === undefined) return undefined;
  // Two firings may race past the lookup; the unique (conversation, date) lets exactly one insert win.
  await db.$executeRaw`
    INSERT INTO "Post" ("conversationId", "cardId", "dailyDate", "createdAt")
    VALUES (${conversationId}, ${cardId}, ${dailyDate}, now())
    ON CONFLICT ("conversationId", "dailyDate") DO NOTHING`;
  const row = await db.post.findUniqueOrThrow({
    where: { conversationId_dailyDate: { conversationId, dailyDate } },
    include: postInclude,
  });
  return toPostWithCard(row);
}

export async function createOnDemandPost(db: Database, conversation: ConversationRef, cardId: number): Promise<PostWithCard> {
  const conversationId = await ensureConversation(db, conversation);
  const row = await db.post.create({ data: { conversationId, cardId }, include: postInclude });
  return toPostWithCard(row);
}

export async function findPost(db: Database, postId: number): Promise<PostWithCard | undefined> {
  const row = await db.post.findUnique({ where: { id: postId }, include: postInclude });
  return row ? toPostWithCard(row) : undefined;
}

export async function markPostDelivered(db: Database, postId: number, messageRef: string, at: Date): Promise<void> {
  await db.post.update({ where: { id: postId }, data: { messageRef, deliveredAt: at } });
}

/** The card of the conversation's most recent post, which the next pick must avoid. */
export async function findPreviousCardId(db: Database, conversation: ConversationRef): Promise<number | undefined> {
  const row = await db.post.findFirst({
    where: { conversation: { ref: conversation } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { cardId: true },
  });
  return row?.cardId;
}
