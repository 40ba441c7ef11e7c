import { formatDue } from '../quiz/format.js';
import { revealCardActionId } from '../quiz/card-message.js';
import { findMostDueReview } from '../repositories/review-repository.js';
import type { CommandDefinition } from './command.js';
import { reply } from './command.js';

export const reviewCommand: CommandDefinition = {
  name: 'review',
  description: 'Show your own most-due card, privately',
  usage: '/review',
  options: [],
  async handle(_event, context) {
    const review = await findMostDueReview(context.db, context.user.id);
    if (!review) return reply('You have not rated any card yet. Rate today’s card to start your reviews.', true);
    const now = context.clock();
    return {
      replies: [
        {
          ephemeral: true,
          message: {
            kind: 'card',
            title: `Your review · ${review.card.deck.name} · card ${review.card.number}`,
            body: `${review.card.question}\n\n${formatDue(review.due, now)}`,
            buttons: [{ id: revealCardActionId(review.card.id), label: 'Show answer', style: 'secondary' }],
            fallbackText: review.card.question,
          },
        },
      ],
    };
  },
};
