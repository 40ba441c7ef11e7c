import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, MigrationError } from '../../src/shared/db/migrate.js';
import { MIGRATIONS_DIR, readMigrationFiles } from '../../src/shared/db/migration-files.js';
import { createEmptyTestDatabase, createTestDatabase } from '../support/database.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase(): Promise<string> {
  const database = await createEmptyTestDatabase();
  cleanups.push(database.drop);
  return database.url;
}

/** A scratch copy of prisma/migrations that a test may edit. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quizcast-migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function committedNames(): Promise<string[]> {
  return (await readMigrationFiles(MIGRATIONS_DIR)).map((m) => m.name);
}

describe('applyMigrations', () => {
  it('applies every committed migration once; a second run applies nothing', async () => {
    const url = await emptyDatabase();
    const names = await committedNames();
    expect(names.length).toBeGreaterThan(0);

    expect(await applyMigrations(url)).toEqual({ applied: names });
    expect(await applyMigrations(url)).toEqual({ applied: [] });
    const tables = await query<{ tablename: string }>(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(['Deck', 'Card', 'ProcessedEvent']));
  });

  it('writes _prisma_migrations exactly as prisma migrate deploy does', async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);

    // Prisma's DDL (schema-engine/connectors/sql-schema-connector/src/flavour/postgres.rs).
    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length AS length, is_nullable, column_default
       FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', length: 36, is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'character varying', length: 64, is_nullable: 'NO', column_default: null },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'migration_name', data_type: 'character varying', length: 255, is_nullable: 'NO', column_default: null },
      { column_name: 'logs', data_type: 'text', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'YES', column_default: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', length: null, is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'applied_steps_count', data_type: 'integer', length: null, is_nullable: 'NO', column_default: '0' },
    ]);
    const primaryKey = await query(
      url,
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = '_prisma_migrations'::regclass AND i.indisprimary`,
    );
    expect(primaryKey).toEqual([{ attname: 'id' }]);

    const rows = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      started_at: Date;
      finished_at: Date | null;
      logs: string | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');
    const names = await committedNames();
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    for (const row of rows) {
      // Computed here from the file's bytes, independently of the code under test.
      const bytes = await readFile(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
    }
  });

  it('applies each migration once when several processes start together', async () => {
    const url = await emptyDatabase();
    const results = await Promise.all(Array.from({ length: 6 }, () => applyMigrations(url)));

    expect(results.flatMap((r) => r.applied)).toEqual(await committedNames());
    const counts = await query<{ migration_name: string; n: string }>(
      url,
      'SELECT migration_name, count(*) AS n FROM _prisma_migrations GROUP BY migration_name',
    );
    expect(counts.every((row) => row.n === '1')).toBe(true);
  });

  it("waits for Prisma's migration lock, and gives up clearly when it is held too long", async () => {
    const url = await emptyDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('SELECT pg_advisory_lock(72707369)');

    await expect(applyMigrations(url, undefined, { lockTimeoutMs: 300 })).rejects.toMatchObject({ kind: 'lock-timeout' });
    const waiting = applyMigrations(url);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await holder.query('SELECT pg_advisory_unlock(72707369)');
    expect((await waiting).applied).toEqual(await committedNames());
  });

  it('refuses a migration that was edited after it was applied, but not a change of line endings', async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy();
    await applyMigrations(url, undefined, { migrationsDir: dir });
    const [first] = await committedNames();
    const file = path.join(dir, first!, 'migration.sql');
    const original = await readFile(file, 'utf8');

    await writeFile(file, original.replaceAll('\n', '\r\n'));
    expect(await applyMigrations(url, undefined, { migrationsDir: dir })).toEqual({ applied: [] });

    await writeFile(file, `${original}\nCREATE TABLE "Sneaky" (id INT);\n`);
    const refusal = applyMigrations(url, undefined, { migrationsDir: dir });
    await expect(refusal).rejects.toThrow(MigrationError);
    await expect(refusal).rejects.toMatchObject({ kind: 'edited', message: expect.stringContaining(first!) });
  });

  it('rolls a failing migration back, records it as Prisma would, and refuses to go on until resolved', async () => {
    const url = await emptyDatabase();
    const dir = await migrationsCopy();
    const broken = '29990101000000_broken';
    await mkdir(path.join(dir, broken));
    const brokenFile = path.join(dir, broken, 'migration.sql');
    await writeFile(brokenFile, 'CREATE TABLE "HalfDone" (id INT);\nSELECT * FROM "does_not_exist";\n');

    const failure = applyMigrations(url, undefined, { migrationsDir: dir });
    await expect(failure).rejects.toMatchObject({
      kind: 'apply-failed',
      message: expect.stringMatching(/Migration name: 29990101000000_broken[\s\S]*Database error code: 42P01/),
    });
    const halfDone = await query(url, `SELECT to_regclass('"HalfDone"') AS t`);
    expect(halfDone).toEqual([{ t: null }]);
    const [row] = await query<{ finished_at: Date | null; logs: string; applied_steps_count: number }>(
      url,
      `SELECT finished_at, logs, applied_steps_count FROM _prisma_migrations WHERE migration_name = '${broken}'`,
    );
    expect(row).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    expect(row!.logs).toContain('does_not_exist');

    // Fixing the file is not enough: like Prisma, a recorded failure must be resolved first.
    await writeFile(brokenFile, 'CREATE TABLE "HalfDone" (id INT);\n');
    await expect(applyMigrations(url, undefined, { migrationsDir: dir })).rejects.toMatchObject({
      kind: 'failed-before',
      message: expect.stringContaining(broken),
    });
    await query(url, `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '${broken}'`);
    expect(await applyMigrations(url, undefined, { migrationsDir: dir })).toEqual({ applied: [broken] });
  });

  it('refuses a database that has tables but no migration history', async () => {
    const url = await emptyDatabase();
    await query(url, 'CREATE TABLE "Stray" (id INT)');
    await expect(applyMigrations(url)).rejects.toMatchObject({ kind: 'schema-not-empty' });
  });
});

describe('createTestDatabase', () => {
  it('returns a migrated database with a working client', async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const deck = await database.prisma.deck.create({ data: { name: 'capitals', sourceHash: 'abc' } });
    expect(await database.prisma.deck.findUnique({ where: { id: deck.id } })).toMatchObject({ name: 'capitals' });
  });
});
