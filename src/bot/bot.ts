import { openProcessServices } from '../shared/core/process-services.js';
import { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { CoreConfig } from '../shared/config.js';
import type { ChatAdapter } from '../shared/chat/types.js';
import type { CoreContext } from '../shared/core/context.js';
import { createConcurrencyLimit } from '../shared/core/concurrency-limit.js';
import { dispatchEvent } from '../shared/core/dispatcher.js';
import type { Logger } from '../shared/logger.js';
import { instrumentWorker, withJobLogContext } from '../shared/metrics/index.js';
import { type OutboxJob, QUEUE } from '../shared/queue/names.js';
import { createQueueEvents } from '../shared/queue/queues.js';
import { type Clock, systemClock } from '../shared/time.js';
import { AdapterRegistry } from './adapter-registry.js';
import { registerAdminBoard } from './http/admin-board.js';
import { registerMetricsRoute } from '../shared/http/metrics-route.js';
import { createHttpServer } from './http/server.js';
import { registerTicksRoute } from './http/ticks-route.js';
import { LocalAdapter } from './local/adapter.js';
import { LocalMessageStore } from './local/message-store.js';
import { createOutboxProcessor } from './outbox-consumer.js';
import { platformFactories } from './platforms.js';
import { QueuedSentimentService } from './sentiment-client.js';
import { workerHeartbeatKey } from '../shared/queue/heartbeat.js';
import { ForecastCacheReader } from '../shared/market/forecast-cache.js';

export interface BotOptions {
  config: CoreConfig;
  databaseUrl: string;
  redisUrl: string;
  logger: Logger;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** Require a live worker heartbeat for /healthz (off in tests that run no worker). */
  requireWorker?: boolean;
}

export interface RunningBot {
  http: FastifyInstance;
  url: string;
  core: CoreContext;
  adapters: AdapterRegistry;
  stop(): Promise<void>;
}

/** The composition root of the bot process: services, core context, adapters, outbox consumer, HTTP. */
export async function startBot(options: BotOptions): Promise<RunningBot> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const services = openProcessServices({ config, logger, databaseUrl: options.databaseUrl, redisUrl: options.redisUrl, service: 'bot' });
  const { db, connections, redis, queues, metrics } = services;
  const sentimentEvents = createQueueEvents(QUEUE.sentiment, connections.create(), config.QUEUE_PREFIX, logger);
  const ticksEvents = createQueueEvents(QUEUE.ticks, connections.create(), config.QUEUE_PREFIX, logger);
  await Promise.all([sentimentEvents.waitUntilReady(), ticksEvents.waitUntilReady()]);
  const adapters = new AdapterRegistry();
  const core: CoreContext = {
    db,
    clock,
    logger,
    config,
    queues,
    messenger: adapters,
    sentiment: new QueuedSentimentService(queues.sentiment, sentimentEvents),
    forecasts: new ForecastCacheReader(redis, config.QUEUE_PREFIX),
    metrics,
  };

  const http = createHttpServer(logger, [
    ...services.healthChecks,
    ...(options.requireWorker === false
      ? []
      : [
          {
            name: 'worker',
            check: async () => {
              if (!(await redis.exists(workerHeartbeatKey(config.QUEUE_PREFIX)))) throw new Error('no heartbeat');
            },
          },
        ]),
  ]);

  const eventLimit = createConcurrencyLimit(config.EVENT_CONCURRENCY);
  const started: ChatAdapter[] = [];
  let outbox: Worker<OutboxJob> | undefined;
  const release = async () => {
    await http.close();
    await outbox?.close();
    for (const adapter of started) await adapter.stop();
    await sentimentEvents.close();
    await ticksEvents.close();
    await services.close();
  };
  let url: string;
  try {
    registerTicksRoute(http, core, ticksEvents);
    registerMetricsRoute(http, metrics.registry);
    registerAdminBoard(http, queues, config.ADMIN_TOKEN);
    const local = new LocalAdapter(new LocalMessageStore(connections.create({ autoPipelining: true }), config.QUEUE_PREFIX), config.LOCAL_ADMINS, clock);
    local.registerRoutes(http);
    adapters.add(local);
    for (const factory of platformFactories) {
      const adapter = await factory({ core, http, env: options.env ?? process.env });
      if (adapter) adapters.add(adapter);
    }
    for (const adapter of adapters.all()) {
      await adapter.start((event) =>
        eventLimit(() => dispatchEvent(event, core, (user, conversation) => adapters.isAdmin(user, conversation))),
      );
      started.push(adapter);
      logger.info({ platform: adapter.platform }, 'chat adapter started');
    }
    outbox = new Worker<OutboxJob>(QUEUE.outbox, withJobLogContext(QUEUE.outbox, createOutboxProcessor(core)), {
      connection: connections.create(),
      prefix: config.QUEUE_PREFIX,
      concurrency: 8,
    });
    instrumentWorker(outbox, metrics, logger);
    url = await http.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  } catch (error) {
    // A platform that fails to start (bad token) must not leave connections keeping the process alive.
    await release().catch((cleanupError: unknown) => logger.warn({ err: cleanupError }, 'cleanup after a failed start'));
    throw error;
  }
  logger.info({ url }, 'local chat ready');

  return {
    http,
    url,
    core,
    adapters,
    stop: release,
  };
}
