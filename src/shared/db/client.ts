import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.js';

export { PrismaClient };

/**
 * Prisma 7 has no engine of its own to connect with: the client is handed a driver adapter, here
 * node-postgres through @prisma/adapter-pg, over a pool we build ourselves. One client per process;
 * callers end it with `$disconnect()`.
 *
 * Every pooled connection gets an 'error' listener: when Postgres restarts or fails over, it sends a
 * FATAL to each backend, and node-postgres emits that as an 'error' event on the client. A client that
 * is checked out at that moment has no listener of the pool's, so without ours the event is unhandled
 * and the whole process dies. The query in flight still fails, and is retried like any failed query.
 */
export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
  const ignore = () => undefined;
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  // The adapter owns the pool we hand it: $disconnect() must end it, or the process lingers ~10 s.
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}
