import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../src/shared/db/migrate.js';
import { startEmbeddedPostgres } from '../../src/shared/infra/embedded-postgres.js';
import { startRedisServer } from '../../src/shared/infra/redis-server.js';
import { createLogger } from '../../src/shared/logger.js';

export interface BenchServices {
  /** The temp directory everything lives under (removed by stop). */
  dir: string;
  databaseUrl: string;
  redisUrl: string;
  postgresPid: number | undefined;
  redisPid: number | undefined;
  stop(): Promise<void>;
}

/**
 * A throwaway Postgres (the embedded-postgres binaries) and redis-server under a fresh temp dir, with the
 * committed migrations applied: the same launchers `quizcast start` uses, nothing shared with tests.
 */
export async function startBenchServices(name = 'bench'): Promise<BenchServices> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `quizcast-${name}-`));
  const logger = createLogger('bench-services', 'warn');
  const postgres = await startEmbeddedPostgres(path.join(dir, 'postgres'), logger);
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  try {
    const databaseUrl = await postgres.createDatabase('quizcast_bench');
    await applyMigrations(databaseUrl);
    redis = await startRedisServer(path.join(dir, 'redis'), logger);
    const started = redis;
    return {
      dir,
      databaseUrl,
      redisUrl: started.url,
      postgresPid: postgres.pid,
      redisPid: started.process.pid,
      async stop() {
        await started.stop();
        await postgres.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await redis?.stop();
    await postgres.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
