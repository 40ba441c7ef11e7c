import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { MIGRATIONS_DIR, type MigrationFile, readMigrationFiles, scriptMatchesChecksum } from './migration-files.js';

/*
 * Applies prisma/migrations the way `prisma migrate deploy` does, without Prisma's native schema engine
 * (which this project cannot download). The bookkeeping is Prisma's own, so a machine that has the real
 * engine sees the same history. Sources, all in prisma/prisma-engines under schema-engine/:
 * - table DDL and advisory-lock key: connectors/sql-schema-connector/src/flavour/postgres.rs
 *   (`create_migrations_table`, `acquire_lock` with pg_advisory_lock(72707369));
 * - row values: connectors/sql-schema-connector/src/sql_migration_persistence.rs (uuid v4 id, checksum,
 *   started_at; then applied_steps_count + 1 and finished_at; logs on failure);
 * - order of checks: core/src/commands/apply_migrations.rs (lock, create table or refuse a non-empty
 *   schema, refuse failed migrations, apply the rest in directory order);
 * - checksum: connectors/schema-connector/src/checksum.rs (see migration-files.ts).
 * Two deliberate differences: each migration runs inside one transaction together with its row, so a
 * failure leaves nothing half-applied; and an applied migration whose file was edited is refused (Prisma
 * only notices that in `migrate dev`).
 */

/** Prisma's key: holding the same lock keeps us and a real `prisma migrate deploy` from interleaving. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;
const MIGRATIONS_TABLE_DDL = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
`;
const RESOLVE_HELP = 'https://pris.ly/d/migrate-resolve';

export interface ApplyMigrationsOptions {
  /** Defaults to the repository's prisma/migrations. */
  migrationsDir?: string;
  /** How long to wait for another process that is migrating the same database. */
  lockTimeoutMs?: number;
}

export type MigrationErrorKind = 'failed-before' | 'edited' | 'apply-failed' | 'schema-not-empty' | 'lock-timeout';

export class MigrationError extends Error {
  constructor(
    readonly kind: MigrationErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

/** Applies every committed migration not yet recorded as applied, each exactly once; safe to run concurrently. */
export async function applyMigrations(
  databaseUrl: string,
  logger?: Logger,
  options: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const migrations = await readMigrationFiles(options.migrationsDir ?? MIGRATIONS_DIR);
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'quizcast-migrate' });
  await client.connect();
  try {
    await acquireLock(client, options.lockTimeoutMs ?? 5 * 60_000);
    try {
      await ensureMigrationsTable(client);
      const rows = await loadRows(client);
      refuseFailedMigrations(rows);
      refuseEditedMigrations(rows, migrations);
      warnAboutUnknownMigrations(rows, migrations, logger);
      const done = new Set(rows.filter((row) => row.rolled_back_at === null).map((row) => row.migration_name));
      const applied: string[] = [];
      for (const migration of migrations.filter((m) => !done.has(m.name))) {
        logger?.info({ migration: migration.name }, 'applying database migration');
        await applyOne(client, migration);
        applied.push(migration.name);
      }
      return { applied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end();
  }
}

/** A session lock, as Prisma takes it; lock_timeout turns an endless wait into a clear error. */
async function acquireLock(client: pg.Client, timeoutMs: number): Promise<void> {
  await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(timeoutMs))}ms`]);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new MigrationError(
        'lock-timeout',
        `Gave up after ${timeoutMs} ms waiting for the migration lock: another process is migrating this database.`,
      );
    }
    throw error;
  } finally {
    // Migrations themselves may wait on locks as long as they need.
    await client.query('RESET lock_timeout').catch(() => undefined);
  }
}

/** Prisma's `initialize`: create the table on an empty schema, refuse one that already holds tables. */
async function ensureMigrationsTable(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname = current_schema()`,
  );
  if (rows.some((row) => row.relname === '_prisma_migrations')) return;
  if (rows.length > 0) {
    throw new MigrationError(
      'schema-not-empty',
      `The database schema is not empty and has no _prisma_migrations table (tables: ${rows
        .map((row) => row.relname)
        .join(', ')}). Baseline it first: https://pris.ly/d/migrate-baseline`,
    );
  }
  await client.query(MIGRATIONS_TABLE_DDL);
}

