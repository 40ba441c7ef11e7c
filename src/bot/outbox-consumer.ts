import { type Job, UnrecoverableError } from 'bullmq';
import type { CoreContext } from '../shared/core/context.js';
import { deserializeMessage, type OutboxJob } from '../shared/queue/names.js';
import { deliverPost } from '../shared/quiz/quiz-service.js';

/**
 * The bot's side of the outbox: the worker decides what to post, the bot (which holds the platform
 * connections) posts it. A plain processor function, so tests can call it with a real job.
 */
export function createOutboxProcessor(core: Pick<CoreContext, 'db' | 'clock' | 'messenger' | 'logger'>) {
  return async (job: Job<OutboxJob>): Promise<{ messageRef?: string; delivered: boolean }> => {
    const data = job.data;
    switch (data.kind) {
      case 'quiz-post':
        return deliverPost(core, data.postId);
      case 'messages': {
        // In order, so a caption never arrives after its chart.
        let messageRef: string | undefined;
        for (const message of data.messages) {
          messageRef = (await core.messenger.send(data.conversation, deserializeMessage(message))).messageRef;
        }
        return { ...(messageRef ? { messageRef } : {}), delivered: true };
      }
      default:
        throw new UnrecoverableError(`unknown outbox job ${JSON.stringify(data)}`);
    }
  };
}
