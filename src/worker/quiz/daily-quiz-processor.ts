import type { Job, Queue } from 'bullmq';
import type { CoreContext } from '../../shared/core/context.js';
import type { DailyQuizJob, OutboxJob } from '../../shared/queue/names.js';
import { prepareDailyPost } from '../../shared/quiz/quiz-service.js';

export function outboxJobIdForPost(postId: number): string {
  return `quiz-post-${postId}`;
}

/**
 * Creates today's post for the conversation (at most one per local date) and hands it to the bot via
 * the outbox. The outbox job id is derived from the post, so a second firing adds nothing.
 */
export function createDailyQuizProcessor(
  core: Pick<CoreContext, 'db' | 'config' | 'clock' | 'logger'>,
  outbox: Queue<OutboxJob>,
) {
  return async (job: Job<DailyQuizJob>): Promise<{ postId?: number; queued: boolean }> => {
    const post = await prepareDailyPost(core, job.data.conversation);
    if (!post) {
      core.logger.warn({ conversation: job.data.conversation }, 'no card to post: import a deck first');
      return { queued: false };
    }
    if (post.deliveredAt) return { postId: post.id, queued: false };
    await outbox.add('quiz-post', { kind: 'quiz-post', postId: post.id }, { jobId: outboxJobIdForPost(post.id) });
    return { postId: post.id, queued: true };
  };
}
