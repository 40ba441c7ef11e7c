import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../../src/shared/db/migrate.js';
import { type RunningPostgres, startEmbeddedPostgres } from '../../src/shared/infra/embedded-postgres.js';
import { type RunningRedis, startRedisServer } from '../../src/shared/infra/redis-server.js';
import { createLogger } from '../../src/shared/logger.js';
import { eventually, startCli, waitForExit } from '../support/processes.js';

const logger = createLogger('chaos-services', 'warn');

/**
 * A Postgres and a redis-server of the suite's own, in a temporary directory, so they can be stopped
 * and started again (same port, same data directory) without disturbing the shared test services.
 */
export class ChaosServices {
  private constructor(
    readonly dir: string,
    private postgres: RunningPostgres,
    private redis: RunningRedis,
    readonly databaseUrl: string,
  ) {}

  static async start(): Promise<ChaosServices> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quizcast-chaos-'));
    const [postgres, redis] = await Promise.all([
      startEmbeddedPostgres(path.join(dir, 'postgres'), logger),
      startRedisServer(path.join(dir, 'redis'), logger),
    ]);
    const databaseUrl = await postgres.createDatabase('quizcast');
    await applyMigrations(databaseUrl, logger);
    return new ChaosServices(dir, postgres, redis, databaseUrl);
  }

  /** Another database on the same server (for probes that must not touch the app's). */
  createDatabase(name: string): Promise<string> {
    return this.postgres.createDatabase(name);
  }

  get redisUrl(): string {
    return this.redis.url;
  }

  get redisProcess(): ChildProcess {
    return this.redis.process;
  }

  /** SIGTERM (redis writes its append-only file and exits), then the same port and directory again. */
  async restartRedis(): Promise<void> {
    await this.redis.stop();
    this.redis = await startRedisServer(path.join(this.dir, 'redis'), logger, this.redis.port);
  }

  /** Postgres's fast shutdown (open transactions roll back), then the same port and data directory. */
  async restartPostgres(): Promise<void> {
    await this.postgres.stop();
    this.postgres = await startEmbeddedPostgres(path.join(this.dir, 'postgres'), logger, this.postgres.port);
  }

  async close(): Promise<void> {
    await this.redis.stop().catch(() => undefined);
    await this.postgres.stop().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

export interface UnexpectedExit {
  role: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of what the process printed before it died. */
  tail: string;
}

/**
 * `quizcast bot` or `quizcast worker` as a child process that the suite kills and starts again. Like the
 * supervisor of `quizcast start`, it also restarts a process that dies on its own, and records that exit
 * so the suite can judge it.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private current: () => string = () => '';
  private earlier = '';
  private restarting: Promise<void> | undefined;
  starts = 0;
  readonly unexpectedExits: UnexpectedExit[] = [];

  constructor(
    readonly role: 'bot' | 'worker',
    private readonly env: NodeJS.ProcessEnv,
    /** A line the process prints once it serves requests or takes jobs. */
    private readonly ready: RegExp,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Everything every generation of the process printed. */
  output(): string {
    return this.earlier + this.current();
  }

  async start(): Promise<void> {
    this.earlier += this.current();
    const started = startCli([this.role], this.env);
    this.child = started.child;
    this.current = started.output;
    this.starts += 1;
    const child = started.child;
    await eventually(
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${this.role} exited during start-up:\n${started.output().slice(-3000)}`);
        }
        return this.ready.test(started.output()) ? true : undefined;
      },
      90_000,
      `${this.role} to be ready`,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${started.output().slice(-3000)}`);
    });
    child.once('exit', (code, signal) => {
      if (this.child !== child) return;
      this.unexpectedExits.push({ role: this.role, code, signal, tail: started.output().slice(-4000) });
      this.child = undefined;
      this.restarting = this.start().finally(() => {
        this.restarting = undefined;
      });
    });
  }

  /** Resolves once a restart after an unexpected exit (if any) has finished. */
  async settled(): Promise<void> {
    while (this.restarting) await this.restarting;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.settled();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.child = undefined;
    const exited = waitForExit(child);
    child.kill(signal);
    await exited;
  }

  /** SIGTERM, and SIGKILL if a graceful stop takes longer than `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    await this.settled();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.child = undefined;
    const exited = waitForExit(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** One short-lived connection for a statement (the suite's own connections must survive restarts). */
export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A transaction held open on its own connection until release(): the suite's way of freezing a
 * process at an exact point (a row or advisory lock it is about to need) before killing it.
 */
export async function holdLocks(url: string, statements: { text: string; values?: unknown[] }[]): Promise<{ pid: number; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  for (const statement of statements) await client.query(statement.text, statement.values ?? []);
  const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid ?? 0;
  return {
    pid,
    async release() {
      await client.query('COMMIT').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** Backends of other sessions waiting on a lock, with what they run. */
export async function lockWaiters(url: string, lockerPid: number): Promise<{ pid: number; waitEvent: string; query: string }[]> {
  return sql(
    url,
    `SELECT pid, wait_event AS "waitEvent", query FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`,
    [lockerPid],
  );
}

/** The project's seeded generator, so a failing run can be replayed. */
export { seededRandom } from '../../src/shared/random.js';

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface HttpAnswer {
  status: number;
  text: string;
}

/** One HTTP request; a refused or cut connection (a dead bot) is an exception, as it is for a platform. */
export async function request(url: string, init: { body: string; contentType: string; headers?: Record<string, string> }, timeoutMs = 60_000): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': init.contentType, ...init.headers },
    body: init.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, text: await response.text() };
}

/** A gate the orchestrator opens step by step, so faults land while traffic is in flight. */
export class WorkGate {
  private allowed = 0;
  private waiters: (() => void)[] = [];

  /** Let work items with index < n through. */
  open(n: number): void {
    this.allowed = Math.max(this.allowed, n);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async pass(index: number): Promise<void> {
    while (index >= this.allowed) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

/** Work items handed out in order to concurrent lanes; `done` counts finished ones. */
export class WorkQueue<T> {
  private next = 0;
  done = 0;

  constructor(
    readonly items: readonly T[],
    private readonly gate: WorkGate,
  ) {}

  async take(): Promise<{ item: T; index: number } | undefined> {
    const index = this.next;
    if (index >= this.items.length) return undefined;
    this.next += 1;
    await this.gate.pass(index);
    return { item: this.items[index] as T, index };
  }
}
