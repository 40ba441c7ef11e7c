import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSymbol } from '../../src/shared/repositories/symbol-repository.js';
import { postJson } from '../support/bot.js';
import { startTestStack, type TestStack } from '../support/stack.js';

interface Summary {
  stored: number;
  storedLate: number;
  duplicates: number;
  rejected: number;
  results: { index: number; status: string; reason?: string; message?: string }[];
}

const day = (d: string) => `${d}T21:00:00Z`;

describe('tick ingestion through HTTP, BullMQ and Postgres', () => {
  let t: TestStack;
  beforeAll(async () => {
    // A long debounce keeps retraining out of this file: it is about storage.
    t = await startTestStack({ TRAIN_DEBOUNCE_MS: '600000' });
    await registerSymbol(t.bot.core.db, 'ACME');
  });
  afterAll(() => t.close());

  it('stores good ticks, refuses every bad kind with a per-tick reason, and loses nothing else in the batch', async () => {
    const future = new Date(Date.now() + 3600_000).toISOString();
    const batch = [
      { symbol: 'ACME', ts: day('2026-01-05'), price: 100 },
      { symbol: 'ACME', ts: day('2026-01-05'), price: 'NaN' },
      { symbol: 'ACME', ts: day('2026-01-06'), price: -1 },
      { symbol: 'ACME', ts: day('2026-01-06'), price: 0 },
      { symbol: 'ACME', ts: day('2026-01-06'), price: 'Infinity' },
      { symbol: 'ACME', ts: 'yesterday', price: 10 },
      { symbol: 'ACME', ts: '2026-01-06 10:00', price: 10 },
      { symbol: 'ACME', ts: future, price: 10 },
      { symbol: 'NOPE', ts: day('2026-01-06'), price: 10 },
      { symbol: 'bad symbol!', ts: day('2026-01-06'), price: 10 },
      'not a tick',
      { symbol: 'acme', ts: Date.parse(day('2026-01-06')), price: '101.5' },
    ];
    const response = await postJson<Summary>(t.base, '/api/ticks', batch);
    expect(response.status).toBe(200);
    const reasons = response.body.results.map((result) => result.reason ?? result.status);
    expect(reasons).toEqual([
      'stored',
      'invalid_price',
      'invalid_price',
      'invalid_price',
      'invalid_price',
      'invalid_timestamp',
      'invalid_timestamp',
      'future_timestamp',
      'unknown_symbol',
      'invalid_symbol',
      'malformed',
      'stored',
    ]);
    expect(response.body.results[8]?.message).toMatch(/symbols add NOPE/);
    const closes = await t.bot.core.db.dailyClose.findMany({ orderBy: { day: 'asc' } });
    expect(closes.map((close) => [close.day, close.close])).toEqual([
      ['2026-01-05', 100],
      ['2026-01-06', 101.5],
    ]);
  });

  it('stores a duplicate batch once and reports the duplicates', async () => {
    const batch = [
      { symbol: 'ACME', ts: day('2026-01-07'), price: 102 },
      { symbol: 'ACME', ts: day('2026-01-07'), price: 102 },
      { symbol: 'ACME', ts: day('2026-01-08'), price: 103 },
    ];
    const first = await postJson<Summary>(t.base, '/api/ticks', batch);
    const again = await postJson<Summary>(t.base, '/api/ticks', batch);
    expect(first.body.results.map((result) => result.status)).toEqual(['stored', 'duplicate', 'stored']);
    expect(again.body.results.map((result) => result.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(await t.bot.core.db.tick.count({ where: { symbol: { code: 'ACME' } } })).toBe(4);
  });

  it('accepts a late tick into history, recomputes that day’s close and marks the model stale', async () => {
    const symbol = await t.bot.core.db.symbol.findUniqueOrThrow({ where: { code: 'ACME' } });
    await t.bot.core.db.priceModel.create({
      data: { symbolId: symbol.id, version: 1, dataThrough: '2026-01-08', published: 'naive', metrics: {}, artifact: {} },
    });
    // Later on 2026-01-06 than the stored close (21:00Z), so it becomes that day's close.
    const late = await postJson<Summary>(t.base, '/api/ticks', [{ symbol: 'ACME', ts: '2026-01-06T21:30:00Z', price: 99 }]);
    expect(late.body.results[0]?.status).toBe('stored_late');
    const close = await t.bot.core.db.dailyClose.findUniqueOrThrow({ where: { symbolId_day: { symbolId: symbol.id, day: '2026-01-06' } } });
    expect(close.close).toBe(99);
    const model = await t.bot.core.db.priceModel.findFirstOrThrow({ where: { symbolId: symbol.id } });
    expect(model.stale).toBe(true);
    // An earlier tick on a past day is history too, but does not move that day's close.
    const earlier = await postJson<Summary>(t.base, '/api/ticks', [{ symbol: 'ACME', ts: '2026-01-06T15:00:00Z', price: 50 }]);
    expect(earlier.body.results[0]?.status).toBe('stored_late');
    expect((await t.bot.core.db.dailyClose.findUniqueOrThrow({ where: { symbolId_day: { symbolId: symbol.id, day: '2026-01-06' } } })).close).toBe(99);
  });

  it('accepts NDJSON, refuses garbage, oversize and unauthenticated requests', async () => {
    const ndjson = await fetch(`${t.base}/api/ticks`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `{"symbol":"ACME","ts":"${day('2026-01-09')}","price":104}\nnot json\n`,
    });
    const body = (await ndjson.json()) as Summary;
    expect(body.results.map((result) => result.reason ?? result.status)).toEqual(['stored', 'malformed']);
    const garbage = await fetch(`${t.base}/api/ticks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(garbage.status).toBe(400);
    const notArray = await postJson(t.base, '/api/ticks', { symbol: 'ACME' });
    expect(notArray.status).toBe(400);
    const tooMany = await postJson(t.base, '/api/ticks', Array.from({ length: 5001 }, () => ({})));
    expect(tooMany.status).toBe(413);
  });
});

describe('tick API with a token configured', () => {
  let t: TestStack;
  const token = 'a-long-enough-secret-token';
  beforeAll(async () => {
    t = await startTestStack({ TRAIN_DEBOUNCE_MS: '600000', TICKS_API_TOKEN: token });
    await registerSymbol(t.bot.core.db, 'ACME');
  });
  afterAll(() => t.close());

  it('refuses a missing or wrong bearer token and stores nothing; accepts the right one', async () => {
    const tick = [{ symbol: 'ACME', ts: day('2026-02-02'), price: 10 }];
    expect((await postJson(t.base, '/api/ticks', tick)).status).toBe(401);
    const wrong = await fetch(`${t.base}/api/ticks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: JSON.stringify(tick),
    });
    expect(wrong.status).toBe(401);
    expect(await t.bot.core.db.tick.count()).toBe(0);
    const right = await fetch(`${t.base}/api/ticks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(tick),
    });
    expect(right.status).toBe(200);
    expect(await t.bot.core.db.tick.count()).toBe(1);
  });
});
