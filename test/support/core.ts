import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { loadCoreConfig } from '../../src/shared/config.js';
import type { CoreContext } from '../../src/shared/core/context.js';
import { dispatchEvent } from '../../src/shared/core/dispatcher.js';
import type { HandlerResult, IncomingEvent } from '../../src/shared/chat/types.js';
import { createLogger } from '../../src/shared/logger.js';
import { createRedisConnection } from '../../src/shared/queue/connection.js';
import { createQueues } from '../../src/shared/queue/queues.js';
import { createTestDatabase } from './database.js';
import { RecordingAdapter } from './recording-adapter.js';

export interface TestCore {
  core: CoreContext;
  adapter: RecordingAdapter;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  now: { value: Date };
  dispatch(event: IncomingEvent): Promise<HandlerResult>;
  close(): Promise<void>;
}

/** A real core on a fresh database and queue prefix, with a recording platform and a settable clock. */
export async function createTestCore(options: { admins?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<TestCore> {
  const database = await createTestDatabase();
  const redisUrl = inject('redisUrl');
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const config = loadCoreConfig({ QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent', ...options.env });
  const redis = createRedisConnection(redisUrl);
  const queues = createQueues(redis, prefix);
  const adapter = new RecordingAdapter(options.admins ?? []);
  const now = { value: new Date('2026-03-02T10:00:00Z') };
  const core: CoreContext = {
    db: database.prisma,
    clock: () => now.value,
    logger: createLogger('test', 'silent'),
    config,
    queues,
    messenger: adapter,
  };
  return {
    core,
    adapter,
    databaseUrl: database.url,
    redisUrl,
    prefix,
    now,
    dispatch: (event) => dispatchEvent(event, core, (user) => adapter.isAdmin(user)),
    async close() {
      await queues.close();
      await redis.quit();
      await database.drop();
    },
  };
}
