import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { findFreePort } from './free-port.js';

export interface RunningRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export class RedisServerMissingError extends Error {
  constructor() {
    super(
      'redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`; ' +
        'macOS: `brew install redis`) or set REDIS_URL to an existing Redis.',
    );
    this.name = 'RedisServerMissingError';
  }
}

export function findRedisServer(): string {
  for (const candidate of [process.env.REDIS_SERVER_BIN, 'redis-server', '/usr/bin/redis-server', '/usr/sbin/redis-server']) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  throw new RedisServerMissingError();
}

/**
 * Runs redis-server as a child with the append-only file on (fsync every second), so queued jobs and
 * scheduler state survive a restart. BullMQ requires maxmemory-policy noeviction.
 */
export async function startRedisServer(dataDir: string, logger: Logger, port?: number): Promise<RunningRedis> {
  const binary = findRedisServer();
  const absolute = path.resolve(dataDir);
  await mkdir(absolute, { recursive: true });
  const chosenPort = port ?? (await findFreePort());
  const child = spawn(
    binary,
    [
      '--port', String(chosenPort),
      '--bind', '127.0.0.1',
      '--dir', absolute,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      '--maxmemory-policy', 'noeviction',
      '--daemonize', 'no',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}: ${output.slice(-2000)}`)));
  });
  child.stdout?.on('data', (chunk: Buffer) => logger.trace({ redis: chunk.toString().trim() }, 'redis'));
  child.stderr?.on('data', (chunk: Buffer) => logger.warn({ redis: chunk.toString().trim() }, 'redis'));
  return {
    url: `redis://127.0.0.1:${chosenPort}`,
    port: chosenPort,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGTERM makes redis flush the append-only file before it exits.
        child.kill('SIGTERM');
      }),
  };
}
