import { formatPercent } from '../quiz/format.js';
import { loadLeaderboard, loadUserStats, setStatsOptOut } from '../repositories/stats-repository.js';
import { findQuizSubscription } from '../repositories/subscription-repository.js';
import { UserError } from '../errors.js';
import { type CommandDefinition, reply, words } from './command.js';

export const statsCommand: CommandDefinition = {
  name: 'stats',
  description: 'Your reviews, retention and streak, and this channel’s leaderboard',
  usage: '/stats [optout|optin]',
  options: [],
  subcommands: [
    { name: 'show', description: 'Show your stats and the leaderboard', options: [] },
    { name: 'optout', description: 'Hide yourself from leaderboards', options: [] },
    { name: 'optin', description: 'Show yourself on leaderboards again', options: [] },
  ],
  async handle(event, context) {
    const [sub = 'show'] = words(event.text);
    if (sub === 'optout' || sub === 'optin') {
      await setStatsOptOut(context.db, context.user, sub === 'optout');
      return reply(sub === 'optout' ? 'You are hidden from leaderboards.' : 'You are shown on leaderboards again.', true);
    }
    if (sub !== 'show') throw new UserError('usage', `Usage: ${this.usage}`);
    const subscription = await findQuizSubscription(context.db, context.conversation);
    const timeZone = subscription?.timezone ?? context.config.DEFAULT_TIMEZONE;
    const [mine, board] = await Promise.all([
      loadUserStats(context.db, context.user.id, context.clock(), timeZone),
      loadLeaderboard(context.db, context.conversation),
    ]);
    const lines = [
      `**Your stats** — reviews: ${mine.reviews}, retention: ${formatPercent(mine.retention)}, streak: ${mine.streakDays} day${mine.streakDays === 1 ? '' : 's'}`,
      '',
      '**Leaderboard**',
      ...(board.length === 0
        ? ['No ratings here yet.']
        : board.map((row, index) => `${index + 1}. ${row.displayName} — ${row.reviews} review${row.reviews === 1 ? '' : 's'}`)),
    ];
    return reply(lines.join('\n'), true);
  },
};
