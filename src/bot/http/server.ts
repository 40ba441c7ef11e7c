import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type Logger, withLogContext } from '../../shared/logger.js';

export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * One HTTP server for the bot: the local chat, its API, health and (later) ingestion and metrics.
 * /healthz is 200 only when every dependency answers, with each one's state in the body.
 */
export function createHttpServer(logger: Logger, checks: HealthCheck[]): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: 25 * 1024 * 1024,
  });
  // Lines logged by the core while handling a request (its loggers predate the request) carry its id.
  // preHandler, not onRequest: the body stream's callbacks would lose a context entered earlier.
  app.addHook('preHandler', (request, _reply, done) => withLogContext({ reqId: request.id }, done));
  const runChecks = async () => {
    const results = await Promise.all(
      checks.map(async (item) => {
        try {
          await withTimeout(item.check(), 2000);
          return [item.name, 'up'] as const;
        } catch (error) {
          return [item.name, `down: ${(error as Error).message}`] as const;
        }
      }),
    );
    return { ok: results.every(([, state]) => state === 'up'), services: Object.fromEntries(results) };
  };
  // Probed every few seconds by orchestrators: request lines at info would drown the rest.
  app.get('/healthz', { logLevel: 'warn' }, async (_request, reply) => {
    const result = await runChecks();
    return reply.code(result.ok ? 200 : 503).send(result);
  });
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const result = await runChecks();
    return reply.code(result.ok ? 200 : 503).send(result);
  });
  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);
}
