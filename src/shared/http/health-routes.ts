import type { FastifyInstance } from 'fastify';

export interface HealthCheck {
  name: string;
  check(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * GET /healthz and /readyz: 200 only when every dependency answers within 2 s, each one's state in the
 * body (`{ok, services: {name: "up" | "down: …"}}`), else 503.
 */
export function registerHealthRoutes(app: FastifyInstance, checks: readonly HealthCheck[]): void {
  const runChecks = async () => {
    const results = await Promise.all(
      checks.map(async (item) => {
        try {
          await withTimeout(item.check(), CHECK_TIMEOUT_MS);
          return [item.name, 'up'] as const;
        } catch (error) {
          return [item.name, `down: ${(error as Error).message}`] as const;
        }
      }),
    );
    return { ok: results.every(([, state]) => state === 'up'), services: Object.fromEntries(results) };
  };
  // Probed every few seconds by orchestrators: request lines at info would drown the rest.
  for (const path of ['/healthz', '/readyz']) {
    app.get(path, { logLevel: 'warn' }, async (_request, reply) => {
      const result = await runChecks();
      return reply.code(result.ok ? 200 : 503).send(result);
    });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms).unref()),
  ]);
}
