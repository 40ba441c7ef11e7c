import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { WaitableLog } from '../stand-in/waiters.js';

export interface LogLine {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

/**
 * A real pino logger whose lines tests can wait for: the bot's own account of what it did is the
 * only signal for work that sends nothing to Discord (a reaction recorded, a duplicate ignored).
 */
export function captureLogs(level = 'debug'): { logger: Logger; lines: WaitableLog<LogLine>; close(): void } {
  const lines = new WaitableLog<LogLine>();
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text.trim()) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return { logger: pino({ level, base: { service: 'discord-test' } }, stream), lines, close: () => lines.close() };
}
