import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../../generated/prisma/client.js';

export { PrismaClient };

/**
 * Prisma 7 has no engine of its own to connect with: the client is handed a driver adapter, here
 * node-postgres through @prisma/adapter-pg, which owns the connection pool. One client per process;
 * callers end it with `$disconnect()`.
 */
export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}
