import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * Every Redis connection a process opens, so shutdown can close them all: BullMQ does not close a
 * connection it was handed, and one left open keeps the process alive and reconnecting forever.
 */
export class RedisConnections {
  private readonly open = new Set<Redis>();

  constructor(
    private readonly url: string,
    private readonly logger?: Logger,
  ) {}

  /**
   * BullMQ needs maxRetriesPerRequest: null so blocking commands wait through reconnects.
   * `autoPipelining` sends the commands issued in one tick in one write: for a connection many
   * requests share (the local chat store), never for BullMQ's own.
   */
  create(options: { autoPipelining?: boolean } = {}): Redis {
    const connection = createRedisConnection(this.url, this.logger, options.autoPipelining ?? false);
    this.open.add(connection);
    return connection;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((connection) => connection.quit().catch(() => connection.disconnect())));
    this.open.clear();
  }
}

export function createRedisConnection(url: string, logger?: Logger, enableAutoPipelining = false): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, enableAutoPipelining });
  // Without a listener ioredis prints every reconnect failure as "Unhandled error event".
  connection.on('error', (error) => logger?.warn({ err: error }, 'redis connection error'));
  return connection;
}
