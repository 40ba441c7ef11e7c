import { LRUCache } from 'lru-cache';
import type { ConversationRef } from '../chat/types.js';
import type { Database } from './database.js';

/** What a rating needs to know about a post: where it was posted and which card it shows. */
export interface RateablePost {
  id: number;
  conversation: ConversationRef;
  cardId: number;
  cardNumber: number;
}

interface Caches {
  byId: LRUCache<number, RateablePost>;
  byMessage: LRUCache<string, RateablePost>;
}

/** Enough for every card posted in weeks of a busy workspace; an entry is a few dozen bytes. */
const MAX_POSTS = 20_000;
const caches = new WeakMap<Database, Caches>();

function cachesFor(db: Database): Caches {
  let found = caches.get(db);
  if (!found) {
    found = { byId: new LRUCache({ max: MAX_POSTS }), byMessage: new LRUCache({ max: MAX_POSTS }) };
    caches.set(db, found);
  }
  return found;
}

const select = { id: true, cardId: true, messageRef: true, conversation: { select: { ref: true } }, card: { select: { number: true } } } as const;

function remember(db: Database, row: { id: number; cardId: number; messageRef: string | null; conversation: { ref: string }; card: { number: number } }) {
  const post: RateablePost = { id: row.id, conversation: row.conversation.ref, cardId: row.cardId, cardNumber: row.card.number };
  const { byId, byMessage } = cachesFor(db);
  byId.set(post.id, post);
  if (row.messageRef !== null) byMessage.set(`${post.conversation}\u0000${row.messageRef}`, post);
  return post;
}

/**
 * A post's identity, cached: a post's conversation and card never change and posts are never deleted,
 * so a burst of clicks on today's card asks the database once, not once per click.
 */
export async function findRateablePost(db: Database, postId: number): Promise<RateablePost | undefined> {
  const cached = cachesFor(db).byId.get(postId);
  if (cached) return cached;
  const row = await db.post.findUnique({ where: { id: postId }, select });
  return row ? remember(db, row) : undefined;
}

/** The post a platform message shows, cached once found (a message that is no card is asked again). */
export async function findRateablePostByMessage(
  db: Database,
  conversation: ConversationRef,
  messageRef: string,
): Promise<RateablePost | undefined> {
  const cached = cachesFor(db).byMessage.get(`${conversation}\u0000${messageRef}`);
  if (cached) return cached;
  const row = await db.post.findFirst({ where: { conversation: { ref: conversation }, messageRef }, select });
  return row ? remember(db, row) : undefined;
}
