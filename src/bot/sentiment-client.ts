import type { Queue, QueueEvents } from 'bullmq';
import type { SentimentScore, SentimentService } from '../shared/core/context.js';
import { UserError } from '../shared/errors.js';
import type { SentimentJob } from '../shared/queue/names.js';

/** Asks the worker for a score and waits for it; the model never runs in the bot process. */
export class QueuedSentimentService implements SentimentService {
  constructor(
    private readonly queue: Queue<SentimentJob>,
    private readonly events: QueueEvents,
    private readonly timeoutMs = 20_000,
  ) {}

  async score(text: string): Promise<SentimentScore> {
    const job = await this.queue.add('score', { text });
    try {
      return (await job.waitUntilFinished(this.events, this.timeoutMs)) as SentimentScore;
    } catch (error) {
      if ((error as Error).message.includes('timed out')) {
        throw new UserError('unavailable', 'The sentiment model is busy; please try again in a minute.');
      }
      throw error;
    }
  }
}
