import { randomUUID } from 'node:crypto';
import { type Job, Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { createHttpServer } from '../../src/bot/http/server.js';
import { createLogger } from '../../src/shared/logger.js';
import { createMetrics, instrumentWorker, withJobLogContext } from '../../src/shared/metrics/index.js';
import { RedisConnections } from '../../src/shared/queue/connection.js';
import { parseSamples, sampleValue } from './prometheus-text.js';

/** A pino destination that keeps every line, raw and parsed. */
function memoryDestination() {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const write = (line: string) => {
    raw.push(line);
    lines.push(JSON.parse(line) as Record<string, unknown>);
  };
  return { raw, lines, write };
}

/** How often a key is written in a raw JSON line (JSON.parse would silently keep only the last). */
const occurrences = (line: string, key: string) => line.split(`"${key}":`).length - 1;

describe('logs carry the job or request id on every line', () => {
  let connections: RedisConnections;
  const prefix = `t${randomUUID().slice(0, 8)}`;
  beforeAll(() => {
    connections = new RedisConnections(inject('redisUrl'));
  });
  afterAll(() => connections.closeAll());

  it('a worker logs start, finish and failure with queue and jobId, and so does a processor’s own logger', async () => {
    const destination = memoryDestination();
    const logger = createLogger('ops-test', 'info', destination);
    // Made before any job exists, as handlers' context loggers are: the id comes from the job's context.
    const processorLogger = logger.child({ component: 'processor' });
    const metrics = createMetrics({ service: 'worker', processMetrics: false });
    const name = 'ops-logging';
    const queue = new Queue<{ fail: boolean }>(name, { connection: connections.create(), prefix });
    const worker = new Worker<{ fail: boolean }>(
      name,
      withJobLogContext(name, async (job: Job<{ fail: boolean }>) => {
        processorLogger.info({ step: 'inside' }, 'processing');
        await new Promise((resolve) => setImmediate(resolve));
        processorLogger.info({ step: 'after an await' }, 'still processing');
        if (job.data.fail) throw new Error('boom');
        return 'done';
      }),
      { connection: connections.create(), prefix },
    );
    instrumentWorker(worker, metrics, logger);
    const settled = new Map<string, 'completed' | 'failed'>();
    const bothSettled = new Promise<void>((resolve) => {
      const mark = (id: string | undefined, state: 'completed' | 'failed') => {
        settled.set(id ?? '', state);
        if (settled.size === 2) resolve();
      };
      worker.on('completed', (job) => mark(job.id, 'completed'));
      worker.on('failed', (job) => mark(job?.id, 'failed'));
    });
    try {
      const ok = await queue.add('ok', { fail: false }, { attempts: 1 });
      const bad = await queue.add('bad', { fail: true }, { attempts: 1 });
      await bothSettled;

      expect(destination.lines).toHaveLength(8);
      for (const line of destination.lines) {
        expect(line).toMatchObject({ queue: name });
        expect([ok.id, bad.id]).toContain(line.jobId);
      }
      const messages = (id: string | undefined) => destination.lines.filter((line) => line.jobId === id).map((line) => line.msg);
      expect(messages(ok.id)).toEqual(['job started', 'processing', 'still processing', 'job finished']);
      expect(messages(bad.id)).toEqual(['job started', 'processing', 'still processing', 'job failed']);
      const failure = destination.lines.find((line) => line.msg === 'job failed');
      expect(failure).toMatchObject({ level: 50, willRetry: false, err: { message: 'boom' } });
      // The lifecycle lines are bound to the id by a child logger, the processor's by the job context:
      // either way each line names it exactly once.
      expect(destination.raw.map((line) => occurrences(line, 'jobId'))).toEqual(Array(8).fill(1));

      const samples = parseSamples(await metrics.registry.metrics());
      expect(sampleValue(samples, 'quizcast_job_duration_seconds_count', { queue: name, status: 'completed' })).toBe(1);
      expect(sampleValue(samples, 'quizcast_job_duration_seconds_count', { queue: name, status: 'failed' })).toBe(1);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('lines the core logs while the bot handles an HTTP request carry that request’s reqId, once', async () => {
    const destination = memoryDestination();
    const logger = createLogger('ops-test', 'info', destination);
    const coreLogger = logger.child({ component: 'core' });
    const app = createHttpServer(logger, []);
    app.post('/echo', async (request) => {
      coreLogger.info('handled by the core');
      request.log.info('handled by the route');
      return { ok: true };
    });
    try {
      const response = await app.inject({ method: 'POST', url: '/echo', payload: { hello: 'world' } });
      expect(response.statusCode).toBe(200);
      const core = destination.lines.find((line) => line.msg === 'handled by the core');
      const route = destination.lines.find((line) => line.msg === 'handled by the route');
      expect(core?.reqId).toBeDefined();
      expect(core?.reqId).toBe(route?.reqId);
      // request.log is already bound to reqId; the context does not add it a second time.
      const routeLine = destination.raw.find((line) => line.includes('handled by the route')) ?? '';
      expect(occurrences(routeLine, 'reqId')).toBe(1);
    } finally {
      await app.close();
    }
  });
});
