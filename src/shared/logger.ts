import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

/** Ids of the request or job being handled; every line logged while handling it carries them. */
const logContext = new AsyncLocalStorage<Record<string, unknown>>();

/** Runs `fn` with `bindings` (e.g. jobId and queue) added to every log line written inside it. */
export function withLogContext<T>(bindings: Record<string, unknown>, fn: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...bindings }, fn);
}

/** One root logger per process (to stderr unless a destination is given); children carry a request or job id on every line. */
export function createLogger(
  name: string,
  level = process.env.LOG_LEVEL ?? 'info',
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      name,
      level,
      base: { pid: process.pid, service: name },
      // Loggers created before a job started (handlers' context loggers) still name it; a key the
      // logger is already bound to (fastify's reqId) is left to the binding so no line has it twice.
      mixin(_object, _level, logger) {
        const context = logContext.getStore();
        if (!context) return {};
        const bound = logger.bindings();
        return Object.fromEntries(Object.entries(context).filter(([key]) => !(key in bound)));
      },
    },
    destination,
  );
}

export type { Logger };
