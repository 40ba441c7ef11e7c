import type { Command } from 'commander';
import { startBot } from '../bot/bot.js';
import { loadCoreConfig } from '../shared/config.js';
import { createPrismaClient } from '../shared/db/client.js';
import { applyMigrations } from '../shared/db/migrate.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { createRedisConnection } from '../shared/queue/connection.js';
import { createQueues } from '../shared/queue/queues.js';
import { startWorker } from '../worker/worker.js';
import { seedDefaults } from './seed.js';
import { clearRunningServices, resolveServices, writeRunningServices } from './services.js';
import { SupervisedProcess } from './supervisor.js';

/**
 * Resolves when SIGINT or SIGTERM arrives, or — for a supervised child — when the supervisor has died
 * (SIGKILL gives it no chance to stop us), so no bot or worker outlives its `quizcast start`.
 */
function shutdownSignal(logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        logger.info({ signal }, 'shutting down');
        resolve(signal);
      });
    }
    const supervisor = Number(process.env.QUIZCAST_SUPERVISOR_PID);
    if (supervisor > 0) {
      const timer = setInterval(() => {
        if (process.ppid !== supervisor) {
          clearInterval(timer);
          logger.warn({ supervisor }, 'supervisor is gone; shutting down');
          resolve('orphaned');
        }
      }, 1000);
      timer.unref();
    }
  });
}

/** After a graceful stop nothing should be left running; if a stray handle remains, say so and exit. */
function exitAfterStop(logger: Logger): void {
  setTimeout(() => {
    logger.warn('handles still open after shutdown; exiting');
    process.exit(0);
  }, 3000).unref();
}

export function registerRunCommands(program: Command): void {
  program
    .command('start')
    .description('Start everything: services (unless configured), migrations, seed data, bot and worker')
    .action(async () => {
      const config = loadCoreConfig();
      const logger = createLogger('quizcast', config.LOG_LEVEL);
      const services = await resolveServices(config, logger);
      await writeRunningServices(config, services);
      await applyMigrations(services.databaseUrl, logger);
      const db = createPrismaClient(services.databaseUrl);
      const redis = createRedisConnection(services.redisUrl);
      const queues = createQueues(redis, config.QUEUE_PREFIX);
      await seedDefaults(db, config, queues.dailyQuiz, logger, new Date());
      await queues.close();
      await redis.quit();
      await db.$disconnect();
      const env = {
        ...process.env,
        DATABASE_URL: services.databaseUrl,
        REDIS_URL: services.redisUrl,
        QUIZCAST_SUPERVISOR_PID: String(process.pid),
      };
      const children = [new SupervisedProcess(['worker'], env, logger), new SupervisedProcess(['bot'], env, logger)];
      if (config.REPLAY_ON_START) {
        const replay = ['ticks', 'replay', config.REPLAY_CSV, '--symbol', config.REPLAY_SYMBOL, '--speed', String(config.REPLAY_SPEED)];
        children.push(new SupervisedProcess(replay, env, logger, 'on-failure'));
      }
      for (const child of children) child.start();
      await shutdownSignal(logger);
      await Promise.all(children.map((child) => child.stop()));
      await services.release();
      await clearRunningServices(config);
      logger.info('stopped');
      exitAfterStop(logger);
    });

  program
    .command('bot')
    .description('Run the bot process (chat adapters, HTTP, outbox); needs DATABASE_URL and REDIS_URL or a running start')
    .action(async () => {
      const config = loadCoreConfig();
      const logger = createLogger('bot', config.LOG_LEVEL);
      const services = await resolveServices(config, logger);
      await applyMigrations(services.databaseUrl, logger);
      const bot = await startBot({ config, logger, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl });
      process.stdout.write(`quizcast local chat: ${bot.url}\n`);
      await shutdownSignal(logger);
      await bot.stop();
      await services.release();
      exitAfterStop(logger);
    });

  program
    .command('worker')
    .description('Run the worker process (schedules, model jobs)')
    .action(async () => {
      const config = loadCoreConfig();
      const logger = createLogger('worker', config.LOG_LEVEL);
      const services = await resolveServices(config, logger);
      await applyMigrations(services.databaseUrl, logger);
      const worker = await startWorker({ config, logger, databaseUrl: services.databaseUrl, redisUrl: services.redisUrl });
      await shutdownSignal(logger);
      await worker.stop();
      await services.release();
      exitAfterStop(logger);
    });
}
