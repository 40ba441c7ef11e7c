import type { ActionEvent, HandlerResult, ReactionEvent } from '../chat/types.js';
import type { RequestContext } from '../core/context.js';
import { UserError } from '../errors.js';
import { countRating } from '../metrics/registry.js';
import { findPost } from '../repositories/post-repository.js';
import { findRateablePost, findRateablePostByMessage } from '../repositories/rateable-post-repository.js';
import { recordRating, withdrawReactionRating } from '../repositories/rating-repository.js';
import { confidenceFromEmoji, parseCardAction, ratingButtonLabel } from './card-message.js';
import { formatDue } from './format.js';
import { GRADE_NAMES, gradeForConfidence } from './fsrs.js';

function privately(markdown: string): HandlerResult {
  return { replies: [{ message: { kind: 'text', markdown }, ephemeral: true }] };
}

/** A redelivery of a rating already stored: answered with nothing, as the first delivery was answered. */
function duplicate(context: RequestContext): HandlerResult {
  context.logger.info({ deliveryKey: context.deliveryKey }, 'duplicate delivery ignored');
  return { replies: [] };
}

/** A post is only usable from the conversation it was posted in: ids in buttons are not trusted alone. */
function inConversation<T extends { conversation: string }>(context: RequestContext, post: T | undefined): T {
  if (!post || post.conversation !== context.conversation) {
    throw new UserError('not_found', 'That card is not in this conversation any more.');
  }
  return post;
}

export async function handleCardAction(event: ActionEvent, context: RequestContext): Promise<HandlerResult> {
  const action = parseCardAction(event.actionId);
  if (!action) throw new UserError('not_found', 'That button is not one this bot knows.');
  if (action.kind === 'reveal-card') {
    const card = await context.db.card.findUnique({ where: { id: action.cardId } });
    if (!card) throw new UserError('not_found', 'That card no longer exists.');
    return privately(`**Answer**\n${card.answer}`);
  }
  if (action.kind === 'reveal') {
    const post = inConversation(context, await findPost(context.db, action.postId));
    return privately(`**Answer**\n${post.card.answer}`);
  }
  const post = inConversation(context, await findRateablePost(context.db, action.postId));
  const now = context.clock();
  const result = await recordRating(
    context.db,
    { postId: post.id, cardId: post.cardId, user: context.user, confidence: action.confidence, source: 'button', at: now },
    context.deliveryKey,
  );
  if (result.status === 'duplicate') return duplicate(context);
  countRating(context.metrics, 'button');
  const grade = GRADE_NAMES[gradeForConfidence(action.confidence)];
  const due = result.outcome?.review ? ` ${formatDue(result.outcome.review.due, now)}` : '';
  return privately(`Recorded **${ratingButtonLabel(action.confidence)}** (${grade}) for card ${post.cardNumber}.${due}`);
}

/**
 * A rating emoji on a card: adding one sets the rating (latest wins), removing the one that set it
 * withdraws it. Reactions on anything else are ignored silently — they are just chat.
 */
export async function handleReaction(event: ReactionEvent, context: RequestContext): Promise<HandlerResult> {
  const confidence = confidenceFromEmoji(event.emoji);
  if (confidence === undefined) return { replies: [] };
  const post = await findRateablePostByMessage(context.db, event.conversation, event.messageRef);
  if (!post) return { replies: [] };
  if (event.added) {
    const result = await recordRating(
      context.db,
      { postId: post.id, cardId: post.cardId, user: context.user, confidence, source: 'reaction', at: context.clock() },
      context.deliveryKey,
    );
    if (result.status === 'duplicate') return duplicate(context);
    countRating(context.metrics, 'reaction');
  } else {
    const result = await withdrawReactionRating(
      context.db,
      { postId: post.id, cardId: post.cardId, userId: context.user.id, confidence },
      context.deliveryKey,
    );
    if (result.status === 'duplicate') return duplicate(context);
    if (result.outcome) context.metrics?.ratingsWithdrawn.inc();
  }
  return { replies: [] };
}
