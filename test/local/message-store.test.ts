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
});
