import { startWorker, type RunningWorker } from '../../src/worker/worker.js';
import { loadCoreConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { startTestBot, type TestBot } from './bot.js';

export interface TestStack extends TestBot {
  worker: RunningWorker;
}

/** Bot and worker in this process on one fresh database and queue prefix: the whole product, minus chat platforms. */
export async function startTestStack(env: NodeJS.ProcessEnv = {}): Promise<TestStack> {
  const bot = await startTestBot({ env, requireWorker: true });
  const config = loadCoreConfig({ QUEUE_PREFIX: bot.prefix, LOG_LEVEL: 'silent', WORKER_HTTP_PORT: '0', ...env });
  const worker = await startWorker({
    config,
    databaseUrl: bot.databaseUrl,
    redisUrl: bot.redisUrl,
    logger: createLogger('test-worker', 'silent'),
  });
  return {
    ...bot,
    worker,
    async close() {
      await worker.stop();
      await bot.close();
    },
  };
}
