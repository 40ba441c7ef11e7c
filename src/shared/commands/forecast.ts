import { requireAdmin } from '../core/preconditions.js';
import { UserError } from '../errors.js';
import { renderForecastReplies } from '../market/forecast-message.js';
import { scheduleForecastPosts, unscheduleForecastPosts } from '../market/forecast-scheduler.js';
import {
  deleteForecastSubscription,
  upsertForecastSubscription,
} from '../repositories/forecast-subscription-repository.js';
import { findSymbol, normaliseSymbol, registerSymbol } from '../repositories/symbol-repository.js';
import { type CommandDefinition, dailySchedule, reply, words } from './command.js';

const USAGE = '/forecast <symbol> · /forecast subscribe <symbol> [HH:MM] [time zone] · /forecast unsubscribe <symbol>';

export const forecastCommand: CommandDefinition = {
  name: 'forecast',
  description: 'Next-day price forecast with its interval and the naive baseline',
  usage: USAGE,
  options: [{ name: 'symbol', description: 'Symbol, e.g. SPX', type: 'string', required: false }],
  subcommands: [
    {
      name: 'show',
      description: 'Show the latest forecast for a symbol',
      options: [{ name: 'symbol', description: 'Symbol, e.g. SPX', type: 'string', required: true }],
    },
    {
      name: 'subscribe',
      description: 'Post this symbol’s forecast here every day (admin)',
      adminOnly: true,
      options: [
        { name: 'symbol', description: 'Symbol, e.g. SPX', type: 'string', required: true },
        { name: 'time', description: 'Daily post time, HH:MM (24-hour)', type: 'string', required: false },
        { name: 'timezone', description: 'IANA time zone', type: 'string', required: false },
      ],
    },
    {
      name: 'unsubscribe',
      description: 'Stop the daily forecast of a symbol here (admin)',
      adminOnly: true,
      options: [{ name: 'symbol', description: 'Symbol, e.g. SPX', type: 'string', required: true }],
    },
  ],
  async handle(event, context) {
    const args = words(event.text);
    const [first = ''] = args;
    if (first === 'subscribe' || first === 'unsubscribe') {
      await requireAdmin(context);
      const symbolArg = args[1];
      if (!symbolArg) throw new UserError('usage', `Usage: ${USAGE}`);
      const symbol = normaliseSymbol(symbolArg);
      if (first === 'unsubscribe') {
        const removed = await deleteForecastSubscription(context.db, context.conversation, symbol);
        await unscheduleForecastPosts(context.queues.forecastPosts, context.conversation, symbol);
        return reply(removed ? `Unsubscribed from ${symbol} forecasts.` : `This conversation was not subscribed to ${symbol}.`);
      }
      const { postTime, timezone } = dailySchedule(event, context, args, 2);
      const registered = await registerSymbol(context.db, symbol);
      const subscription = { conversation: context.conversation, symbol, postTime, timezone };
      await upsertForecastSubscription(context.db, subscription);
      await scheduleForecastPosts(context.queues.forecastPosts, subscription);
      const note = registered.created ? ` ${symbol} is newly registered: forecasts start once its ticks arrive.` : '';
      return reply(`Subscribed: the ${symbol} forecast will be posted here every day at ${postTime} (${timezone}).${note}`);
    }
    const symbolArg = first === 'show' ? args[1] : first;
    if (!symbolArg) throw new UserError('usage', `Usage: ${USAGE}`);
    const symbol = normaliseSymbol(symbolArg);
    const cached = await context.forecasts?.latest(symbol);
    if (cached) return { replies: renderForecastReplies(cached) };
    if (!(await findSymbol(context.db, symbol))) {
      throw new UserError('unknown_symbol', `There is no symbol ${symbol}. An admin can add it with /forecast subscribe ${symbol}.`);
    }
    return reply(`No forecast for ${symbol} yet: it needs enough daily closes and a first trained model.`, true);
  },
};
