import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { type RunningBot, startBot } from '../../../src/bot/bot.js';
import type { PrismaClient } from '../../../src/shared/db/client.js';
import { loadCoreConfig } from '../../../src/shared/config.js';
import type { Clock } from '../../../src/shared/time.js';
import { createTestDatabase } from '../../support/database.js';
import { type DiscordStandIn, startDiscordStandIn } from '../stand-in/index.js';
import { captureLogs, type LogLine } from './captured-logs.js';
import type { WaitableLog } from '../stand-in/waiters.js';

export interface DiscordBot {
  standIn: DiscordStandIn;
  bot: RunningBot;
  db: PrismaClient;
  logs: WaitableLog<LogLine>;
  close(): Promise<void>;
}

/**
 * The whole bot (startBot, the composition root) on a fresh database and queue prefix, with Discord
 * switched on by its environment variables and pointed at a fresh stand-in.
 */
export async function startDiscordBot(
  options: { env?: NodeJS.ProcessEnv; clock?: Clock; heartbeatIntervalMs?: number } = {},
): Promise<DiscordBot> {
  const standIn = await startDiscordStandIn(options.heartbeatIntervalMs ? { heartbeatIntervalMs: options.heartbeatIntervalMs } : {});
  const database = await createTestDatabase();
  const env: NodeJS.ProcessEnv = {
    QUEUE_PREFIX: `d${randomUUID().slice(0, 8)}`,
    HTTP_PORT: '0',
    DISCORD_TOKEN: standIn.token,
    DISCORD_APPLICATION_ID: standIn.world.applicationId,
    DISCORD_API_URL: standIn.apiUrl,
    ...options.env,
  };
  const logs = captureLogs();
  const bot = await startBot({
    config: loadCoreConfig(env),
    databaseUrl: database.url,
    redisUrl: inject('redisUrl'),
    logger: logs.logger,
    env,
    requireWorker: false,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    standIn,
    bot,
    db: database.prisma,
    logs: logs.lines,
    async close() {
      await bot.stop();
      await standIn.close();
      await database.drop();
      logs.close();
    },
  };
}
