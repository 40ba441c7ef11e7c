/**
 * Run as a child process by fault-suite.test.ts (it may crash, which must not take the test runner
 * with it): the app's own Prisma client (src/shared/db/client.ts) under more concurrent transactions
 * than its pool has connections, while every backend is terminated again and again, as a Postgres
 * restart or failover does. Prints "survived" and exits 0 if the process lives through it.
 */
import pg from 'pg';
import { createPrismaClient } from '../../src/shared/db/client.js';

const url = process.env.DATABASE_URL ?? '';
const rounds = Number(process.env.PROBE_ROUNDS ?? 150);
const db = createPrismaClient(url);
const admin = new pg.Client({ connectionString: url });
admin.on('error', () => undefined);
await admin.connect();
const database = new URL(url).pathname.slice(1);

let stop = false;
let committed = 0;
let failed = 0;
const lane = async (id: number) => {
  while (!stop) {
    try {
      await db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${id % 7}::int)`;
        await tx.$queryRaw`SELECT 1`;
      });
      committed += 1;
    } catch {
      failed += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
};
const lanes = Array.from({ length: 40 }, (_, id) => lane(id));
for (let round = 0; round < rounds; round++) {
  await new Promise((resolve) => setTimeout(resolve, 40));
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
}
stop = true;
await Promise.all(lanes);
await admin.end();
await db.$disconnect();
console.log(`survived ${rounds} rounds of terminated connections (${committed} transactions committed, ${failed} failed)`);
