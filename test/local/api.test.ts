import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, startTestBot, type TestBot } from '../support/bot.js';

interface Message {
  id: string;
  kind: string;
  text: string;
  author: string;
  buttons: { id: string; label: string }[];
  visibleTo?: string;
}

describe('local chat JSON API', () => {
  let t: TestBot;
  const deck = readFile(new URL('../../decks/rnn-flashcards.txt', import.meta.url));
  beforeAll(async () => {
    t = await startTestBot();
  });
  afterAll(() => t.close());

  it('says there are no cards before a deck exists, then imports one from chat for an admin only', async () => {
    const empty = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
      conversation: 'general',
      user: 'bob',
      text: '/quiz',
    });
    expect(empty.body.replies[0]?.text).toMatch(/no cards yet/);
    const attachment = { name: 'rnn.txt', contentBase64: (await deck).toString('base64') };
    const refused = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
      conversation: 'general',
      user: 'bob',
      text: '/deck import',
      attachment,
    });
    expect(refused.body.replies[0]?.text).toMatch(/Only an admin/);
    expect(await t.bot.core.db.card.count()).toBe(0);
    const imported = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
      conversation: 'general',
      user: 'admin',
      text: '/deck import',
      attachment,
    });
    expect(imported.body.replies[0]?.text).toMatch(/9 new, 0 updated, 0 unchanged[\s\S]*card 10/);
    const again = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
      conversation: 'general',
      user: 'admin',
      text: '/deck import',
      attachment,
    });
    expect(again.body.replies[0]?.text).toMatch(/0 new, 0 updated, 9 unchanged/);
    const malformed = await postJson<{ replies: Message[] }>(t.base, '/api/local/messages', {
      conversation: 'general',
      user: 'admin',
      text: '/deck import',
      attachment: { name: 'bad.txt', contentBase64: Buffer.from('Title\n1\nQ\nno answer marker\n').toString('base64') },
    });
    expect(malformed.body.replies[0]?.text).toMatch(/not imported: line 5: expected "A"/);
    expect(await t.bot.core.db.card.count()).toBe(9);
  });

  it('posts a card, lists messages with ids, kinds, texts and buttons, and records a click', async () => {
    await postJson(t.base, '/api/local/messages', { conversation: 'general', user: 'bob', text: '/quiz' });
    const list = (await (await fetch(`${t.base}/api/local/conversations/general/messages?user=bob`)).json()) as {
      messages: Message[];
    };
    const card = list.messages.find((message) => message.kind === 'card');
    expect(card?.buttons.map((button) => button.label)).toEqual(['Show answer', '1 · Not at all', '2', '3', '4', '5 · Perfectly']);
    const reveal = await postJson<{ replies: Message[] }>(t.base, '/api/local/actions', {
      conversation: 'general',
      user: 'bob',
      messageId: card?.id,
      actionId: card?.buttons[0]?.id,
    });
    expect(reveal.body.replies[0]).toMatchObject({ visibleTo: 'bob' });
    expect(reveal.body.replies[0]?.text).toContain('RNNs are designed for sequential data');
    // Private replies are not shown to others.
    const forAlice = (await (await fetch(`${t.base}/api/local/conversations/general/messages?user=alice`)).json()) as {
      messages: Message[];
    };
    expect(forAlice.messages.some((message) => message.visibleTo === 'bob')).toBe(false);
    const click = await postJson<{ replies: Message[] }>(t.base, '/api/local/actions', {
      conversation: 'general',
      user: 'bob',
      messageId: card?.id,
      actionId: card?.buttons[2]?.id,
    });
    expect(click.body.replies[0]?.text).toMatch(/Recorded \*\*2\*\* \(Again\)/);
    expect(await t.bot.core.db.rating.count({ where: { userId: 'local:bob', value: 2 } })).toBe(1);
  });

  it('refuses garbage with 400/404 and a clear message', async () => {
    const garbage = await fetch(`${t.base}/api/local/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"conversation": ',
    });
    expect(garbage.status).toBe(400);
    const badChannel = await postJson<{ message: string }>(t.base, '/api/local/messages', {
      conversation: 'Not A Channel!',
      user: 'bob',
      text: 'hi',
    });
    expect(badChannel.status).toBe(400);
    expect(badChannel.body.message).toMatch(/conversation/);
    const missing = await postJson(t.base, '/api/local/actions', {
      conversation: 'general',
      user: 'bob',
      messageId: '999999',
      actionId: 'rate:1:3',
    });
    expect(missing.status).toBe(404);
    const health = await fetch(`${t.base}/healthz`);
    expect(health.status).toBe(200);
  });
});
