import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../support/bot.js';
import { startTestStack, type TestStack } from '../support/stack.js';

interface Message {
  text: string;
  visibleTo?: string;
}

/** /sentiment end to end: local chat → bot → sentiment queue → worker's model → reply. */
describe('/sentiment in chat', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ TRAIN_DEBOUNCE_MS: '600000' });
  });
  afterAll(() => t.close());

  const ask = async (text: string) =>
    (await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', { conversation: 'general', user: 'dana', text })).body
      .replies;

  it('acknowledges, then answers with the score, the label, a bar and the lexicon beside it', async () => {
    const positive = await ask('/sentiment What a wonderful, delightful film. I loved every minute of it!');
    expect(positive[0]).toMatchObject({ text: '_Scoring…_', visibleTo: 'dana' });
    expect(positive[1]?.text).toMatch(/\*\*Sentiment:\*\* 🙂 positive `[▓░]{10}` 0\.\d\d/);
    expect(positive[1]?.text).toMatch(/lexicon:\*\* 🙂 positive/);
    const negative = await ask('/sentiment Dreadful, boring and a complete waste of time. The worst movie ever.');
    expect(negative[1]?.text).toMatch(/🙁 negative/);
  });

  it('answers bad input clearly and never crashes on emoji, other scripts or markup', async () => {
    expect((await ask('/sentiment'))[0]?.text).toMatch(/Usage: `\/sentiment <text>`/);
    expect((await ask(`/sentiment ${'a'.repeat(2001)}`))[0]?.text).toMatch(/at most 2000/);
    for (const text of ['🎉🎉🔥', 'これは素晴らしい映画です', '<b>great</b> **movie** <script>x</script>', '\u0000\u200b']) {
      const replies = await ask(`/sentiment ${text}`);
      expect(replies.at(-1)?.text).toMatch(/Sentiment:|Usage/);
    }
  });
});
