import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CoreConfig, loadCoreConfig } from '../shared/config.js';
import { createPrismaClient } from '../shared/db/client.js';
import { applyMigrations } from '../shared/db/migrate.js';
import { startEmbeddedPostgres } from '../shared/infra/embedded-postgres.js';
import { startRedisServer } from '../shared/infra/redis-server.js';
import { createLogger, type Logger } from '../shared/logger.js';

export interface ResolvedServices {
  databaseUrl: string;
  redisUrl: string;
  /** Stops what this call started (nothing, when the services were configured or already running). */
  release(): Promise<void>;
}

const DATABASE_NAME = 'quizcast';

function servicesFile(config: CoreConfig): string {
  return path.join(config.QUIZCAST_STATE_DIR, 'services.json');
}

interface ServicesRecord {
  pid: number;
  databaseUrl: string;
  redisUrl: string;
}

/** A running `quizcast start` records where its services listen, so other commands can reach them. */
async function readRunningServices(config: CoreConfig): Promise<ServicesRecord | undefined> {
  const file = servicesFile(config);
  if (!existsSync(file)) return undefined;
  const record = JSON.parse(await readFile(file, 'utf8')) as ServicesRecord;
  try {
    process.kill(record.pid, 0);
    return record;
  } catch {
    return undefined;
  }
}

export async function writeRunningServices(config: CoreConfig, record: Omit<ServicesRecord, 'pid'>): Promise<void> {
  await writeFile(servicesFile(config), JSON.stringify({ pid: process.pid, ...record }, null, 2));
}

export async function clearRunningServices(config: CoreConfig): Promise<void> {
  await rm(servicesFile(config), { force: true });
}

/**
 * DATABASE_URL / REDIS_URL when set; otherwise the services of a running `quizcast start`; otherwise
 * an embedded Postgres and a redis-server child under the state directory, started here.
 */
export async function resolveServices(
  config: CoreConfig,
  logger: Logger,
  needs: { redis: boolean } = { redis: true },
): Promise<ResolvedServices> {
  const running = config.DATABASE_URL && config.REDIS_URL ? undefined : await readRunningServices(config);
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = config.DATABASE_URL ?? running?.databaseUrl;
  let redisUrl = config.REDIS_URL ?? running?.redisUrl;
  if (!databaseUrl) {
    const postgres = await startEmbeddedPostgres(path.join(config.QUIZCAST_STATE_DIR, 'postgres'), logger);
    stops.push(() => postgres.stop());
    databaseUrl = await postgres.createDatabase(DATABASE_NAME);
    logger.info('embedded postgres started');
  }
  if (!redisUrl && needs.redis) {
    const redis = await startRedisServer(path.join(config.QUIZCAST_STATE_DIR, 'redis'), logger);
    stops.push(() => redis.stop());
    redisUrl = redis.url;
    logger.info('redis-server started');
  }
  return {
    databaseUrl,
    redisUrl: redisUrl ?? '',
    async release() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/** Opens the database (configured, running, or embedded for the duration of the command). */
export async function withDatabase<T>(run: (db: ReturnType<typeof createPrismaClient>) => Promise<T>): Promise<T> {
  const config = loadCoreConfig();
  const logger = createLogger('quizcast-cli', config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  const services = await resolveServices(config, logger, { redis: false });
  await applyMigrations(services.databaseUrl, logger);
  const db = createPrismaClient(services.databaseUrl);
  try {
    return await run(db);
  } finally {
    await db.$disconnect();
    await services.release();
  }
}
