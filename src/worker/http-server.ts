import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { type HealthCheck, registerHealthRoutes } from '../shared/http/health-routes.js';
import { registerMetricsRoute } from '../shared/http/metrics-route.js';
import type { Logger } from '../shared/logger.js';

/**
 * The worker's small HTTP server: /healthz (and /readyz) for the orchestrator, /metrics for Prometheus.
 * It is started once the worker is ready, so a 200 also means the processors are consuming.
 */
export function createWorkerHttpServer(logger: Logger, registry: Registry, checks: HealthCheck[]): FastifyInstance {
  const app = Fastify({ loggerInstance: logger.child({ component: 'worker-http' }) as FastifyBaseLogger });
  registerHealthRoutes(app, checks);
  registerMetricsRoute(app, registry);
  return app;
}
