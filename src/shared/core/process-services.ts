import type { Redis } from 'ioredis';
import type { CoreConfig } from '../config.js';
import { createPrismaClient } from '../db/client.js';
import type { HealthCheck } from '../http/health-routes.js';
import type { Logger } from '../logger.js';
import { createMetrics, type Metrics, registerQueueDepths } from '../metrics/index.js';
import { RedisConnections } from '../queue/connection.js';
import { createQueues, type Queues } from '../queue/queues.js';
import type { Database } from '../repositories/database.js';

export interface ProcessServices {
  db: Database;
  connections: RedisConnections;
  /** The process's general-purpose Redis connection (queues, caches, heartbeat). */
  redis: Redis;
  queues: Queues;
  metrics: Metrics;
  /** Health checks of what every process depends on: Postgres and Redis. */
  healthChecks: HealthCheck[];
  /** Closes queues, every Redis connection and the database pool, in that order. */
  close(): Promise<void>;
}

/** What both the bot and the worker open first: database, Redis connections, queues, metrics. */
export function openProcessServices(options: {
  config: CoreConfig;
  logger: Logger;
  databaseUrl: string;
  redisUrl: string;
  service: 'bot' | 'worker';
}): ProcessServices {
  const db = createPrismaClient(options.databaseUrl, options.config.DATABASE_POOL_SIZE);
  const connections = new RedisConnections(options.redisUrl, options.logger);
  const redis = connections.create();
  const queues = createQueues(redis, options.config.QUEUE_PREFIX, options.logger);
  const metrics = createMetrics({ service: options.service });
  registerQueueDepths(metrics, queues, options.logger);
  return {
    db,
    connections,
    redis,
    queues,
    metrics,
    healthChecks: [
      { name: 'postgres', check: async () => void (await db.$queryRaw`SELECT 1`) },
      { name: 'redis', check: async () => void (await redis.ping()) },
    ],
    async close() {
      await queues.close();
      await connections.closeAll();
      await db.$disconnect();
    },
  };
}
