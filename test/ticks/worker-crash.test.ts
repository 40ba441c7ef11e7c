import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createQueues, type Queues } from '../../src/shared/queue/queues.js';
import { RedisConnections } from '../../src/shared/queue/connection.js';
import { registerSymbol } from '../../src/shared/repositories/symbol-repository.js';
import { submitTicks } from '../../src/shared/ticks/tick-intake.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { eventually, startCli, waitForExit } from '../support/processes.js';

const DAYS = 100;
const TICKS_PER_DAY = 100;

/** 10,000 ticks: 100 weekdays × 100 intraday ticks; each day's close is its 15:59 tick. */
function makeTicks() {
  const ticks: { symbol: string; ts: string; price: number }[] = [];
  for (let day = 0; day < DAYS; day++) {
    const date = new Date(Date.UTC(2025, 0, 6) + Math.floor(day / 5) * 7 * 86_400_000 + (day % 5) * 86_400_000);
    for (let i = 0; i < TICKS_PER_DAY; i++) {
      const ts = new Date(date.getTime() + (14 * 60 + 30 + i * 3) * 60_000 + (i === TICKS_PER_DAY - 1 ? 1 : 0));
      ticks.push({ symbol: 'CRASH', ts: ts.toISOString(), price: 100 + day + i / 1000 });
    }
  }
  return ticks;
}

describe('a worker killed with SIGKILL mid-batch', () => {
  let database: TestDatabase;
  let queues: Queues;
  let connections: RedisConnections;
  const prefix = `t${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    database = await createTestDatabase();
    connections = new RedisConnections(inject('redisUrl'));
    queues = createQueues(connections.create(), prefix);
    await registerSymbol(database.prisma, 'CRASH');
  });
  afterAll(async () => {
    await queues.close();
    await connections.closeAll();
    await database.drop();
  });

  it('loses no tick and stores none twice once a new worker re-runs the stalled jobs', async () => {
    const ticks = makeTicks();
    const submitted = await submitTicks(ticks, {
      queue: queues.ticks,
      now: new Date(),
      futureToleranceMs: 0,
      chunkSize: 250,
      waitMs: 0,
    });
    expect(submitted.rejected).toBe(0);
    expect(submitted.pendingJobIds).toHaveLength(40);

    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: inject('redisUrl'),
      QUEUE_PREFIX: prefix,
      JOB_LOCK_MS: '2000',
      TRAIN_DEBOUNCE_MS: '600000',
      LOG_LEVEL: 'silent',
    };
    const first = startCli(['worker'], env);
    await eventually(
      async () => ((await database.prisma.tick.count()) > 0 ? true : undefined),
      60_000,
      'the first stored batch',
    );
    first.child.kill('SIGKILL');
    await waitForExit(first.child);
    const storedAtKill = await database.prisma.tick.count();
    expect(storedAtKill).toBeLessThan(ticks.length);

    const second = startCli(['worker'], env);
    try {
      await eventually(
        async () => ((await queues.ticks.getJobCountByTypes('completed')) === 40 ? true : undefined),
        90_000,
        'all 40 batches completed',
      );
    } finally {
      second.child.kill('SIGTERM');
      await waitForExit(second.child);
    }
    expect(await queues.ticks.getJobCountByTypes('failed')).toBe(0);
    expect(await database.prisma.tick.count()).toBe(ticks.length);
    const closes = await database.prisma.dailyClose.findMany({ orderBy: { day: 'asc' } });
    expect(closes).toHaveLength(DAYS);
    expect(closes.every((close, day) => close.close === 100 + day + (TICKS_PER_DAY - 1) / 1000)).toBe(true);
    console.log(`worker-crash: ${storedAtKill} of ${ticks.length} ticks stored when the worker was killed; all ${ticks.length} stored exactly once after the restart`);
  }, 180_000);
});
