import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { type HealthCheck, registerHealthRoutes } from '../../shared/http/health-routes.js';
import { type Logger, withLogContext } from '../../shared/logger.js';

/**
 * One HTTP server for the bot: the local chat, its API, health, ingestion and metrics.
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
  registerHealthRoutes(app, checks);
  return app;
}
