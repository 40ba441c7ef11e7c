import { readFile } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import type { CoreConfig } from '../shared/config.js';
import type { Logger } from '../shared/logger.js';
import { type DailyQuizJob, jobId } from '../shared/queue/names.js';
import { describeImport, importDeckBytes } from '../shared/quiz/deck-import.js';
import { countDecks } from '../shared/repositories/deck-repository.js';
import type { Database } from '../shared/repositories/database.js';
import { registerSymbol } from '../shared/repositories/symbol-repository.js';
import { upsertQuizSubscription } from '../shared/repositories/subscription-repository.js';
import { localDate } from '../shared/time.js';

/**
 * First run: import the shipped deck and subscribe the local #general channel. Later runs leave
 * decks and subscriptions as the users made them. Every run asks for today's card in #general (a
 * no-op when it was already posted) and registers the replayed symbol.
 */
export async function seedDefaults(
  db: Database,
  config: CoreConfig,
  dailyQuiz: Queue<DailyQuizJob>,
  logger: Logger,
  now: Date,
): Promise<void> {
  if ((await countDecks(db)) === 0) {
    const report = await importDeckBytes(db, await readFile(config.SEED_DECK), { maxBytes: config.DECK_MAX_BYTES });
    logger.info({ deck: report.deckName }, describeImport(report));
    await upsertQuizSubscription(db, {
      conversation: config.SEED_CONVERSATION,
      postTime: config.DEFAULT_POST_TIME,
      timezone: config.DEFAULT_TIMEZONE,
    });
  }
  if (config.REPLAY_ON_START) await registerSymbol(db, config.REPLAY_SYMBOL);
  const date = localDate(now, config.DEFAULT_TIMEZONE);
  await dailyQuiz.add(
    'daily-quiz',
    { conversation: config.SEED_CONVERSATION },
    { jobId: jobId('start', config.SEED_CONVERSATION, date) },
  );
}
