import type { ActionEvent, HandlerResult, ReactionEvent } from '../chat/types.js';
import type { RequestContext } from '../core/context.js';
import { UserError } from '../errors.js';
import { countRating } from '../metrics/registry.js';
import { findPost, findPostByMessage, type PostWithCard } from '../repositories/post-repository.js';
import { recordRating, withdrawReactionRating } from '../repositories/rating-repository.js';
import { confidenceFromEmoji, parseCardAction, ratingButtonLabel } from './card-message.js';
import { formatDue } from './format.js';
import { GRADE_NAMES, gradeForConfidence } from './fsrs.js';

function privately(markdown: string): HandlerResult {
  return { replies: [{ message: { kind: 'text', markdown }, ephemeral: true }] };
}

/** A post is only rateable from the conversation it was posted in: ids in buttons are not trusted alone. */
async function postInConversation(context: RequestContext, postId: number): Promise<PostWithCard> {
  const post = await findPost(context.db, postId);
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
  const post = await postInConversation(context, action.postId);
  if (action.kind === 'reveal') return privately(`**Answer**\n${post.card.answer}`);
  const now = context.clock();
  const outcome = await recordRating(context.db, {
    postId: post.id,
    cardId: post.card.id,
    user: context.user,
    confidence: action.confidence,
    source: 'button',
    at: now,
  });
  countRating(context.metrics, 'button');
  const grade = GRADE_NAMES[gradeForConfidence(action.confidence)];
  const due = outcome.review ? ` ${formatDue(outcome.review.due, now)}` : '';
  return privately(`Recorded **${ratingButtonLabel(action.confidence)}** (${grade}) for card ${post.card.number}.${due}`);
}

/**
 * A rating emoji on a card: adding one sets the rating (latest wins), removing the one that set it
 * withdraws it. Reactions on anything else are ignored silently — they are just chat.
 */
export async function handleReaction(event: ReactionEvent, context: RequestContext): Promise<HandlerResult> {
  const confidence = confidenceFromEmoji(event.emoji);
  if (confidence === undefined) return { replies: [] };
  const post = await findPostByMessage(context.db, event.conversation, event.messageRef);
  if (!post) return { replies: [] };
  if (event.added) {
    await recordRating(context.db, {
      postId: post.id,
      cardId: post.card.id,
      user: context.user,
      confidence,
      source: 'reaction',
      at: context.clock(),
    });
    countRating(context.metrics, 'reaction');
  } else {
    const withdrawn = await withdrawReactionRating(context.db, {
      postId: post.id,
      cardId: post.card.id,
      userId: context.user.id,
      confidence,
    });
    if (withdrawn) context.metrics?.ratingsWithdrawn.inc();
  }
  return { replies: [] };
}
