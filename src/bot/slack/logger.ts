import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../shared/logger.js';

/**
 * Bolt and its Web API client log through this, so their lines (rate-limit waits, refused signatures)
 * land in the process's pino stream with the rest. Pino's level decides what is written; Bolt's
 * setLevel() is remembered only because Bolt reads it back.
 */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  let child = logger.child({ component: 'bolt' });
  const line = (args: unknown[]) => args.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
  return {
    debug: (...args: unknown[]) => child.debug(line(args)),
    info: (...args: unknown[]) => child.info(line(args)),
    warn: (...args: unknown[]) => child.warn(line(args)),
    error: (...args: unknown[]) => child.error(line(args)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (name: string) => {
      child = logger.child({ component: name });
    },
  };
}
