import type { ConversationRef } from '../chat/types.js';
import type { CoreContext } from '../core/context.js';
import { chooseNextCard } from './card-selection.js';
import { renderCardMessage } from './card-message.js';
import {
  createOnDemandPost,
  findOrCreateDailyPost,
  findPost,
  findPreviousCardId,
  markPostDelivered,
  type PostWithCard,
} from '../repositories/post-repository.js';
import { loadCandidateCards } from '../repositories/review-repository.js';
import { findQuizSubscription } from '../repositories/subscription-repository.js';
import { localDate } from '../time.js';

type QuizDeps = Pick<CoreContext, 'db' | 'config' | 'clock'>;

export async function pickNextCardId(deps: QuizDeps, conversation: ConversationRef, now: Date): Promise<number | undefined> {
  const [candidates, previous] = await Promise.all([
    loadCandidateCards(deps.db, conversation, now),
    findPreviousCardId(deps.db, conversation),
  ]);
  return chooseNextCard(candidates, now, previous);
}

/** Today's post for a conversation (created once per local date in the subscription's time zone). */
export async function prepareDailyPost(deps: QuizDeps, conversation: ConversationRef): Promise<PostWithCard | undefined> {
  const now = deps.clock();
  const subscription = await findQuizSubscription(deps.db, conversation);
  const date = localDate(now, subscription?.timezone ?? deps.config.DEFAULT_TIMEZONE);
  return findOrCreateDailyPost(deps.db, conversation, date, () => pickNextCardId(deps, conversation, now));
}

export async function prepareOnDemandPost(deps: QuizDeps, conversation: ConversationRef): Promise<PostWithCard | undefined> {
  const cardId = await pickNextCardId(deps, conversation, deps.clock());
  return cardId === undefined ? undefined : createOnDemandPost(deps.db, conversation, cardId);
}

/**
 * Sends a post's card and records where it went. A post already delivered is not sent again, so a
 * retried outbox job is harmless. (If the process dies between the platform's 200 and our update, the
 * retry sends once more: the one window no platform API lets us close.)
 */
export async function deliverPost(
  deps: Pick<CoreContext, 'db' | 'clock' | 'messenger'>,
  postId: number,
): Promise<{ delivered: boolean; messageRef?: string }> {
  const post = await findPost(deps.db, postId);
  if (!post) throw new Error(`post ${postId} does not exist`);
  if (post.deliveredAt && post.messageRef) return { delivered: false, messageRef: post.messageRef };
  const message = renderCardMessage({
    postId: post.id,
    deckName: post.card.deckName,
    cardNumber: post.card.number,
    question: post.card.question,
  });
  const sent = await deps.messenger.send(post.conversation, message);
  await markPostDelivered(deps.db, post.id, sent.messageRef, deps.clock());
  return { delivered: true, messageRef: sent.messageRef };
}
