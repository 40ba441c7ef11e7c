import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { Logger } from '../shared/logger.js';

export interface WorkerHealthCheck {
  name: string;
  check(): Promise<void>;
}

/**
 * The worker's small HTTP server: /healthz (and /readyz) for the orchestrator, /metrics for Prometheus.
 * It is started once the worker is ready, so a 200 also means the processors are consuming.
 */
export function createWorkerHttpServer(logger: Logger, registry: Registry, checks: WorkerHealthCheck[]): FastifyInstance {
  const app = Fastify({ loggerInstance: logger.child({ component: 'worker-http' }) as FastifyBaseLogger });
  const health = async () => {
    const results = await Promise.all(
      checks.map(async (item) => {
        try {
          await Promise.race([
            item.check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 2000 ms')), 2000).unref()),
          ]);
          return [item.name, 'up'] as const;
        } catch (error) {
          return [item.name, `down: ${(error as Error).message}`] as const;
        }
      }),
    );
    return { ok: results.every(([, state]) => state === 'up'), services: Object.fromEntries(results) };
  };
  for (const path of ['/healthz', '/readyz']) {
    app.get(path, { logLevel: 'warn' }, async (_request, reply) => {
      const result = await health();
      return reply.code(result.ok ? 200 : 503).send(result);
    });
  }
  // Scrapes and probes every few seconds: their request lines would drown the job logs.
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) =>
    reply.header('content-type', registry.contentType).send(await registry.metrics()),
  );
  return app;
}
