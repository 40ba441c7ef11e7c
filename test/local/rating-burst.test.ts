import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConcurrencyLimit } from '../../src/shared/core/concurrency-limit.js';
import { importDeckBytes } from '../../src/shared/quiz/deck-import.js';
import { postJson, startTestBot, type TestBot } from '../support/bot.js';

describe('createConcurrencyLimit', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    const limit = createConcurrencyLimit(3);
    let running = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 5));
          running -= 1;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

/** More clicks at once than the pool has connections: every one is stored, none fails. */
describe('a burst of clicks on a tiny pool', () => {
  let t: TestBot;
  beforeAll(async () => {
    t = await startTestBot({ env: { DATABASE_POOL_SIZE: '1', EVENT_CONCURRENCY: '4' } });
    await importDeckBytes(t.bot.core.db, await readFile(new URL('../../decks/rnn-flashcards.txt', import.meta.url)), {
      maxBytes: 1 << 20,
    });
  });
  afterAll(() => t.close());

  it('stores 1000 concurrent ratings from 1000 users exactly once each', async () => {
    await postJson(t.base, '/api/local/messages', { conversation: 'burst', user: 'admin', text: '/quiz' });
    const list = (await (await fetch(`${t.base}/api/local/conversations/burst/messages`)).json()) as {
      messages: { id: string; kind: string; buttons: { id: string }[] }[];
    };
    const card = list.messages.find((message) => message.kind === 'card');
    const replies = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        postJson<{ replies: { text: string }[] }>(t.base, '/api/local/actions', {
          conversation: 'burst',
          user: `user${i}`,
          messageId: card?.id,
          actionId: card?.buttons[1 + (i % 5)]?.id,
        }),
      ),
    );
    expect(replies.filter((reply) => reply.body.replies[0]?.text.startsWith('Recorded'))).toHaveLength(1000);
    expect(await t.bot.core.db.rating.count()).toBe(1000);
    expect(await t.bot.core.db.reviewState.count()).toBe(1000);
  });
});
