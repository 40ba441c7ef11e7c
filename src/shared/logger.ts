import pino, { type Logger } from 'pino';

/** One root logger per process; children carry a request or job id on every line. */
export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid, service: name } }, pino.destination(2));
}

export type { Logger };
