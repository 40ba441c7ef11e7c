import type { QueueEvents } from 'bullmq';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../shared/core/context.js';
import { submitTicks } from '../../shared/ticks/tick-intake.js';
import { bearerToken, tokenMatches } from './bearer-token.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function authorised(request: FastifyRequest, token: string | undefined): boolean {
  if (!token) return LOOPBACK.has(request.ip);
  return tokenMatches(bearerToken(request) ?? '', token);
}

/** NDJSON: one JSON tick per line; a line that is not JSON becomes a malformed tick, not a lost batch. */
function parseNdjson(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        // A bare string is not a tick object, so validation reports it as malformed at its index.
        return line.slice(0, 100);
      }
    });
}

/**
 * POST /api/ticks: a JSON array or NDJSON of {symbol, ts, price}. Answers 200 with a result per tick
 * once the worker has stored them (202 with job ids if it takes longer than the wait). With no
 * TICKS_API_TOKEN configured only loopback clients may post; with one, a matching bearer token is required.
 */
export function registerTicksRoute(app: FastifyInstance, core: CoreContext, events: QueueEvents): void {
  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson'], { parseAs: 'string' }, (_request, body, done) =>
    done(null, parseNdjson(String(body))),
  );
  app.post('/api/ticks', async (request, reply) => {
    if (!authorised(request, core.config.TICKS_API_TOKEN)) {
      return reply.code(401).send({ error: 'unauthorised', message: 'A valid bearer token is required (TICKS_API_TOKEN).' });
    }
    const body = request.body;
    if (!Array.isArray(body)) {
      return reply.code(400).send({ error: 'invalid_input', message: 'Send a JSON array of ticks or NDJSON (one tick per line).' });
    }
    if (body.length === 0) return reply.code(400).send({ error: 'invalid_input', message: 'The batch is empty.' });
    if (body.length > core.config.TICKS_MAX_BATCH) {
      return reply
        .code(413)
        .send({ error: 'too_large', message: `At most ${core.config.TICKS_MAX_BATCH} ticks per request; split the batch.` });
    }
    const summary = await submitTicks(body, {
      queue: core.queues.ticks,
      events,
      now: core.clock(),
      futureToleranceMs: core.config.TICKS_FUTURE_TOLERANCE_MS,
      chunkSize: core.config.TICKS_MAX_BATCH,
      waitMs: 10_000,
      metrics: core.metrics,
    });
    return reply.code(summary.pendingJobIds ? 202 : 200).send(summary);
  });
}
