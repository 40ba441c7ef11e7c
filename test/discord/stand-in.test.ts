import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type DiscordStandIn, type GatewayFrame, startDiscordStandIn } from './stand-in/index.js';

/**
 * The stand-in's own protocol, spoken to with a bare WebSocket and fetch: if these hold, a failure in
 * the adapter tests is the adapter's, not the fake's.
 */
describe('Discord stand-in', () => {
  let standIn: DiscordStandIn;

  beforeEach(async () => {
    standIn = await startDiscordStandIn({ heartbeatIntervalMs: 60_000 });
  });
  afterEach(async () => {
    await standIn.close();
  });

  async function gatewayUrl(): Promise<string> {
    const response = await fetch(`${standIn.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${standIn.token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { url: string; session_start_limit: { max_concurrency: number } };
    expect(body.session_start_limit.max_concurrency).toBe(1);
    return `${body.url}?v=10&encoding=json`;
  }

  function connect(url: string) {
    const socket = new WebSocket(url);
    const received: GatewayFrame[] = [];
    const waiters: { match: (frame: GatewayFrame) => boolean; resolve: (frame: GatewayFrame) => void }[] = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as GatewayFrame;
      received.push(frame);
      for (const waiter of waiters.filter((w) => w.match(frame))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    });
    const next = (match: (frame: GatewayFrame) => boolean) =>
      new Promise<GatewayFrame>((resolve) => {
        const seen = received.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      });
    const send = (payload: unknown) => socket.send(JSON.stringify(payload));
    socket.on('error', (error) => received.push({ direction: 'in', connection: 0, op: -1, d: String(error) }));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    return { socket, received, next, send, closed };
  }

  it('rejects REST calls without the bot token', async () => {
    const response = await fetch(`${standIn.apiUrl}/v10/gateway/bot`, { headers: { authorization: 'Bot wrong' } });
    expect(response.status).toBe(401);
  });

  it('says HELLO, answers IDENTIFY with READY and GUILD_CREATE, and acknowledges heartbeats', async () => {
    const client = connect(await gatewayUrl());
    const hello = await client.next((frame) => frame.op === 10);
    expect(hello.d).toEqual({ heartbeat_interval: 60_000 });
    client.send({ op: 2, d: { token: standIn.token, intents: 1 | (1 << 10), properties: {}, shard: [0, 1] } });
    const ready = await client.next((frame) => frame.t === 'READY');
    expect(ready.s).toBe(1);
    expect(ready.d).toMatchObject({ v: 10, session_id: standIn.gateway.sessionId, guilds: [{ id: standIn.guildId, unavailable: true }] });
    const guild = await client.next((frame) => frame.t === 'GUILD_CREATE');
    expect(guild.s).toBe(2);
    expect(guild.d).toMatchObject({ id: standIn.guildId, channels: [{ id: standIn.channelId }] });
    client.send({ op: 1, d: 2 });
    await client.next((frame) => frame.op === 11);
    client.socket.close(1000);
  });

  it('closes with 4004 on a wrong token', async () => {
    const client = connect(await gatewayUrl());
    await client.next((frame) => frame.op === 10);
    client.send({ op: 2, d: { token: 'nope', intents: 1, properties: {} } });
    expect(await client.closed).toBe(4004);
  });

  it('replays missed dispatches with their sequence numbers on RESUME, then sends RESUMED', async () => {
    const first = connect(await gatewayUrl());
    await first.next((frame) => frame.op === 10);
    first.send({ op: 2, d: { token: standIn.token, intents: 1 | (1 << 10), properties: {} } });
    await first.next((frame) => frame.t === 'GUILD_CREATE');
    const sessionId = standIn.gateway.sessionId;
    await standIn.gateway.drop();
    const missed = standIn.gateway.dispatch('TEST_EVENT', { n: 1 });
    standIn.gateway.dispatch('TEST_EVENT', { n: 2 });

    const second = connect(await gatewayUrl());
    await second.next((frame) => frame.op === 10);
    second.send({ op: 6, d: { token: standIn.token, session_id: sessionId, seq: 2 } });
    const resumed = await second.next((frame) => frame.t === 'RESUMED');
    const replayed = second.received.filter((frame) => frame.t === 'TEST_EVENT');
    expect(replayed.map((frame) => [frame.s, frame.d])).toEqual([
      [missed, { n: 1 }],
      [missed + 1, { n: 2 }],
    ]);
    expect(resumed.s).toBe(missed + 2);
    second.socket.close(1000);
  });

  it('answers RESUME of an unknown session with INVALID_SESSION (not resumable)', async () => {
    const client = connect(await gatewayUrl());
    await client.next((frame) => frame.op === 10);
    client.send({ op: 6, d: { token: standIn.token, session_id: 'gone', seq: 5 } });
    const invalid = await client.next((frame) => frame.op === 9);
    expect(invalid.d).toBe(false);
    client.socket.close(1000);
  });

  it('redelivers an event as a new dispatch with a new sequence number', async () => {
    const client = connect(await gatewayUrl());
    await client.next((frame) => frame.op === 10);
    client.send({ op: 2, d: { token: standIn.token, intents: 1, properties: {} } });
    await client.next((frame) => frame.t === 'GUILD_CREATE');
    const original = standIn.gateway.dispatch('TEST_EVENT', { same: true });
    const again = standIn.gateway.redeliver(original);
    const copies = await Promise.all([client.next((f) => f.s === original), client.next((f) => f.s === again)]);
    expect(copies.map((frame) => frame.d)).toEqual([{ same: true }, { same: true }]);
    client.socket.close(1000);
  });

  it('validates messages like Discord and answers a second interaction response with 40060', async () => {
    const auth = { authorization: `Bot ${standIn.token}`, 'content-type': 'application/json' };
    const empty = await fetch(`${standIn.apiUrl}/v10/channels/${standIn.channelId}/messages`, { method: 'POST', headers: auth, body: '{}' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ code: 50006 });

    const client = connect(await gatewayUrl());
    await client.next((frame) => frame.op === 10);
    client.send({ op: 2, d: { token: standIn.token, intents: 1, properties: {} } });
    await client.next((frame) => frame.t === 'GUILD_CREATE');
    const interaction = standIn.runCommand(standIn.member('ada'), { name: 'help' });
    const callback = `${standIn.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`;
    const body = JSON.stringify({ type: 4, data: { content: 'hi', flags: 64 } });
    const headers = { 'content-type': 'application/json' };
    expect((await fetch(callback, { method: 'POST', headers, body })).status).toBe(204);
    const second = await fetch(callback, { method: 'POST', headers, body });
    expect(second.status).toBe(400);
    expect(await second.json()).toMatchObject({ code: 40060 });
    client.socket.close(1000);
  });
});