async function loadRows(client: pg.Client): Promise<MigrationRow[]> {
  const { rows } = await client.query<MigrationRow>(
    `SELECT migration_name, checksum, started_at, finished_at, rolled_back_at, logs
     FROM _prisma_migrations ORDER BY started_at`,
  );
  return rows;
}

/** Prisma's P3009: a failed migration must be resolved by a person before anything else is applied. */
function refuseFailedMigrations(rows: MigrationRow[]): void {
  const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length === 0) return;
  const details = failed
    .map((row) => {
      const logs = row.logs?.trim() ? ` with the following logs:\n${row.logs.trim()}` : '';
      return `The \`${row.migration_name}\` migration started at ${row.started_at.toISOString()} failed${logs}`;
    })
    .join('\n');
  throw new MigrationError(
    'failed-before',
    `Found failed migrations in the target database; new migrations will not be applied. Fix the cause, then ` +
      `mark each as rolled back (\`npx prisma migrate resolve --rolled-back <name>\`, or set rolled_back_at on ` +
      `its _prisma_migrations row) and start again. See ${RESOLVE_HELP}\n${details}`,
  );
}

/** An applied migration is history: editing its file would make fresh databases differ from old ones. */
function refuseEditedMigrations(rows: MigrationRow[], migrations: MigrationFile[]): void {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const edited = rows
    .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
    .filter((row) => {
      const file = byName.get(row.migration_name);
      return file !== undefined && !scriptMatchesChecksum(file.script, row.checksum);
    })
    .map((row) => row.migration_name);
  if (edited.length === 0) return;
  throw new MigrationError(
    'edited',
    `Applied migration(s) were modified after they were applied: ${edited.join(', ')}. ` +
      `Restore the original migration.sql and put the change in a new migration instead.`,
  );
}

/** The database is ahead of this checkout (e.g. an older build started): not fatal, but worth saying. */
function warnAboutUnknownMigrations(rows: MigrationRow[], migrations: MigrationFile[], logger?: Logger): void {
  const known = new Set(migrations.map((m) => m.name));
  const unknown = rows.filter((row) => row.rolled_back_at === null && !known.has(row.migration_name));
  if (unknown.length > 0) {
    logger?.warn(
      { migrations: unknown.map((row) => row.migration_name) },
      'database has migrations this checkout does not know about',
    );
  }
}

/**
 * The script goes through the simple-query protocol (no parameters), as Prisma sends it, so one file
 * may hold many statements. Its row is written in the same transaction: committed together or not at all.
 */
async function applyOne(client: pg.Client, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  const startedAt = new Date();
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)`,
      [id, migration.checksum, startedAt, migration.name],
    );
    await client.query(migration.script);
    await client.query(
      `UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1, finished_at = clock_timestamp()
       WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const logs = applyErrorMessage(migration.name, error);
    // Left as Prisma leaves a failed migration (finished_at NULL, logs set), so every later start refuses
    // until someone resolves it, here and on a machine with the real engine alike.
    await client
      .query(
        `INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, logs) VALUES ($1, $2, $3, $4, $5)`,
        [id, migration.checksum, startedAt, migration.name, logs],
      )
      .catch(() => undefined);
    throw new MigrationError('apply-failed', logs, { cause: error });
  }
}

/** Prisma's P3018 text, plus the fact that the transaction was rolled back (so rolling back is safe). */
function applyErrorMessage(name: string, error: unknown): string {
  const pgError = error as { code?: string; message?: string; detail?: string; position?: string };
  const detail = pgError.detail ? `\nDETAIL: ${pgError.detail}` : '';
  const position = pgError.position ? `\nPosition: character ${pgError.position}` : '';
  return (
    `A migration failed to apply. New migrations cannot be applied before the error is recovered from. ` +
    `Read more about how to resolve migration issues in a production database: ${RESOLVE_HELP}\n\n` +
    `Migration name: ${name}\n\nDatabase error code: ${pgError.code ?? 'none'}\n\n` +
    `Database error:\n${pgError.message ?? String(error)}${detail}${position}\n\n` +
    `Its transaction was rolled back: none of its statements remain applied.`
  );
}
