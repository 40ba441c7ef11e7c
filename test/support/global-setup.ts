import 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/shared/infra/embedded-postgres.js';
import { startRedisServer } from '../../src/shared/infra/redis-server.js';
import { createLogger } from '../../src/shared/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    redisUrl: string;
    redisPort: number;
    serviceStateDir: string;
  }
}

/** One real Postgres and one real Redis for the whole run; each test file takes its own database. */
export default async function setup(project: TestProject) {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'quizcast-test-'));
  const logger = createLogger('test-services', 'warn');
  const postgres = await startEmbeddedPostgres(path.join(stateDir, 'postgres'), logger);
  const redis = await startRedisServer(path.join(stateDir, 'redis'), logger);
  project.provide('postgresAdminUrl', postgres.urlFor('postgres'));
  project.provide('redisUrl', redis.url);
  project.provide('redisPort', redis.port);
  project.provide('serviceStateDir', stateDir);
  return async () => {
    await redis.stop();
    await postgres.stop();
    await rm(stateDir, { recursive: true, force: true });
  };
}
