import { deliverPost, prepareOnDemandPost } from '../quiz/quiz-service.js';
import { type CommandDefinition, reply } from './command.js';

export const quizCommand: CommandDefinition = {
  name: 'quiz',
  description: 'Post the next flashcard here now',
  usage: '/quiz',
  options: [],
  async handle(_event, context) {
    const post = await prepareOnDemandPost(context, context.conversation);
    if (!post) return reply('There are no cards yet. An admin can add a deck with `/deck import`.', true);
    await deliverPost(context, post.id);
    return reply(`Posted card ${post.card.number} of ${post.card.deckName}.`, true);
  },
};
