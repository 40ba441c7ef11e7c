import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { startBot, type RunningBot } from '../../src/bot/bot.js';
import { loadCoreConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import type { Clock } from '../../src/shared/time.js';
import { createTestDatabase } from './database.js';

export interface TestBot {
  bot: RunningBot;
  base: string;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  close(): Promise<void>;
}

/** The real bot process's composition root, on a fresh database and queue prefix, on a free port. */
export async function startTestBot(
  options: { env?: NodeJS.ProcessEnv; clock?: Clock; requireWorker?: boolean } = {},
): Promise<TestBot> {
  const database = await createTestDatabase();
  const redisUrl = inject('redisUrl');
  const prefix = `t${randomUUID().slice(0, 8)}`;
  const env = { QUEUE_PREFIX: prefix, HTTP_PORT: '0', LOG_LEVEL: 'silent', LOCAL_ADMINS: 'admin', ...options.env };
  const config = loadCoreConfig(env);
  const bot = await startBot({
    config,
    databaseUrl: database.url,
    redisUrl,
    logger: createLogger('test-bot', 'silent'),
    env,
    requireWorker: options.requireWorker ?? false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    bot,
    base: bot.url,
    databaseUrl: database.url,
    redisUrl,
    prefix,
    async close() {
      await bot.stop();
      await database.drop();
    },
  };
}

export async function postJson<T = unknown>(base: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}
