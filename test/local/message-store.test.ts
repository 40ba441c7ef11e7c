import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LocalMessageStore } from '../../src/bot/local/message-store.js';
import { RedisConnections } from '../../src/shared/queue/connection.js';

describe('local chat history in Redis', () => {
  const connections = new RedisConnections(inject('redisUrl'));
  afterAll(() => connections.closeAll());

  it('keeps the newest messages per conversation and deletes the ones it drops', async () => {
    const redis = connections.create();
    const prefix = `t${randomUUID().slice(0, 8)}`;
    const store = new LocalMessageStore(redis, prefix, 3);
    const now = new Date('2026-01-01T00:00:00Z');
    for (let i = 1; i <= 5; i++) await store.append({ conversation: 'c', author: 'a', kind: 'text', text: `m${i}`, buttons: [] }, now);
    expect((await store.list('c')).map((message) => message.text)).toEqual(['m3', 'm4', 'm5']);
    expect(await redis.keys(`${prefix}:local:message:*`)).toHaveLength(3);
  });

  it('keeps private replies per viewer, so they never push the shared cards out, and shows each only to its viewer', async () => {
    const redis = connections.create();
    const store = new LocalMessageStore(redis, `t${randomUUID().slice(0, 8)}`, 3, 2);
    const now = new Date('2026-01-01T00:00:00Z');
    const card = await store.append({ conversation: 'c', author: 'bot', kind: 'card', text: 'card', buttons: [] }, now);
    for (let i = 1; i <= 4; i++) {
      await store.append({ conversation: 'c', author: 'bot', kind: 'text', text: `ann ${i}`, buttons: [], visibleTo: 'ann' }, now);
      await store.append({ conversation: 'c', author: 'bot', kind: 'text', text: `bob ${i}`, buttons: [], visibleTo: 'bob' }, now);
    }
    await store.append({ conversation: 'c', author: 'ann', kind: 'user', text: 'hello', buttons: [] }, now);
    expect(await store.get(card.id)).toMatchObject({ text: 'card' });
    expect((await store.list('c', 'ann')).map((message) => message.text)).toEqual(['card', 'ann 3', 'ann 4', 'hello']);
    expect((await store.list('c')).map((message) => message.text)).toEqual(['card', 'hello']);
  });
});
