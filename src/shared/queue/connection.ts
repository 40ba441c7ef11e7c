import { Redis } from 'ioredis';

/** BullMQ needs maxRetriesPerRequest: null so blocking commands wait through reconnects. */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}
