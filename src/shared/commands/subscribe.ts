import { requireAdmin } from '../core/preconditions.js';
import { scheduleDailyQuiz, unscheduleDailyQuiz } from '../quiz/quiz-scheduler.js';
import { deleteQuizSubscription, upsertQuizSubscription } from '../repositories/subscription-repository.js';
import { UserError } from '../errors.js';
import { type CommandDefinition, dailySchedule, hasNamedOptions, reply, words } from './command.js';

export const subscribeCommand: CommandDefinition = {
  name: 'subscribe',
  description: 'Post a flashcard here every day (admin)',
  usage: '/subscribe [HH:MM] [IANA time zone]',
  options: [
    { name: 'time', description: 'Daily post time, HH:MM (24-hour)', type: 'string', required: false },
    { name: 'timezone', description: 'IANA time zone, e.g. Europe/Paris', type: 'string', required: false },
  ],
  preconditions: [requireAdmin],
  async handle(event, context) {
    const args = words(event.text);
    if (!hasNamedOptions(event) && args.length > 2) throw new UserError('usage', `Usage: ${this.usage}`);
    const { postTime, timezone } = dailySchedule(event, context, args, 0);
    const subscription = { conversation: context.conversation, postTime, timezone };
    await upsertQuizSubscription(context.db, subscription);
    await scheduleDailyQuiz(context.queues.dailyQuiz, subscription);
    return reply(`Subscribed: a flashcard will be posted here every day at ${postTime} (${timezone}).`);
  },
};

export const unsubscribeCommand: CommandDefinition = {
  name: 'unsubscribe',
  description: 'Stop the daily flashcard here (admin)',
  usage: '/unsubscribe',
  options: [],
  preconditions: [requireAdmin],
  async handle(_event, context) {
    const removed = await deleteQuizSubscription(context.db, context.conversation);
    await unscheduleDailyQuiz(context.queues.dailyQuiz, context.conversation);
    return reply(removed ? 'Unsubscribed: no more daily cards here.' : 'This conversation was not subscribed.');
  },
};
